#include "api/http_api.hpp"

#include "api/request_guard.hpp"
#include "api/routes.hpp"
#include "config/loopback.hpp"

#include <fstream>
#include <httplib.h>
#include <iterator>
#include <spdlog/spdlog.h>

namespace lmharvest {

namespace {

// Listeners hold no worker (the hub's one thread writes to them all), only a socket each and at
// most EventHub::max_queued events: 256 pages, well inside the default 1,024 descriptors.
constexpr std::size_t max_event_listeners = 256;
// A comment this often keeps proxies from closing a quiet stream and shows a dead client.
constexpr std::chrono::seconds event_heartbeat{15};

} // namespace

std::filesystem::path api_address_file(const std::filesystem::path& state_dir) {
    return state_dir / "api-address";
}

namespace {

std::unique_ptr<httplib::Server> make_server(const HostConfig& listener) {
    const ConnectionBudget budget = RequestLimits().connection;
    if (listener.tls_cert.empty())
        return std::make_unique<GuardedServer>(budget);
    return std::make_unique<GuardedTlsServer>(budget, listener.tls_cert.c_str(),
                                              listener.tls_key.c_str());
}

} // namespace

HttpApi::HttpApi(Service& service, const std::string& file_token, const HostConfig& listener)
    : service_(service), file_token_(api_token_file_entry(file_token)), listener_(listener),
      events_(max_event_listeners, event_heartbeat),
      poll_listener_(
          service.poll_listeners().add([this](const PollEvent& event) { events_.publish(event); })),
      server_(make_server(listener)), routes_(*server_) {
    add_routes();
    guard_requests(*server_, routes_, allowed_hosts(service_.config()->host),
                   [this](const httplib::Request& request) {
                       return authorize(request.method, request.path,
                                        request.get_header_value("Authorization"),
                                        *service_.config(), file_token_);
                   });
}

HttpApi::~HttpApi() {
    stop();
    service_.poll_listeners().remove(poll_listener_);
}

Expected<int> HttpApi::start() {
    const std::string& host = listener_.listen_host;
    const int port = listener_.listen_port;
    const bool tls = !listener_.tls_cert.empty();
    if (!server_->is_valid()) // SSLServer could not load the pair
        return unexpected("cannot use host.tls_cert " + listener_.tls_cert + " with host.tls_key " +
                          listener_.tls_key +
                          ": not a PEM certificate and its private key, or the key does not "
                          "belong to the certificate (an encrypted key is not supported)");
    const int bound = port == 0 ? server_->bind_to_any_port(host.c_str())
                                : (server_->bind_to_port(host.c_str(), port) ? port : -1);
    if (bound < 0)
        return unexpected("cannot listen on " + host + ":" + std::to_string(port) +
                          " (in use, or not an address of this machine); set host.listen");
    thread_ = std::thread([this] { server_->listen_after_bind(); });
    address_ = host + ':' + std::to_string(bound) + '\n';
    port_ = bound;
    spdlog::info("api listening address={}:{} scheme={}", host, bound, tls ? "https" : "http");
    if (!tls && !is_loopback_name(host))
        spdlog::warn("api serves plain HTTP on address={} (host.insecure = true): tokens and "
                     "answers cross the network unencrypted; set host.tls_cert and host.tls_key",
                     host);
    const bool v6 = host.find(':') != std::string::npos;
    spdlog::info("page url={}://{}{}{}:{}/", tls ? "https" : "http", v6 ? "[" : "", host,
                 v6 ? "]" : "", bound);
    return bound;
}

void HttpApi::publish_address() const {
    std::ofstream(api_address_file(service_.config()->host.state_dir)) << address_;
}

void HttpApi::stop() {
    events_.stop(); // every stream ends with its last chunk, before the server goes
    if (thread_.joinable()) {
        server_->stop();
        thread_.join();
        // A stale address would send scripts to whatever listens there next; after a
        // reload that moved the API, the file names the new listener and stays.
        const auto file = api_address_file(service_.config()->host.state_dir);
        std::ifstream in(file);
        const std::string written{std::istreambuf_iterator<char>(in), {}};
        std::error_code ignored;
        if (written == address_)
            std::filesystem::remove(file, ignored);
    }
}

void HttpApi::add_routes() {
    add_health_routes(routes_, service_);
    add_servers_routes(routes_, service_);
    add_sessions_routes(routes_, service_);
    add_close_routes(routes_, service_, file_token_);
    add_audit_routes(routes_, service_);
    add_harvest_routes(routes_, service_);
    // Half the workers: long polls never starve the people and scripts reading the API.
    add_agents_routes(routes_, service_, file_token_, RequestLimits().workers / 2);
    add_identity_routes(routes_, service_, file_token_);
    add_events_routes(routes_, events_);
    add_page_routes(routes_);
    add_usage_routes(routes_, service_);
}

} // namespace lmharvest
