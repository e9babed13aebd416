#include "api/close_json.hpp"
#include "api/http_reply.hpp"
#include "api/routes.hpp"

namespace lmharvest {
namespace {

// Constant-time comparison, so that the token cannot be guessed byte by byte from timings.
bool same_secret(const std::string& a, const std::string& b) {
    unsigned char difference = a.size() != b.size();
    for (std::size_t i = 0; i < a.size() && i < b.size(); ++i)
        difference |= static_cast<unsigned char>(a[i] ^ b[i]);
    return difference == 0;
}

} // namespace

void add_close_routes(RouteTable& http, Service& service, const std::string& token) {
    http.post(R"(/api/v1/sessions/([^/]+)/close)",
              [&service, &token](const httplib::Request& request, httplib::Response& response) {
                  const std::string authorization = request.get_header_value("Authorization");
                  if (!same_secret(authorization, "Bearer " + token))
                      return reply_error(response, 401,
                                         "closing needs the API token (Authorization: Bearer ...)");
                  const auto id = parse_id(request.matches[1], "session id");
                  if (!id)
                      return reply_error(response, 400, id.error());
                  CloseRequest close;
                  close.session_id = *id;
                  close.actor = "api";
                  if (!request.body.empty()) {
                      const auto body = nlohmann::json::parse(request.body, nullptr, false);
                      if (body.is_discarded())
                          return reply_error(response, 400, "the body is not JSON");
                      auto fields = read_close_fields(body, close);
                      if (!fields)
                          return reply_error(response, 400, fields.error());
                      close = std::move(*fields);
                  }
                  const CloseReport report = service.close(close);
                  reply_json(response, close_report_json(report),
                             close_http_status(report.outcome));
              });
}

} // namespace lmharvest
