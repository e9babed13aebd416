#include "api/http_reply.hpp"
#include "api/routes.hpp"
#include "service/session_query.hpp"

#include "json/records_json.hpp"

namespace lmharvest {
namespace {

constexpr int64_t default_history_limit = 1000;
constexpr std::size_t max_text_filter = 200; // bytes of ?q=: a filter box, not a document

Expected<SessionFilter> filter_params(Service& service, const httplib::Request& request) {
    const SessionQuery query{param(request, "user"), param(request, "group"),
                             param(request, "feature"), param(request, "server")};
    auto filter = make_filter(query, *service.config(), service.groups(), service.store());
    const std::string text = param(request, "q");
    if (text.size() > max_text_filter)
        return unexpected("q: " + std::to_string(text.size()) + " bytes; at most " +
                          std::to_string(max_text_filter));
    if (filter && !text.empty())
        filter->text = text;
    return filter;
}

// ?total=1 asks for X-Total-Count: the rows of every filter before paging (counted in a read
// of its own, so a poll between the two may make it differ from the page by that poll).
Expected<bool> total_param(const httplib::Request& request) {
    const std::string total = param(request, "total");
    if (total.empty() || total == "0")
        return false;
    if (total == "1")
        return true;
    return unexpected("total: '" + total + "': use 1 (or 0)");
}

constexpr const char* total_header = "X-Total-Count";

void reply_rows(httplib::Response& response, Expected<std::unique_ptr<SessionRows>> rows) {
    if (!rows)
        return reply_error(response, 400, rows.error());
    reply_session_rows(response, std::move(*rows));
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
    const auto total = total_param(request);
    if (!total)
        return reply_error(response, 400, total.error());
    auto rows = store.open_session_rows(*filter, *page);
    if (rows && *total)
        response.set_header(total_header, std::to_string(store.open_session_count(*filter)));
    reply_rows(response, std::move(rows));
}

Expected<SummaryBy> summary_by(const std::string& by) {
    if (by.empty())
        return SummaryBy::all;
    if (by == "user")
        return SummaryBy::user;
    if (by == "feature")
        return SummaryBy::feature;
    if (by == "feature,user" || by == "feature-user")
        return SummaryBy::feature_user;
    return unexpected("by: '" + by + "': use user, feature or feature,user (or leave it out)");
}

nlohmann::json summary_json(const FeatureUse& use, SummaryBy by) {
    nlohmann::json row = {{"sessions", use.sessions}, {"licenses", use.licenses}};
    if (by == SummaryBy::feature || by == SummaryBy::feature_user) {
        row["server_id"] = use.server;
        row["vendor"] = use.vendor;
        row["feature"] = use.feature;
    }
    if (by == SummaryBy::user || by == SummaryBy::feature_user)
        row["user"] = use.user;
    return row;
}

void summarize_sessions(Service& service, const httplib::Request& request,
                        httplib::Response& response) {
    const auto by = summary_by(param(request, "by"));
    if (!by)
        return reply_error(response, 400, by.error());
    auto filter = filter_params(service, request);
    if (!filter)
        return reply_error(response, 400, filter.error());
    const auto page = page_params(request, std::nullopt);
    if (!page)
        return reply_error(response, 400, page.error());
    const auto total = total_param(request);
    if (!total)
        return reply_error(response, 400, total.error());
    const Store& store = service.store();
    const auto summary = store.session_summary(*filter, *by, *page);
    if (!summary)
        return reply_error(response, 400, summary.error());
    nlohmann::json rows = nlohmann::json::array();
    for (const FeatureUse& use : summary->rows)
        rows.push_back(summary_json(use, *by));
    set_next_cursor(response, *summary);
    if (*total)
        response.set_header(total_header, std::to_string(store.session_summary_size(*filter, *by)));
    reply_json(response, rows);
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
    reply_rows(response, service.store().closed_session_rows(history, *page));
}

} // namespace

void add_sessions_routes(RouteTable& http, Service& service) {
    http.get("/api/v1/sessions",
             [&service](const httplib::Request& request, httplib::Response& response) {
                 list_sessions(service, request, response);
             });
    http.get("/api/v1/sessions/summary",
             [&service](const httplib::Request& request, httplib::Response& response) {
                 summarize_sessions(service, request, response);
             });
    http.get("/api/v1/sessions/history",
             [&service](const httplib::Request& request, httplib::Response& response) {
                 list_history(service, request, response);
             });
}

} // namespace lmharvest
