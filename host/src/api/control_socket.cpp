#include "api/control_socket.hpp"

#include <cerrno>
#include <cstring>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

namespace lmharvest {

std::filesystem::path control_socket_file(const std::filesystem::path& state_dir) {
    return state_dir / "control.sock";
}

Expected<sockaddr_un> unix_socket_address(const std::filesystem::path& file) {
    sockaddr_un address{};
    address.sun_family = AF_UNIX;
    if (file.native().size() >= sizeof address.sun_path)
        return unexpected(file.string() + ": path too long for a Unix socket (" +
                          std::to_string(sizeof address.sun_path - 1) +
                          " bytes at most); choose a shorter host.state_dir");
    std::memcpy(address.sun_path, file.c_str(), file.native().size());
    return address;
}

Expected<PeerCredentials> peer_credentials(int fd) {
    ucred credentials{};
    socklen_t size = sizeof credentials;
    if (::getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &credentials, &size) != 0)
        return unexpected(std::string("cannot read the peer's credentials: ") +
                          std::strerror(errno));
    PeerCredentials peer{credentials.pid, credentials.uid, credentials.gid, {}};
    std::vector<gid_t> groups(64);
    socklen_t groups_size = static_cast<socklen_t>(groups.size() * sizeof(gid_t));
    if (::getsockopt(fd, SOL_SOCKET, SO_PEERGROUPS, groups.data(), &groups_size) != 0 &&
        errno == ERANGE) {
        groups.resize(groups_size / sizeof(gid_t));
        ::getsockopt(fd, SOL_SOCKET, SO_PEERGROUPS, groups.data(), &groups_size);
    }
    groups.resize(groups_size / sizeof(gid_t));
    peer.groups = std::move(groups);
    return peer;
}

Expected<std::string> read_message(int fd, std::size_t limit, std::chrono::milliseconds timeout) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    std::string message;
    char buffer[4096];
    for (;;) {
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
            deadline - std::chrono::steady_clock::now());
        pollfd wait{fd, POLLIN, 0};
        if (left.count() <= 0 || ::poll(&wait, 1, static_cast<int>(left.count())) == 0)
            return unexpected("no whole message within " + std::to_string(timeout.count()) + " ms");
        const ssize_t got = ::read(fd, buffer, sizeof buffer);
        if (got < 0 && errno == EINTR)
            continue;
        if (got < 0)
            return unexpected(std::string("cannot read: ") + std::strerror(errno));
        if (got == 0)
            return message;
        message.append(buffer, static_cast<std::size_t>(got));
        if (message.size() > limit)
            return unexpected("message larger than " + std::to_string(limit) + " bytes");
        if (const auto newline = message.find('\n'); newline != std::string::npos)
            return message.substr(0, newline);
    }
}

bool write_message(int fd, const std::string& data) {
    std::size_t done = 0;
    while (done < data.size()) {
        const ssize_t wrote = ::send(fd, data.data() + done, data.size() - done, MSG_NOSIGNAL);
        if (wrote < 0 && errno == EINTR)
            continue;
        if (wrote <= 0)
            return false;
        done += static_cast<std::size_t>(wrote);
    }
    return true;
}

FileDescriptor::~FileDescriptor() {
    if (fd_ >= 0)
        ::close(fd_);
}

FileDescriptor& FileDescriptor::operator=(FileDescriptor&& other) noexcept {
    if (this != &other) {
        if (fd_ >= 0)
            ::close(fd_);
        fd_ = other.release();
    }
    return *this;
}

int FileDescriptor::release() {
    const int fd = fd_;
    fd_ = -1;
    return fd;
}

} // namespace lmharvest
