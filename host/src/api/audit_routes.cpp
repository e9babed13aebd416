#include "api/http_reply.hpp"
#include "api/routes.hpp"

#include "json/iso_time.hpp"
#include "json/records_json.hpp"

namespace lmharvest {
namespace {

constexpr int64_t default_audit_limit = 100;

template <class Record>
void reply_page(httplib::Response& response, const Expected<Page<Record>>& page) {
    if (!page)
        return reply_error(response, 400, page.error());
    set_next_cursor(response, *page);
    reply_json(response, to_json_array(page->rows));
}

} // namespace

void add_audit_routes(RouteTable& http, Service& service) {
    http.get("/api/v1/actions",
             [&service](const httplib::Request& request, httplib::Response& response) {
                 const auto page = page_params(request, default_audit_limit);
                 if (!page)
                     return reply_error(response, 400, page.error());
                 reply_page(response, service.store().actions(*page));
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
        const auto page = page_params(request, default_audit_limit);
        if (!page)
            return reply_error(response, 400, page.error());
        reply_page(response, service.store().denials(from, *page));
    });
}

} // namespace lmharvest
