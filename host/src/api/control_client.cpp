#include "api/control_client.hpp"

#include "api/control_socket.hpp"

#include "json/safe_dump.hpp"
#include <cerrno>
#include <cstring>
#include <sys/socket.h>
#include <sys/stat.h>

namespace lmharvest {

Expected<nlohmann::json> ask_service(const std::filesystem::path& state_dir,
                                     const nlohmann::json& request,
                                     std::chrono::milliseconds timeout) {
    const std::filesystem::path file = control_socket_file(state_dir);
    struct stat folder {};
    if (::stat(state_dir.c_str(), &folder) != 0)
        return unexpected(state_dir.string() + ": " + std::strerror(errno) +
                          "; is host.state_dir right?");
    const auto address = unix_socket_address(file);
    if (!address)
        return unexpected(address.error());
    const FileDescriptor connection(::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0));
    if (connection.get() < 0 ||
        ::connect(connection.get(), reinterpret_cast<const sockaddr*>(&*address),
                  sizeof *address) != 0) {
        const int error = errno;
        if (error == ENOENT || error == ECONNREFUSED)
            return unexpected("the service is not running (nothing answers on " + file.string() +
                              ")");
        return unexpected(file.string() + ": " + std::strerror(error) +
                          (error == EACCES ? "; run as root, the service's user or a member of "
                                             "the state folder's group"
                                           : ""));
    }
    // Who listens is checked before a byte is sent: a socket another user managed to put there
    // must learn nothing, not even the request.
    const auto peer = peer_credentials(connection.get());
    if (!peer)
        return unexpected(file.string() + ": " + peer.error());
    if (peer->uid != 0 && peer->uid != folder.st_uid)
        return unexpected(file.string() + ": served by uid " + std::to_string(peer->uid) +
                          ", not by root or the owner of " + state_dir.string() + " (uid " +
                          std::to_string(folder.st_uid) + "); refusing to talk to it");
    if (!write_message(connection.get(), safe_dump(request) + "\n"))
        return unexpected(file.string() + ": the service closed the connection");
    ::shutdown(connection.get(), SHUT_WR);
    const auto answer = read_message(connection.get(), 16 * 1024 * 1024, timeout);
    if (!answer)
        return unexpected("the service's answer: " + answer.error());
    auto reply = nlohmann::json::parse(*answer, nullptr, false);
    if (reply.is_discarded() || !reply.is_object())
        return unexpected("the service's answer is not a JSON object");
    return reply;
}

} // namespace lmharvest
