// Which harvest policy applies to one session: [harvest] overridden by the most specific rule.
#pragma once

#include "config/config.hpp"

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace lmharvest {

struct ResolvedPolicy {
    bool enabled = true; ///< false: a rule says never harvest this
    double threshold = 0.80;
    std::chrono::milliseconds max_idle{};
    std::chrono::milliseconds min_session_age{};
    int64_t max_closes_per_cycle = 0;
    std::string method = "save_and_close";
    OnNoHandler on_no_handler = OnNoHandler::skip;
    Trigger trigger = Trigger::threshold;
    /// Index in HarvestConfig::rules of the rule that decided; none when only [harvest] applies.
    std::optional<size_t> rule_index;
};

/// A rule matches when one of its feature patterns matches `feature` and each list it sets
/// (servers, users, groups) contains the server, the user, or a group of the user. Among the
/// matching rules the most specific wins: the one that sets the most of servers, users, groups,
/// and features without wildcards; on a tie the later rule wins. Its numbers override [harvest];
/// the ones it leaves out keep [harvest]'s values.
/// How specific a rule is: how many of servers, users, groups it sets, plus one when its
/// features have no wildcards. resolve_policy() prefers the higher, then the later rule.
int rule_specificity(const HarvestRule& rule);

ResolvedPolicy resolve_policy(const HarvestConfig& harvest, std::string_view server_id,
                              std::string_view feature, std::string_view user,
                              const Groups& groups);

} // namespace lmharvest
