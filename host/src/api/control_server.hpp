// The service's end of the local control channel (control_socket.hpp): a thread that accepts
// one connection at a time on <state_dir>/control.sock (mode 0660, group of state_dir), checks
// the peer with SO_PEERCRED (root, the service's own uid, or a member of the socket's group),
// reads one size-limited JSON request within a timeout, and answers it.
#pragma once

#include "api/control_socket.hpp"
#include "common/expected.hpp"

#include <filesystem>
#include <functional>
#include <nlohmann/json.hpp>
#include <thread>

namespace lmharvest {

class ControlServer {
public:
    /// Answers one request from an accepted peer.
    using Handler =
        std::function<nlohmann::json(const nlohmann::json& request, const PeerCredentials& peer)>;

    ControlServer(std::filesystem::path state_dir, Handler handler);
    ~ControlServer();
    ControlServer(const ControlServer&) = delete;
    ControlServer& operator=(const ControlServer&) = delete;

    /// Creates the socket (refused when another service answers on it) and starts the thread.
    /// Returns the socket's path.
    Expected<std::filesystem::path> start();
    /// Stops accepting, waits for the request being answered, removes the socket.
    void stop();

private:
    void serve();
    void answer(int connection) const;
    bool may_use(const PeerCredentials& peer) const;

    std::filesystem::path state_dir_;
    std::filesystem::path socket_file_;
    Handler handler_;
    gid_t socket_group_ = 0;
    FileDescriptor listener_;
    FileDescriptor wake_read_, wake_write_; // stop() writes a byte to end serve()'s poll
    std::thread thread_;
};

} // namespace lmharvest
