#include "api/http_reply.hpp"
#include "api/routes.hpp"
#include "api/usage_params.hpp"
#include "config/policy.hpp"

#include "json/usage_json.hpp"
#include <ctime>

namespace lmharvest {
namespace {

// The share of the pool the harvester lets stay in use; none when it never harvests the pool.
std::optional<double> pool_threshold(const Config& config, const PoolUsage& pool) {
    const ResolvedPolicy policy =
        resolve_policy(config.harvest, pool.server, pool.feature, "", config.groups);
    return policy.enabled ? std::optional<double>(policy.threshold) : std::nullopt;
}

void usage(Service& service, const httplib::Request& request, httplib::Response& response) {
    const auto config = service.config();
    const auto query =
        parse_usage_query(request, config->groups, static_cast<int64_t>(std::time(nullptr)));
    if (!query)
        return reply_error(response, 400, query.error());
    auto answer = std::make_shared<UsageAnswer>();
    answer->from = query->from;
    answer->to = query->to;
    answer->step_s = query->step;
    answer->pools = service.store().usage_history(*query);
    for (const PoolUsage& pool : answer->pools)
        answer->thresholds.push_back(pool_threshold(*config, pool));
    reply_json_stream(response,
                      [answer](const JsonWriter::Sink& sink) { return write_json(*answer, sink); });
}

} // namespace

void add_usage_routes(RouteTable& http, Service& service) {
    http.get("/api/v1/usage",
             [&service](const httplib::Request& request, httplib::Response& response) {
                 usage(service, request, response);
             });
}

} // namespace lmharvest
