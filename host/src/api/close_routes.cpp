#include "api/authorization.hpp"
#include "api/close_json.hpp"
#include "api/http_reply.hpp"
#include "api/routes.hpp"

namespace lmharvest {

void add_close_routes(RouteTable& http, Service& service, const TokenConfig& file_token) {
    http.post(R"(/api/v1/sessions/([^/]+)/close)", [&service,
                                                    &file_token](const httplib::Request& request,
                                                                 httplib::Response& response) {
        // The guard let the request through (access_rules.cpp); the caller is its token.
        const auto caller =
            identify(request.get_header_value("Authorization"), *service.config(), file_token);
        if (!caller || !*caller)
            return reply_error(response, 401, "closing needs a token (Authorization: Bearer ...)");
        const auto id = parse_id(request.matches[1], "session id");
        if (!id)
            return reply_error(response, 400, id.error());
        CloseRequest close;
        close.session_id = *id;
        close.actor = (*caller)->name;
        if (!request.body.empty()) {
            const auto body = nlohmann::json::parse(request.body, nullptr, false);
            if (body.is_discarded())
                return reply_error(response, 400, "the body is not JSON");
            auto fields = read_close_fields(body, close, ActorFrom::caller);
            if (!fields)
                return reply_error(response, 400, fields.error());
            close = std::move(*fields);
        }
        const CloseReport report = service.close(close);
        reply_json(response, close_report_json(report), close_http_status(report.outcome));
    });
}

} // namespace lmharvest
