#include "api/http_api.hpp"

#include "api/metrics.hpp"
#include "service/session_query.hpp"

#include "json/iso_time.hpp"
#include "json/records_json.hpp"
#include <fstream>
#include <httplib.h>
#include <spdlog/spdlog.h>

namespace lmharvest {
namespace {

void reply_json(httplib::Response& response, const nlohmann::json& body, int status = 200) {
    response.status = status;
    response.set_content(body.dump(2) + "\n", "application/json");
}

// Streamed in 64 KiB chunks after the handler returns: 100k sessions are never one string.
void reply_json_stream(httplib::Response& response, std::vector<SessionRecord> records) {
    auto kept = std::make_shared<const std::vector<SessionRecord>>(std::move(records));
    response.set_chunked_content_provider(
        "application/json", [kept](std::size_t, httplib::DataSink& sink) {
            const bool sent = write_json(*kept, [&sink](std::string_view text) {
                return sink.write(text.data(), text.size());
            });
            if (sent)
                sink.done();
            return sent;
        });
}

void reply_error(httplib::Response& response, int status, const std::string& message) {
    reply_json(response, {{"error", message}}, status);
}

std::string param(const httplib::Request& request, const char* name) {
    return request.has_param(name) ? request.get_param_value(name) : std::string();
}

// ?limit=N, kept within 1..10000; 100 when absent.
int limit_param(const httplib::Request& request) {
    const std::string limit = param(request, "limit");
    return limit.empty() ? 100 : std::clamp(std::atoi(limit.c_str()), 1, 10000);
}

// Constant-time comparison, so that the token cannot be guessed byte by byte from timings.
bool same_secret(const std::string& a, const std::string& b) {
    unsigned char difference = a.size() != b.size();
    for (std::size_t i = 0; i < a.size() && i < b.size(); ++i)
        difference |= static_cast<unsigned char>(a[i] ^ b[i]);
    return difference == 0;
}

int close_status(CloseReport::Outcome outcome) {
    switch (outcome) {
    case CloseReport::Outcome::closed:
        return 200;
    case CloseReport::Outcome::failed:
        return 502; // the license server refused or failed
    case CloseReport::Outcome::already_closed:
        return 409;
    case CloseReport::Outcome::not_found:
        break;
    }
    return 404;
}

} // namespace

std::filesystem::path api_address_file(const std::filesystem::path& state_dir) {
    return state_dir / "api-address";
}

HttpApi::HttpApi(Service& service, std::string token)
    : service_(service), token_(std::move(token)), server_(std::make_unique<httplib::Server>()) {
    add_routes();
}

HttpApi::~HttpApi() {
    stop();
}

Expected<int> HttpApi::start(const std::string& host, int port) {
    const int bound = port == 0 ? server_->bind_to_any_port(host.c_str())
                                : (server_->bind_to_port(host.c_str(), port) ? port : -1);
    if (bound < 0)
        return unexpected("cannot listen on " + host + ":" + std::to_string(port) +
                          " (in use, or not an address of this machine); set host.listen");
    thread_ = std::thread([this] { server_->listen_after_bind(); });
    const std::filesystem::path state_dir = service_.config().host.state_dir;
    std::ofstream(api_address_file(state_dir)) << host << ':' << bound << '\n';
    spdlog::info("api listening address={}:{}", host, bound);
    return bound;
}

void HttpApi::stop() {
    if (thread_.joinable()) {
        server_->stop();
        thread_.join();
        // A stale address would send `lmharvest close` to whatever listens there next.
        std::error_code ignored;
        std::filesystem::remove(api_address_file(service_.config().host.state_dir), ignored);
    }
}

void HttpApi::add_routes() {
    httplib::Server& http = *server_;
    http.Get("/healthz", [](const httplib::Request&, httplib::Response& response) {
        response.set_content("ok\n", "text/plain");
    });
    http.Get("/metrics", [this](const httplib::Request&, httplib::Response& response) {
        Store& store = service_.store();
        response.set_content(render_metrics(service_.poll_stats(), store.servers(),
                                            store.features(), store.usage_by_feature()),
                             "text/plain; version=0.0.4");
    });
    http.Get("/api/v1/servers", [this](const httplib::Request&, httplib::Response& response) {
        reply_json(response, to_json_array(service_.store().servers()));
    });
    http.Get("/api/v1/features",
             [this](const httplib::Request& request, httplib::Response& response) {
                 std::optional<std::string> server;
                 if (request.has_param("server"))
                     server = request.get_param_value("server");
                 reply_json(response, to_json_array(service_.store().features(server)));
             });
    http.Get(
        "/api/v1/sessions", [this](const httplib::Request& request, httplib::Response& response) {
            const std::string by = param(request, "by");
            Store& store = service_.store();
            if (by == "feature" || by == "feature-user") {
                const bool with_user = by == "feature-user";
                nlohmann::json rows = nlohmann::json::array();
                for (const FeatureUse& use :
                     with_user ? store.usage_by_feature_and_user() : store.usage_by_feature())
                    rows.push_back(to_json(use, with_user));
                return reply_json(response, rows);
            }
            if (!by.empty())
                return reply_error(response, 400, "by=" + by + ": use feature or feature-user");
            const SessionQuery query{param(request, "user"), param(request, "group"),
                                     param(request, "feature"), param(request, "server")};
            auto filter = make_filter(query, service_.config().groups);
            if (!filter)
                return reply_error(response, 400, filter.error());
            reply_json_stream(response, store.open_sessions(*filter));
        });
    http.Get(
        "/api/v1/actions", [this](const httplib::Request& request, httplib::Response& response) {
            reply_json(response, to_json_array(service_.store().actions(limit_param(request))));
        });
    http.Get("/api/v1/denials", [this](const httplib::Request& request,
                                       httplib::Response& response) {
        const std::string since = param(request, "since");
        int64_t from = 0;
        if (!since.empty()) {
            const auto parsed = parse_iso8601(since);
            if (!parsed)
                return reply_error(response, 400, "since=" + since + " is not ISO 8601");
            from = *parsed;
        }
        reply_json(response, to_json_array(service_.store().denials(from, limit_param(request))));
    });
    http.Post(R"(/api/v1/sessions/(\d+)/close)",
              [this](const httplib::Request& request, httplib::Response& response) {
                  const std::string authorization = request.get_header_value("Authorization");
                  if (!same_secret(authorization, "Bearer " + token_))
                      return reply_error(response, 401,
                                         "closing needs the API token (" +
                                             std::string("Authorization: Bearer ...)"));
                  CloseRequest close;
                  close.session_id = std::stoll(request.matches[1]);
                  close.actor = "api";
                  if (!request.body.empty()) {
                      const auto body = nlohmann::json::parse(request.body, nullptr, false);
                      if (body.is_discarded() || !body.is_object())
                          return reply_error(response, 400, "the body must be a JSON object");
                      close.actor = body.value("actor", close.actor);
                      close.reason = body.value("reason", close.reason);
                  }
                  const CloseReport report = service_.close(close);
                  nlohmann::json body = {{"outcome", to_string(report.outcome)},
                                         {"status", report.adapter_result.status},
                                         {"message", report.adapter_result.message},
                                         {"retry_after_ms", report.adapter_result.retry_after_ms},
                                         {"audit_id", report.audit_id}};
                  if (report.session)
                      body["session"] = to_json(*report.session);
                  reply_json(response, body, close_status(report.outcome));
              });
}

} // namespace lmharvest
