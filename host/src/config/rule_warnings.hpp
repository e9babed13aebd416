// What check-config can tell about [[harvest.rules]] without a server: rules that can never
// apply. Warnings, not errors: such a config runs, it just does not do what the rule says. Which
// features a server has is known only at run time (GET /api/v1/harvest/plan shows the rule that
// decided each session); a rule naming an unknown server or group is already an error.
#pragma once

#include "config/config.hpp"

#include <string>
#include <vector>

namespace lmharvest {

struct RuleWarning {
    int line = 0;        ///< where the rule starts
    std::string message; ///< "harvest.rules[2] never applies: ..."
};

/// In rule order: a rule that matches nobody who can be harvested (every user it names is
/// excluded by [harvest], its groups have no one else, or none of its users is in its groups); a
/// rule shadowed by a later one as specific that matches all it matches (resolve_policy() takes
/// the later); a threshold, trigger or max_closes_per_cycle on a rule with users or groups (those
/// are decided per pool, by rules without them); and enabled = false for every feature, server and
/// user.
std::vector<RuleWarning> rule_warnings(const HarvestConfig& harvest, const Groups& groups);

} // namespace lmharvest
