#include "json/plan_json.hpp"

#include "json/iso_time.hpp"
#include <algorithm>

namespace lmharvest {
namespace {

template <class T> nlohmann::json or_null(const std::optional<T>& value) {
    return value ? nlohmann::json(*value) : nlohmann::json(nullptr);
}

} // namespace

nlohmann::json policy_figures_json(const PlanEntry& e) {
    return {{"used", e.used},
            {"total", or_null(e.total)},
            {"target", or_null(e.target)},
            {"waiting", e.waiting},
            {"idle_s", or_null(e.idle_s)},
            {"rule_index", or_null(e.rule_index)},
            {"method", e.method},
            {"on_no_handler", e.on_no_handler}};
}

nlohmann::json to_json(const PlanEntry& e) {
    nlohmann::json json = {{"server", e.server},   {"time", iso8601_local(e.time)},
                           {"vendor", e.vendor},   {"feature", e.feature},
                           {"version", e.version}, {"session_id", e.session_id},
                           {"user", e.user},       {"host", e.host},
                           {"count", e.count},     {"decision", e.close ? "close" : "keep"},
                           {"reason", e.reason}};
    json.update(policy_figures_json(e));
    json["next_try"] = e.next_try ? nlohmann::json(iso8601_local(*e.next_try)) : nullptr;
    return json;
}

nlohmann::json plan_to_json(const std::vector<PlanEntry>& plan) {
    nlohmann::json entries = nlohmann::json::array();
    for (const PlanEntry& e : plan)
        entries.push_back(to_json(e));
    const auto closes =
        std::count_if(plan.begin(), plan.end(), [](const PlanEntry& e) { return e.close; });
    return {{"entries", entries}, {"closes", closes}};
}

} // namespace lmharvest
