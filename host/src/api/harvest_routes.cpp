#include "api/http_reply.hpp"
#include "api/routes.hpp"

#include "json/iso_time.hpp"
#include "json/plan_json.hpp"
#include <nlohmann/json.hpp>

namespace lmharvest {
namespace {

nlohmann::json notices_to_json(const std::vector<FreeLicenseNotice>& notices) {
    nlohmann::json out = nlohmann::json::array();
    for (const FreeLicenseNotice& n : notices)
        out.push_back({{"user", n.user},
                       {"server", n.server},
                       {"vendor", n.vendor},
                       {"feature", n.feature},
                       {"since", iso8601_local(n.since)},
                       {"notified", n.notified},
                       {"agents", n.agents}});
    return out;
}

} // namespace

void add_harvest_routes(RouteTable& http, Service& service) {
    http.get("/api/v1/harvest/plan", [&service](const httplib::Request& request,
                                                httplib::Response& response) {
        // The plan the harvester stored after each server's last good poll.
        const auto filter = [&request](const char* name) -> std::optional<std::string> {
            if (!request.has_param(name))
                return std::nullopt;
            return request.get_param_value(name);
        };
        reply_json(response,
                   plan_to_json(service.store().harvest_plan(filter("server"), filter("feature"))));
    });
    http.get("/api/v1/notifications",
             [&service](const httplib::Request&, httplib::Response& response) {
                 // Users denied a license of a pool free now; notified = false: no agent told them.
                 reply_json(response, notices_to_json(service.free_license_notices()));
             });
}

} // namespace lmharvest
