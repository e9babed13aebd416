// The API's routes, one file per resource; HttpApi adds them all to its server.
#pragma once

#include "api/event_hub.hpp"
#include "api/route_table.hpp"
#include "service/service.hpp"

#include <string>

namespace lmharvest {

/// GET /healthz, GET /metrics
void add_health_routes(RouteTable& http, Service& service);
/// GET /api/v1/servers, GET /api/v1/features
void add_servers_routes(RouteTable& http, Service& service);
/// GET /api/v1/sessions, /api/v1/sessions/summary, /api/v1/sessions/history
void add_sessions_routes(RouteTable& http, Service& service);
/// POST /api/v1/sessions/{id}/close; the audit log records the caller's token name (`file_token`
/// is the api-token file's entry).
void add_close_routes(RouteTable& http, Service& service, const TokenConfig& file_token);
/// GET /api/v1/actions, GET /api/v1/denials
void add_audit_routes(RouteTable& http, Service& service);

/// POST /api/v1/agents/report, GET /api/v1/agents/{agent}/commands (a long poll; at most
/// `max_long_polls` wait at once), POST /api/v1/agents/{agent}/results,
/// GET /api/v1/agents/{agent}/licenses?features=..., GET /api/v1/agents
void add_agents_routes(RouteTable& http, Service& service, const TokenConfig& file_token,
                       std::size_t max_long_polls);
/// GET /api/v1/usage[?server=&vendor=&feature=&version=&user=|group=&from=&to=&step=]
void add_usage_routes(RouteTable& http, Service& service);

/// GET /api/v1/harvest/plan[?server=&feature=], GET /api/v1/notifications
void add_harvest_routes(RouteTable& http, Service& service);

/// GET /api/v1/whoami (the caller's token name and role, null without a token),
/// GET /api/v1/groups (the config's [groups])
void add_identity_routes(RouteTable& http, Service& service, const TokenConfig& file_token);

/// GET /api/v1/events: server-sent events, one per finished poll
void add_events_routes(RouteTable& http, EventHub& events);

/// GET / and GET /assets/<name>: the page (host/src/web/assets/)
void add_page_routes(RouteTable& http);

} // namespace lmharvest
