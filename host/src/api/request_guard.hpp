// What every HTTP request passes before a route sees it: its Host header (DNS rebinding against
// a loopback API), its body's size (refused on Content-Length before a byte of it is read),
// the method (405 with Allow on a known path), valid UTF-8 in its query, and its token. Also the
// server's timeouts, its bounded connection queue, and JSON for every error, 500s logged with the
// cause.
#pragma once

#include "api/authorization.hpp"
#include "api/guarded_server.hpp"
#include "api/route_table.hpp"
#include "config/config.hpp"

#include <chrono>
#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace lmharvest {

struct RequestLimits {
    std::size_t body_bytes = 1024 * 1024;
    std::size_t workers = 16;    // connections served at once
    std::size_t waiting = 64;    // accepted connections waiting for a worker
    ConnectionBudget connection; // the whole request: time and bytes (64 KiB + body_bytes)
};

/// The host names a request may be addressed to (lower case), from host.listen, localhost and
/// this machine's name when the address is a loopback or wildcard one, and host.allowed_hosts.
struct AllowedHosts {
    std::vector<std::string> names;
    bool any_ip_address = false; // listening on every address: any IP literal is fine
};

AllowedHosts allowed_hosts(const HostConfig& host);

/// True when the Host header ("name", "name:port", "[v6]:port") names an allowed host.
bool host_allowed(std::string_view header, const AllowedHosts& allowed);

/// Whether a request may reach its route (authorization.hpp); nullopt when it may.
using Authorize = std::function<std::optional<AuthRefusal>(const httplib::Request&)>;

/// Sets the body limit, the queue and the handlers on `server` (a GuardedServer made with
/// `limits.connection`). `authorize` is asked last, before the body is read; its 401s carry
/// `WWW-Authenticate: Bearer`.
void guard_requests(httplib::Server& server, const RouteTable& routes, AllowedHosts hosts,
                    Authorize authorize, const RequestLimits& limits = {});

} // namespace lmharvest
