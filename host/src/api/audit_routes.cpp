#include "api/http_reply.hpp"
#include "api/routes.hpp"

#include "json/iso_time.hpp"
#include "json/records_json.hpp"

namespace lmharvest {

void add_audit_routes(httplib::Server& http, Service& service) {
    http.Get("/api/v1/actions",
             [&service](const httplib::Request& request, httplib::Response& response) {
                 reply_json(response, to_json_array(service.store().actions(limit_param(request))));
             });
    http.Get("/api/v1/denials", [&service](const httplib::Request& request,
                                           httplib::Response& response) {
        const std::string since = param(request, "since");
        int64_t from = 0;
        if (!since.empty()) {
            const auto parsed = parse_iso8601(since);
            if (!parsed)
                return reply_error(response, 400, "since=" + since + " is not ISO 8601");
            from = *parsed;
        }
        reply_json(response, to_json_array(service.store().denials(from, limit_param(request))));
    });
}

} // namespace lmharvest
