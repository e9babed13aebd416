// What the local control channel can ask of the service. Today one command:
//   {"command": "close", "session_id": N, "actor": "...", "reason": "..."}
// answered as the HTTP close is (close_json.hpp), or {"error": "..."}.
#pragma once

#include "api/control_server.hpp"
#include "service/service.hpp"

namespace lmharvest {

ControlServer::Handler control_commands(Service& service);

} // namespace lmharvest
