#include "config/rule_warnings.hpp"

#include "config/glob.hpp"
#include "config/policy.hpp"

#include <algorithm>

namespace lmharvest {
namespace {

using Names = std::vector<std::string>;

bool contains(const Names& names, const std::string& name) {
    return std::find(names.begin(), names.end(), name) != names.end();
}

std::string rule_name(size_t index) {
    return "harvest.rules[" + std::to_string(index) + "]";
}

// "*", "**": a pattern that matches every feature.
bool matches_anything(const std::string& pattern) {
    return !pattern.empty() &&
           std::all_of(pattern.begin(), pattern.end(), [](char c) { return c == '*'; });
}

bool matches_every_feature(const HarvestRule& rule) {
    return std::any_of(rule.features.begin(), rule.features.end(), matches_anything);
}

// Whether every feature `pattern` matches, one of `patterns` matches too (only where that is
// certain: the same pattern, "*", or an exact name one of them matches).
bool features_cover(const Names& patterns, const std::string& pattern) {
    return std::any_of(patterns.begin(), patterns.end(), [&](const std::string& p) {
        return p == pattern || matches_anything(p) ||
               (!has_wildcard(pattern) && glob_match(p, pattern));
    });
}

// An empty list means "any", so `wide` covers `narrow` when it is empty or holds all of it.
bool list_covers(const Names& wide, const Names& narrow) {
    if (wide.empty())
        return true;
    return !narrow.empty() && std::all_of(narrow.begin(), narrow.end(),
                                          [&](const std::string& n) { return contains(wide, n); });
}

Names members_of(const Names& group_names, const Groups& groups) {
    Names members;
    for (const std::string& name : group_names)
        if (auto group = groups.find(name); group != groups.end())
            members.insert(members.end(), group->second.begin(), group->second.end());
    return members;
}

// Whether `wide` matches every (server, feature, user) `narrow` matches. A user list is covered
// by groups that hold all its users, and groups by a user list that holds all their members.
bool covers(const HarvestRule& wide, const HarvestRule& narrow, const Groups& groups) {
    const Names narrow_members = members_of(narrow.groups, groups);
    const bool users_covered =
        list_covers(wide.users, narrow.users) || (narrow.users.empty() && !narrow_members.empty() &&
                                                  list_covers(wide.users, narrow_members));
    const bool groups_covered =
        list_covers(wide.groups, narrow.groups) ||
        (!narrow.users.empty() && list_covers(members_of(wide.groups, groups), narrow.users));
    return std::all_of(narrow.features.begin(), narrow.features.end(),
                       [&](const std::string& p) { return features_cover(wide.features, p); }) &&
           list_covers(wide.servers, narrow.servers) && users_covered && groups_covered;
}

// Why `user` is never harvested, or empty.
std::string exclusion(const std::string& user, const HarvestConfig& harvest, const Groups& groups) {
    if (contains(harvest.exclude_users, user))
        return user + " is in exclude_users";
    for (const std::string& name : harvest.exclude_groups) {
        auto group = groups.find(name);
        if (group != groups.end() && contains(group->second, user))
            return user + " is in excluded group " + name;
    }
    return {};
}

// Why the rule matches nobody who can be harvested, or empty. Only for rules that name users
// or groups: without them a rule matches anyone.
std::string matches_nobody(const HarvestRule& rule, const HarvestConfig& harvest,
                           const Groups& groups) {
    if (rule.users.empty() && rule.groups.empty())
        return {};
    const Names members = members_of(rule.groups, groups);
    Names people;
    if (rule.groups.empty())
        people = rule.users;
    else if (rule.users.empty())
        people = members;
    else
        std::copy_if(rule.users.begin(), rule.users.end(), std::back_inserter(people),
                     [&](const std::string& user) { return contains(members, user); });
    if (people.empty())
        return rule.users.empty() ? "its groups have no members"
                                  : "none of its users is in its groups";
    std::string why;
    for (const std::string& user : people) {
        const std::string excluded = exclusion(user, harvest, groups);
        if (excluded.empty())
            return {};
        why += (why.empty() ? "" : ", ") + excluded;
    }
    return "everyone it names is excluded by [harvest] (" + why + ")";
}

// The pool-level settings a user or group rule sets in vain.
std::string pool_settings_set(const HarvestRule& rule) {
    Names set;
    if (rule.threshold)
        set.push_back("threshold");
    if (rule.trigger)
        set.push_back("trigger");
    if (rule.max_closes_per_cycle)
        set.push_back("max_closes_per_cycle");
    std::string text;
    for (const std::string& name : set)
        text += (text.empty() ? "" : ", ") + name;
    return text;
}

} // namespace

std::vector<RuleWarning> rule_warnings(const HarvestConfig& harvest, const Groups& groups) {
    std::vector<RuleWarning> warnings;
    const std::vector<HarvestRule>& rules = harvest.rules;
    for (size_t i = 0; i < rules.size(); ++i) {
        const HarvestRule& rule = rules[i];
        const auto warn = [&](std::string what) {
            warnings.push_back({rule.line, rule_name(i) + " " + std::move(what)});
        };
        if (std::string why = matches_nobody(rule, harvest, groups); !why.empty())
            warn("matches nobody who can be harvested: " + why);
        for (size_t later = i + 1; later < rules.size(); ++later)
            if (rule_specificity(rules[later]) == rule_specificity(rule) &&
                covers(rules[later], rule, groups)) {
                warn("never applies: " + rule_name(later) + " at line " +
                     std::to_string(rules[later].line) +
                     " matches all it matches and, as specific and later, wins");
                break;
            }
        if (!rule.users.empty() || !rule.groups.empty())
            if (std::string set = pool_settings_set(rule); !set.empty())
                warn("sets " + set +
                     " in vain: threshold, trigger and max_closes_per_cycle are pool settings, "
                     "decided only by rules without users or groups; move them to such a rule");
        if (!rule.enabled && matches_every_feature(rule) && rule.servers.empty() &&
            rule.users.empty() && rule.groups.empty())
            warn("turns harvesting off for every feature, server and user no other rule "
                 "decides; to stop harvesting, set [harvest] dry_run = true instead");
    }
    return warnings;
}

} // namespace lmharvest
