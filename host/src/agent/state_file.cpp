#include "agent/state_file.hpp"

#include <fstream>

namespace lmharvest::agent {

Expected<void> replace_file(const std::filesystem::path& file, std::string_view content) {
    const std::filesystem::path next = file.string() + ".new";
    std::error_code error;
    std::filesystem::create_directories(file.parent_path(), error); // the first write makes it
    {
        std::ofstream out(next, std::ios::trunc | std::ios::binary);
        out.write(content.data(), static_cast<std::streamsize>(content.size()));
        if (!out.flush())
            return unexpected("cannot write " + next.string());
    }
    std::filesystem::rename(next, file, error);
    if (error)
        return unexpected("cannot replace " + file.string() + ": " + error.message());
    return {};
}

} // namespace lmharvest::agent
