#include "cli/mapped_file.hpp"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

namespace lmharvest::cli {

Expected<std::shared_ptr<const MappedFile>> MappedFile::open(const std::string& path) {
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    struct stat info {};
    if (fd < 0 || fstat(fd, &info) != 0) {
        const std::string reason = std::strerror(errno);
        if (fd >= 0)
            ::close(fd);
        return unexpected(path + ": cannot read the file (" + reason + ")");
    }
    const auto size = static_cast<std::size_t>(info.st_size);
    // Populated at once: the whole file is read, and one fault per page cost 2.5k faults for
    // a 10 MB capture.
    void* data =
        size == 0 ? nullptr : mmap(nullptr, size, PROT_READ, MAP_PRIVATE | MAP_POPULATE, fd, 0);
    const int map_errno = errno;
    ::close(fd);
    if (data == MAP_FAILED)
        return unexpected(path + ": cannot read the file (" + std::strerror(map_errno) + ")");
    return std::shared_ptr<const MappedFile>(new MappedFile(static_cast<const char*>(data), size));
}

MappedFile::~MappedFile() {
    if (data_)
        munmap(const_cast<char*>(data_), size_);
}

} // namespace lmharvest::cli
