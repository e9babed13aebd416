#include "api/usage_params.hpp"

#include "api/http_reply.hpp"
#include "config/duration.hpp"

namespace lmharvest {
namespace {

constexpr int64_t graph_points = 500;

Expected<int64_t> step_param(const std::string& text, int64_t from, int64_t to) {
    const auto step = parse_duration(text);
    const std::string fix = "; write e.g. step=60s, 5m or 1h";
    if (!step)
        return unexpected("step: '" + text + "': " + step.error());
    if (step->count() < 1000 || step->count() % 1000 != 0)
        return unexpected("step: '" + text + "' is not a whole number of seconds" + fix);
    const int64_t seconds = step->count() / 1000;
    const int64_t points = (to - from + seconds - 1) / seconds;
    if (points > max_usage_points)
        return unexpected("step: '" + text + "' gives " + std::to_string(points) +
                          " points from 'from' to 'to', more than " +
                          std::to_string(max_usage_points) + "; ask a larger step");
    return seconds;
}

void set_if_given(const httplib::Request& request, const char* name,
                  std::optional<std::string>& field) {
    if (request.has_param(name))
        field = param(request, name);
}

} // namespace

int64_t default_usage_step(int64_t from, int64_t to) {
    constexpr int64_t steps[] = {60, 300, 900, 3600, 10800, 21600, 43200, 86400};
    const int64_t range = to - from;
    for (const int64_t step : steps)
        if (range <= step * graph_points)
            return step;
    const int64_t per_point = (range + graph_points - 1) / graph_points;
    return (per_point + 86399) / 86400 * 86400;
}

Expected<UsageQuery> parse_usage_query(const httplib::Request& request, const Groups& groups,
                                       int64_t now) {
    UsageQuery query;
    const auto from = time_param(request, "from");
    if (!from)
        return unexpected(from.error());
    const auto to = time_param(request, "to");
    if (!to)
        return unexpected(to.error());
    query.to = to->value_or(now);
    query.from = from->value_or(query.to - 3600);
    if (query.from >= query.to)
        return unexpected("from: '" + param(request, "from") + "' is not before to ('" +
                          param(request, "to") + "', default now)");
    if (request.has_param("step")) {
        const auto step = step_param(param(request, "step"), query.from, query.to);
        if (!step)
            return unexpected(step.error());
        query.step = *step;
    } else {
        query.step = default_usage_step(query.from, query.to);
    }
    set_if_given(request, "server", query.server);
    set_if_given(request, "vendor", query.vendor);
    set_if_given(request, "feature", query.feature);
    set_if_given(request, "version", query.version);
    if (request.has_param("user") && request.has_param("group"))
        return unexpected(std::string("group: give user or group, not both"));
    if (request.has_param("user"))
        query.users = std::vector<std::string>{param(request, "user")};
    if (request.has_param("group")) {
        const std::string name = param(request, "group");
        const auto group = groups.find(name);
        if (group == groups.end())
            return unexpected("group: no group '" + name + "' in [groups]");
        query.users = group->second;
    }
    return query;
}

} // namespace lmharvest
