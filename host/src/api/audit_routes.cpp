#include "api/http_reply.hpp"
#include "api/routes.hpp"

#include "json/iso_time.hpp"
#include "json/records_json.hpp"

namespace lmharvest {

void add_audit_routes(RouteTable& http, Service& service) {
    http.get("/api/v1/actions",
             [&service](const httplib::Request& request, httplib::Response& response) {
                 const auto limit = limit_param(request);
                 if (!limit)
                     return reply_error(response, 400, limit.error());
                 reply_json(response, to_json_array(service.store().actions(*limit)));
             });
    http.get("/api/v1/denials", [&service](const httplib::Request& request,
                                           httplib::Response& response) {
        const std::string since = param(request, "since");
        int64_t from = 0;
        if (!since.empty()) {
            const auto parsed = parse_iso8601(since);
            if (!parsed)
                return reply_error(response, 400,
                                   "since: '" + since +
                                       "' is not an ISO 8601 time such as 2024-05-23T06:00:00Z");
            from = *parsed;
        }
        const auto limit = limit_param(request);
        if (!limit)
            return reply_error(response, 400, limit.error());
        reply_json(response, to_json_array(service.store().denials(from, *limit)));
    });
}

} // namespace lmharvest
