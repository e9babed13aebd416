// The local control channel between `lmharvest` commands and the running service: a Unix
// socket in state_dir. Unlike the TCP port, which any local user may bind while the service is
// down, both ends learn who the other is from the kernel (SO_PEERCRED), so the CLI never hands
// a request to an impostor and the service never takes one from a stranger.
// One JSON request per connection, one JSON answer, then the connection closes.
#pragma once

#include "common/expected.hpp"

#include <chrono>
#include <cstddef>
#include <filesystem>
#include <string>
#include <sys/types.h>
#include <sys/un.h>
#include <vector>

namespace lmharvest {

/// <state_dir>/control.sock
std::filesystem::path control_socket_file(const std::filesystem::path& state_dir);

/// The socket address of `file`; an error when the path is too long for one.
Expected<sockaddr_un> unix_socket_address(const std::filesystem::path& file);

/// The largest request the service reads, and how long it waits for one.
inline constexpr std::size_t control_request_limit = 64 * 1024;
inline constexpr std::chrono::seconds control_request_timeout{5};

/// Who is at the other end of a connected Unix socket, as the kernel recorded it at connect()
/// or listen() time.
struct PeerCredentials {
    pid_t pid = 0;
    uid_t uid = 0;
    gid_t gid = 0;
    std::vector<gid_t> groups; // supplementary groups (SO_PEERGROUPS)
};

Expected<PeerCredentials> peer_credentials(int fd);

/// Reads until EOF or a newline, at most `limit` bytes, within `timeout`; an error names which
/// limit was hit.
Expected<std::string> read_message(int fd, std::size_t limit, std::chrono::milliseconds timeout);

/// Writes all of `data`; false when the peer went away.
bool write_message(int fd, const std::string& data);

/// Closes a file descriptor when it goes out of scope.
class FileDescriptor {
public:
    explicit FileDescriptor(int fd = -1) : fd_(fd) {}
    ~FileDescriptor();
    FileDescriptor(FileDescriptor&& other) noexcept : fd_(other.release()) {}
    FileDescriptor& operator=(FileDescriptor&& other) noexcept;
    FileDescriptor(const FileDescriptor&) = delete;
    FileDescriptor& operator=(const FileDescriptor&) = delete;
    int get() const { return fd_; }
    int release();

private:
    int fd_;
};

} // namespace lmharvest
