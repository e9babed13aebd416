#include "api/control_server.hpp"

#include "json/safe_dump.hpp"
#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <poll.h>
#include <spdlog/spdlog.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

namespace lmharvest {
namespace {

// True when a live service answers on `address`: then this one must not take the socket.
bool someone_listens(const sockaddr_un& address) {
    const FileDescriptor probe(::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0));
    return probe.get() >= 0 &&
           ::connect(probe.get(), reinterpret_cast<const sockaddr*>(&address), sizeof address) == 0;
}

} // namespace

ControlServer::ControlServer(std::filesystem::path state_dir, Handler handler)
    : state_dir_(std::move(state_dir)), socket_file_(control_socket_file(state_dir_)),
      handler_(std::move(handler)) {}

ControlServer::~ControlServer() {
    stop();
}

Expected<std::filesystem::path> ControlServer::start() {
    const auto address = unix_socket_address(socket_file_);
    if (!address)
        return unexpected(address.error());
    if (someone_listens(*address))
        return unexpected(socket_file_.string() + ": another lmharvest service answers here; " +
                          "stop it or give this one another host.state_dir");
    ::unlink(socket_file_.c_str()); // a socket left by a service that died
    FileDescriptor listener(::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0));
    if (listener.get() < 0 ||
        ::bind(listener.get(), reinterpret_cast<const sockaddr*>(&*address), sizeof *address) != 0)
        return unexpected(socket_file_.string() +
                          ": cannot create the control socket: " + std::strerror(errno));
    // The socket's group is the state folder's: an admin lets a group use `lmharvest close` by
    // giving it the folder (chgrp), without another setting.
    struct stat folder {};
    if (::stat(state_dir_.c_str(), &folder) != 0 || ::chmod(socket_file_.c_str(), 0660) != 0 ||
        ::listen(listener.get(), 8) != 0) {
        const std::string error = std::strerror(errno);
        ::unlink(socket_file_.c_str());
        return unexpected(socket_file_.string() + ": cannot set up the control socket: " + error);
    }
    socket_group_ = ::getegid();
    if (folder.st_gid != socket_group_) {
        if (::chown(socket_file_.c_str(), static_cast<uid_t>(-1), folder.st_gid) == 0)
            socket_group_ = folder.st_gid;
        else // the service's user is not in the folder's group: only it and root may connect
            spdlog::warn("control socket path={} keeps group {}: cannot give it the group {} of "
                         "state_dir ({})",
                         socket_file_.string(), socket_group_, folder.st_gid, std::strerror(errno));
    }
    int wake[2];
    if (::pipe2(wake, O_CLOEXEC) != 0) {
        ::unlink(socket_file_.c_str());
        return unexpected(std::string("cannot create a pipe: ") + std::strerror(errno));
    }
    wake_read_ = FileDescriptor(wake[0]);
    wake_write_ = FileDescriptor(wake[1]);
    listener_ = std::move(listener);
    thread_ = std::thread([this] { serve(); });
    spdlog::info("control socket listening path={} group={}", socket_file_.string(), socket_group_);
    return socket_file_;
}

void ControlServer::stop() {
    if (!thread_.joinable())
        return;
    const char byte = 0;
    [[maybe_unused]] const ssize_t woke = ::write(wake_write_.get(), &byte, 1);
    thread_.join();
    listener_ = FileDescriptor();
    ::unlink(socket_file_.c_str());
}

void ControlServer::serve() {
    for (;;) {
        pollfd waits[2] = {{listener_.get(), POLLIN, 0}, {wake_read_.get(), POLLIN, 0}};
        if (::poll(waits, 2, -1) < 0 && errno != EINTR)
            return;
        if (waits[1].revents != 0)
            return;
        if (waits[0].revents == 0)
            continue;
        const FileDescriptor connection(::accept4(listener_.get(), nullptr, nullptr, SOCK_CLOEXEC));
        if (connection.get() >= 0)
            answer(connection.get());
    }
}

bool ControlServer::may_use(const PeerCredentials& peer) const {
    return peer.uid == 0 || peer.uid == ::geteuid() || peer.gid == socket_group_ ||
           std::find(peer.groups.begin(), peer.groups.end(), socket_group_) != peer.groups.end();
}

void ControlServer::answer(int connection) const {
    const auto reply = [connection](const nlohmann::json& body) {
        write_message(connection, safe_dump(body) + "\n");
    };
    const auto peer = peer_credentials(connection);
    if (!peer) {
        spdlog::warn("control request refused error=\"{}\"", peer.error());
        return reply({{"error", peer.error()}});
    }
    if (!may_use(*peer)) {
        spdlog::warn("control request refused peer_uid={} peer_pid={}: not root, the service's "
                     "user or a member of group {}",
                     peer->uid, peer->pid, socket_group_);
        return reply({{"error", "uid " + std::to_string(peer->uid) +
                                    " may not control this service (root, its user or group " +
                                    std::to_string(socket_group_) + " only)"}});
    }
    const auto message = read_message(
        connection, control_request_limit,
        std::chrono::duration_cast<std::chrono::milliseconds>(control_request_timeout));
    if (!message)
        return reply({{"error", "request: " + message.error()}});
    const auto request = nlohmann::json::parse(*message, nullptr, false);
    if (request.is_discarded() || !request.is_object())
        return reply({{"error", "request: not a JSON object"}});
    try {
        reply(handler_(request, *peer));
    } catch (const std::exception& e) {
        spdlog::error("control request failed peer_uid={} error=\"{}\"", peer->uid, e.what());
        reply({{"error", std::string("the service failed: ") + e.what()}});
    }
}

} // namespace lmharvest
