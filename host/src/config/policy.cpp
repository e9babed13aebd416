#include "config/policy.hpp"

#include "config/glob.hpp"

#include <algorithm>

namespace lmharvest {
namespace {

bool contains(const std::vector<std::string>& names, std::string_view name) {
    return std::find(names.begin(), names.end(), name) != names.end();
}

bool in_any_group(const std::vector<std::string>& group_names, std::string_view user,
                  const Groups& groups) {
    return std::any_of(group_names.begin(), group_names.end(), [&](const std::string& name) {
        auto group = groups.find(name);
        return group != groups.end() && contains(group->second, user);
    });
}

bool matches(const HarvestRule& rule, std::string_view server_id, std::string_view feature,
             std::string_view user, const Groups& groups) {
    return std::any_of(rule.features.begin(), rule.features.end(),
                       [&](const std::string& pattern) { return glob_match(pattern, feature); }) &&
           (rule.servers.empty() || contains(rule.servers, server_id)) &&
           (rule.users.empty() || contains(rule.users, user)) &&
           (rule.groups.empty() || in_any_group(rule.groups, user, groups));
}

} // namespace

int rule_specificity(const HarvestRule& rule) {
    bool exact_features = std::none_of(rule.features.begin(), rule.features.end(),
                                       [](const std::string& p) { return has_wildcard(p); });
    return !rule.servers.empty() + !rule.users.empty() + !rule.groups.empty() + exact_features;
}

ResolvedPolicy resolve_policy(const HarvestConfig& harvest, std::string_view server_id,
                              std::string_view feature, std::string_view user,
                              const Groups& groups) {
    ResolvedPolicy policy{true,
                          harvest.threshold,
                          harvest.max_idle,
                          harvest.min_session_age,
                          harvest.max_closes_per_cycle,
                          harvest.method,
                          harvest.on_no_handler,
                          harvest.trigger,
                          std::nullopt};
    int best = -1;
    for (size_t i = 0; i < harvest.rules.size(); ++i) {
        const HarvestRule& rule = harvest.rules[i];
        if (!matches(rule, server_id, feature, user, groups))
            continue;
        int score = rule_specificity(rule);
        if (score >= best) { // >=: a later rule wins a tie
            best = score;
            policy.rule_index = i;
        }
    }
    if (!policy.rule_index)
        return policy;
    const HarvestRule& rule = harvest.rules[*policy.rule_index];
    policy.enabled = rule.enabled;
    policy.threshold = rule.threshold.value_or(policy.threshold);
    policy.max_idle = rule.max_idle.value_or(policy.max_idle);
    policy.min_session_age = rule.min_session_age.value_or(policy.min_session_age);
    policy.max_closes_per_cycle = rule.max_closes_per_cycle.value_or(policy.max_closes_per_cycle);
    policy.method = rule.method.value_or(policy.method);
    policy.trigger = rule.trigger.value_or(policy.trigger);
    return policy;
}

} // namespace lmharvest
