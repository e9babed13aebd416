#include "api/control_commands.hpp"

#include "api/close_json.hpp"

#include <spdlog/spdlog.h>

namespace lmharvest {
namespace {

nlohmann::json close_command(Service& service, const nlohmann::json& request,
                             const PeerCredentials& peer) {
    const auto id = request.find("session_id");
    if (id == request.end() || !id->is_number_integer() || id->get<int64_t>() <= 0)
        return {{"error", "session_id: must be a positive integer"}};
    CloseRequest close;
    close.session_id = id->get<int64_t>();
    close.actor = "uid:" + std::to_string(peer.uid);
    auto fields = read_close_fields(request, close, ActorFrom::body, {"command", "session_id"});
    if (!fields)
        return {{"error", fields.error()}};
    spdlog::info("control close session={} peer_uid={} peer_pid={}", close.session_id, peer.uid,
                 peer.pid);
    return close_report_json(service.close(*fields));
}

} // namespace

ControlServer::Handler control_commands(Service& service) {
    return [&service](const nlohmann::json& request, const PeerCredentials& peer) {
        const auto field = request.find("command");
        const std::string command =
            field != request.end() && field->is_string() ? field->get<std::string>() : "";
        if (command == "close")
            return close_command(service, request, peer);
        return nlohmann::json{{"error", "command: unknown '" + command + "'; known: close"}};
    };
}

} // namespace lmharvest
