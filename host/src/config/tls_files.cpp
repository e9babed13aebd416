#include "config/tls_files.hpp"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace lmharvest {

std::optional<std::string> tls_file_problem(const std::string& path, TlsFile kind) {
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return "cannot read " + path + " (" + std::strerror(errno) +
               "); check the path, and that the service's user may read it";
    struct stat status {};
    const bool stated = ::fstat(fd, &status) == 0;
    ::close(fd);
    if (!stated || !S_ISREG(status.st_mode))
        return path + " is not a regular file; give the path of a PEM file";
    if (kind == TlsFile::private_key && (status.st_mode & 007) != 0) {
        char octal[8];
        std::snprintf(octal, sizeof octal, "%04o", static_cast<unsigned>(status.st_mode & 07777));
        return "the private key " + path + " is readable by every user (mode " + octal +
               "); run `chmod 600 " + path +
               "` (or 640 with the service's group), and replace the key and certificate if "
               "others may have read it";
    }
    return std::nullopt;
}

} // namespace lmharvest
