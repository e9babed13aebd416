#include "api/http_reply.hpp"
#include "api/routes.hpp"
#include "service/session_query.hpp"

#include "json/records_json.hpp"

namespace lmharvest {
namespace {

void list_sessions(Service& service, const httplib::Request& request, httplib::Response& response) {
    const std::string by = param(request, "by");
    Store& store = service.store();
    if (by == "feature" || by == "feature-user") {
        const bool with_user = by == "feature-user";
        nlohmann::json rows = nlohmann::json::array();
        for (const FeatureUse& use :
             with_user ? store.usage_by_feature_and_user() : store.usage_by_feature())
            rows.push_back(to_json(use, with_user));
        return reply_json(response, rows);
    }
    if (!by.empty())
        return reply_error(response, 400, "by: '" + by + "': use feature or feature-user");
    const SessionQuery query{param(request, "user"), param(request, "group"),
                             param(request, "feature"), param(request, "server")};
    auto filter = make_filter(query, *service.config(), service.groups(), store);
    if (!filter)
        return reply_error(response, 400, filter.error());
    reply_json_stream(response, store.open_sessions(*filter));
}

} // namespace

void add_sessions_routes(RouteTable& http, Service& service) {
    http.get("/api/v1/sessions",
             [&service](const httplib::Request& request, httplib::Response& response) {
                 list_sessions(service, request, response);
             });
}

} // namespace lmharvest
