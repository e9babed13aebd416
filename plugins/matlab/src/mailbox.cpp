#include "mailbox.hpp"

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <lmharvest/plugin.hpp>
#include <sys/stat.h>
#include <unistd.h>

namespace lmharvest::matlab {

std::optional<Pairs> read_pairs(const std::filesystem::path& file) {
    std::ifstream in(file);
    if (!in)
        return std::nullopt;
    Pairs pairs;
    for (std::string line; std::getline(in, line);)
        if (const size_t equals = line.find('='); equals != std::string::npos)
            pairs[line.substr(0, equals)] = line.substr(equals + 1);
    return pairs;
}

void write_pairs(const std::filesystem::path& file, const Pairs& pairs) {
    const std::filesystem::path temporary = file.string() + ".tmp";
    {
        std::ofstream out(temporary, std::ios::trunc);
        for (const auto& [key, value] : pairs) {
            std::string line = value; // one line per key: a newline would start a forged key
            std::replace(line.begin(), line.end(), '\n', ' ');
            out << key << '=' << line << '\n';
        }
        if (!out.flush())
            throw sdk::Error(LH_ERR_GENERIC, "matlab: cannot write " + temporary.string());
    }
    if (std::rename(temporary.c_str(), file.c_str()) != 0)
        throw sdk::Error(LH_ERR_GENERIC, "matlab: cannot rename " + temporary.string() + ": " +
                                             std::strerror(errno));
}

void require_private(const std::filesystem::path& folder) {
    struct stat info {};
    if (::lstat(folder.c_str(), &info) != 0)
        throw sdk::Error(LH_ERR_PERMISSION,
                         "matlab: mailbox " + folder.string() + ": " + std::strerror(errno));
    auto refuse = [&](const std::string& why) {
        throw sdk::Error(LH_ERR_PERMISSION, "matlab: mailbox " + folder.string() + " " + why +
                                                "; it must be a folder of this user, mode 0700");
    };
    if (!S_ISDIR(info.st_mode))
        refuse("is not a folder");
    if (info.st_uid != ::geteuid())
        refuse("is owned by uid " + std::to_string(info.st_uid));
    if ((info.st_mode & 077) != 0) {
        char mode[8];
        std::snprintf(mode, sizeof mode, "%04o", info.st_mode & 07777);
        refuse(std::string("has mode ") + mode);
    }
}

} // namespace lmharvest::matlab
