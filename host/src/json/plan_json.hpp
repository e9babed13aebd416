// The harvest plan as JSON, for `lmharvest harvest plan --json`, GET /api/v1/harvest/plan and
// the policy figures of a harvest action in the audit log.
#pragma once

#include "store/store_records.hpp"

#include <nlohmann/json.hpp>
#include <vector>

namespace lmharvest {

/// One decision: the session, close or keep, the reason, and the pool's figures.
nlohmann::json to_json(const PlanEntry& entry);
/// {"entries": [...], "closes": n}: the whole plan, in the stored order.
nlohmann::json plan_to_json(const std::vector<PlanEntry>& plan);
/// The figures an action records as its policy_json: used, total, target, idle, rule, method.
nlohmann::json policy_figures_json(const PlanEntry& entry);

} // namespace lmharvest
