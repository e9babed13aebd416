// The host's HTTP API on host.listen (127.0.0.1:8940 by default), served by cpp-httplib, over
// HTTPS when host.tls_cert and host.tls_key are set:
//   GET  /healthz                          "ok"
//   GET  /metrics                          Prometheus text
//   GET  /api/v1/servers                   servers and their last poll
//   GET  /api/v1/features[?server=]        feature usage
//   GET  /api/v1/sessions[?user=&group=&feature=&server=&by=feature|feature-user]
//   GET  /api/v1/actions[?limit=]          the audit log, newest first
//   GET  /api/v1/denials[?since=&limit=] denials, newest first
//   GET  /api/v1/usage[?server=&feature=&user=|group=&from=&to=&step=]  usage history
//   POST /api/v1/sessions/{id}/close       body {"reason":..}; needs operator or admin
//   GET  /api/v1/whoami, /api/v1/groups    the caller's token, the config's groups
//   GET  /api/v1/events                    server-sent events, one per poll
//   GET  /, /assets/<name>                 the page (open)
// Each route needs the role that access_rules.cpp gives it ("Authorization: Bearer" with a
// [[tokens]] token, or the token in <state_dir>/api-token, which acts as admin "local-admin").
// Every request passes request_guard.hpp first (Host, body size, method, UTF-8 query); each
// resource has its route file (routes.hpp); docs/api.md describes every endpoint.
#pragma once

#include "api/event_hub.hpp"
#include "api/route_table.hpp"
#include "service/service.hpp"

#include <memory>
#include <string>
#include <thread>

namespace lmharvest {

class HttpApi {
public:
    /// `file_token`: the token in <state_dir>/api-token. `listener`: where and how to listen
    /// (listen, and HTTPS with tls_cert and tls_key); on a reload that moves the API, the new
    /// config's, which the service does not have yet.
    HttpApi(Service& service, const std::string& file_token, const HostConfig& listener);
    ~HttpApi();
    HttpApi(const HttpApi&) = delete;
    HttpApi& operator=(const HttpApi&) = delete;

    /// Binds the listener's host:port (port 0: any free port) and serves on a thread of its own;
    /// an error when the address cannot be bound or the certificate and key cannot be used.
    Expected<int> start();
    /// Writes this API's address to the api-address file, where `lmharvest close` finds it;
    /// stop() removes the file only while it still names this API (a reload may move it).
    void publish_address() const;
    /// The port start() bound; 0 before.
    int port() const { return port_; }
    void stop();

private:
    void add_routes();

    Service& service_;
    TokenConfig file_token_;
    HostConfig listener_;
    EventHub events_; // before server_: its streams end before the server goes
    int poll_listener_ = 0;
    std::unique_ptr<httplib::Server> server_; // a GuardedServer, or a GuardedTlsServer
    RouteTable routes_;
    std::thread thread_;
    std::string address_; // "host:port\n" as written to the api-address file
    int port_ = 0;
};

/// Where a running service listens: it writes "host:port" to <state_dir>/api-address, for
/// scripts. `lmharvest close` does not use it (it talks over the control socket).
std::filesystem::path api_address_file(const std::filesystem::path& state_dir);

} // namespace lmharvest
