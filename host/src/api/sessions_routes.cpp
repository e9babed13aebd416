#include "api/http_reply.hpp"
#include "api/routes.hpp"
#include "service/session_query.hpp"

#include "json/records_json.hpp"

namespace lmharvest {
namespace {

constexpr int64_t default_history_limit = 1000;

Expected<SessionFilter> filter_params(Service& service, const httplib::Request& request) {
    const SessionQuery query{param(request, "user"), param(request, "group"),
                             param(request, "feature"), param(request, "server")};
    return make_filter(query, *service.config(), service.groups(), service.store());
}

void reply_page(httplib::Response& response, Expected<Page<SessionRecord>> page) {
    if (!page)
        return reply_error(response, 400, page.error());
    set_next_cursor(response, *page);
    reply_json_stream(response, std::move(page->rows));
}

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
    auto filter = filter_params(service, request);
    if (!filter)
        return reply_error(response, 400, filter.error());
    const auto page = page_params(request, std::nullopt); // every open session, as before paging
    if (!page)
        return reply_error(response, 400, page.error());
    reply_page(response, store.open_sessions(*filter, *page));
}

void list_history(Service& service, const httplib::Request& request, httplib::Response& response) {
    auto filter = filter_params(service, request);
    if (!filter)
        return reply_error(response, 400, filter.error());
    HistoryFilter history{*filter};
    for (const char* name : {"from", "to"}) {
        const auto time = time_param(request, name);
        if (!time)
            return reply_error(response, 400, time.error());
        (name[0] == 'f' ? history.from : history.to) = *time;
    }
    const auto page = page_params(request, default_history_limit);
    if (!page)
        return reply_error(response, 400, page.error());
    reply_page(response, service.store().closed_sessions(history, *page));
}

} // namespace

void add_sessions_routes(RouteTable& http, Service& service) {
    http.get("/api/v1/sessions",
             [&service](const httplib::Request& request, httplib::Response& response) {
                 list_sessions(service, request, response);
             });
    http.get("/api/v1/sessions/history",
             [&service](const httplib::Request& request, httplib::Response& response) {
                 list_history(service, request, response);
             });
}

} // namespace lmharvest
