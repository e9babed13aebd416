#include "api/api_token.hpp"

#include <fcntl.h>
#include <fstream>
#include <random>
#include <sys/stat.h>
#include <unistd.h>

namespace lmharvest {
namespace fs = std::filesystem;

fs::path api_token_file(const fs::path& state_dir) {
    return state_dir / "api-token";
}

Expected<std::string> read_api_token(const fs::path& state_dir) {
    const fs::path file = api_token_file(state_dir);
    std::ifstream in(file);
    std::string token;
    if (!in || !std::getline(in, token) || token.empty())
        return unexpected(file.string() + ": cannot read the API token; run as the service's " +
                          "user (or root), or start the service once to create it");
    return token;
}

Expected<std::string> load_or_create_api_token(const fs::path& state_dir) {
    if (auto token = read_api_token(state_dir))
        return token;
    std::error_code error;
    fs::create_directories(state_dir, error);
    std::random_device random; // the kernel's CSPRNG on Linux
    static constexpr char hex[] = "0123456789abcdef";
    std::string token;
    for (int i = 0; i < 32; ++i) {
        const unsigned byte = random() & 0xff;
        token += hex[byte >> 4];
        token += hex[byte & 0xf];
    }
    const fs::path file = api_token_file(state_dir);
    // Created with 0600 from the start: never readable by others, not even for a moment.
    const int fd = ::open(file.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (fd < 0)
        return unexpected(file.string() + ": cannot create the API token");
    const std::string line = token + "\n";
    const bool written = ::write(fd, line.data(), line.size()) == static_cast<ssize_t>(line.size());
    ::close(fd);
    if (!written)
        return unexpected(file.string() + ": cannot write the API token");
    return token;
}

} // namespace lmharvest
