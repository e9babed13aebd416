// The API's routes, one file per resource; HttpApi adds them all to its server.
#pragma once

#include "service/service.hpp"

#include <string>

namespace httplib {
class Server;
}

namespace lmharvest {

/// GET /healthz, GET /metrics
void add_health_routes(httplib::Server& http, Service& service);
/// GET /api/v1/servers, GET /api/v1/features
void add_servers_routes(httplib::Server& http, Service& service);
/// GET /api/v1/sessions
void add_sessions_routes(httplib::Server& http, Service& service);
/// POST /api/v1/sessions/{id}/close, authorized by `token`
void add_close_routes(httplib::Server& http, Service& service, const std::string& token);
/// GET /api/v1/actions, GET /api/v1/denials
void add_audit_routes(httplib::Server& http, Service& service);

} // namespace lmharvest
