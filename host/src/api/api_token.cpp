#include "api/api_token.hpp"

#include "auth/random_token.hpp"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace lmharvest {
namespace fs = std::filesystem;

namespace {

// Refuses a token file that a group or others may read: whoever copied it may close sessions.
Unexpected<std::string> refuse_readable_by_others(const fs::path& file, mode_t mode) {
    char octal[8];
    std::snprintf(octal, sizeof octal, "%04o", static_cast<unsigned>(mode & 07777));
    return unexpected(file.string() + ": the API token is readable by others than its owner " +
                      "(mode " + octal + "); run `chmod 600 " + file.string() +
                      "` (and replace the token if others may have read it: delete the file " +
                      "and restart the service)");
}

} // namespace

fs::path api_token_file(const fs::path& state_dir) {
    return state_dir / "api-token";
}

Expected<bool> check_api_token_mode(const fs::path& state_dir) {
    const fs::path file = api_token_file(state_dir);
    struct stat status {};
    if (::stat(file.c_str(), &status) != 0)
        return false;
    if ((status.st_mode & 077) != 0)
        return refuse_readable_by_others(file, status.st_mode);
    return true;
}

Expected<std::string> read_api_token(const fs::path& state_dir) {
    const fs::path file = api_token_file(state_dir);
    const int fd = ::open(file.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
    if (fd < 0)
        return unexpected(file.string() + ": cannot read the API token (" + std::strerror(errno) +
                          "); run as the service's user (or root), or start the service once " +
                          "to create it");
    struct stat status {};
    std::string content(128, '\0');
    const bool stated = ::fstat(fd, &status) == 0;
    const ssize_t got = stated ? ::read(fd, content.data(), content.size()) : -1;
    ::close(fd);
    if (stated && (status.st_mode & 077) != 0)
        return refuse_readable_by_others(file, status.st_mode);
    content.resize(got > 0 ? static_cast<std::size_t>(got) : 0);
    const std::string token = content.substr(0, content.find('\n'));
    if (token.empty())
        return unexpected(file.string() + ": the API token file is empty; delete it and restart " +
                          "the service to create a new one");
    return token;
}

Expected<std::string> load_or_create_api_token(const fs::path& state_dir) {
    const fs::path file = api_token_file(state_dir);
    std::error_code error;
    if (fs::exists(fs::symlink_status(file, error)))
        return read_api_token(state_dir); // never replaced silently, whatever is wrong with it
    fs::create_directories(state_dir, error);
    const auto token = random_token();
    if (!token)
        return unexpected(token.error());
    // Created with 0600 from the start: never readable by others, not even for a moment.
    const int fd = ::open(file.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0)
        return unexpected(file.string() + ": cannot create the API token: " + std::strerror(errno));
    const std::string line = *token + "\n";
    const bool written = ::write(fd, line.data(), line.size()) == static_cast<ssize_t>(line.size());
    ::close(fd);
    if (!written)
        return unexpected(file.string() + ": cannot write the API token");
    return *token;
}

} // namespace lmharvest
