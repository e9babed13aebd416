#include "harvest/harvest_policy.hpp"

#include "config/policy.hpp"
#include "harvest/host_match.hpp"
#include "harvest/session_idleness.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <lmharvest/records.h>

namespace lmharvest {
namespace {

struct Candidate {
    PlanEntry entry;
    int64_t idle_s = 0;
    int64_t checkout_time = 0;
};

int64_t seconds(std::chrono::milliseconds duration) {
    return std::chrono::duration_cast<std::chrono::seconds>(duration).count();
}

bool contains(const std::vector<std::string>& names, std::string_view name) {
    return std::find(names.begin(), names.end(), name) != names.end();
}

// Why a session is never a candidate, or empty when it may be one.
std::string never_reason(const SessionRecord& record, const ResolvedPolicy& policy,
                         const PolicyContext& context) {
    const Session& s = record.session;
    const HarvestConfig& harvest = context.harvest;
    if (context.closing.count(record.id))
        return "close already under way";
    if (s.borrow_expiry > 0)
        return "borrowed: cannot be removed";
    if (s.linger_seconds > 0)
        return "lingering: cannot be removed";
    if (contains(harvest.exclude_users, s.user))
        return "excluded user " + s.user;
    for (const std::string& host : harvest.exclude_hosts)
        if (session_on_host(s.host, s.display, host))
            return "excluded host " + host;
    for (const std::string& group : harvest.exclude_groups) {
        auto members = context.groups.find(group);
        if (members != context.groups.end() && contains(members->second, s.user))
            return "excluded group " + group;
    }
    if (!policy.enabled)
        return "harvest.rules[" + std::to_string(*policy.rule_index) + "] has enabled = false";
    const int64_t since = s.checkout_time > 0 ? s.checkout_time : record.first_seen;
    if (context.now - since < seconds(policy.min_session_age))
        return "younger than min_session_age " + format_duration(seconds(policy.min_session_age));
    return {};
}

PlanEntry base_entry(const PoolInput& pool, const SessionRecord& record,
                     const ResolvedPolicy& policy, std::optional<int64_t> target, int64_t now) {
    const Session& s = record.session;
    PlanEntry e;
    e.server = pool.server;
    e.time = now;
    e.vendor = pool.usage.vendor;
    e.feature = pool.usage.name;
    e.version = pool.usage.version;
    e.total = pool.usage.total;
    e.used = pool.usage.used;
    e.target = target;
    e.waiting = pool.waiting;
    e.session_id = record.id;
    e.user = s.user;
    e.host = s.host;
    e.count = s.count;
    if (policy.rule_index)
        e.rule_index = static_cast<int64_t>(*policy.rule_index);
    e.method = policy.method;
    e.on_no_handler = policy.on_no_handler == OnNoHandler::release ? "release" : "skip";
    return e;
}

// Uncounted and unlimited pools have nothing to run short of.
std::string never_harvested(const FeatureUsage& usage) {
    if (!usage.total || (usage.flags & LH_FEATURE_UNCOUNTED))
        return "uncounted: never harvested";
    if (usage.flags & LH_FEATURE_UNLIMITED)
        return "unlimited: never harvested";
    return {};
}

// "used 10 > target 8", "2 waiting, 1 freed", or both: the figures behind a decision.
std::string need_figures(bool by_threshold, bool by_demand, int64_t used, int64_t target,
                         int64_t waiting, int64_t freed) {
    std::string figures;
    if (by_threshold)
        figures = "used " + std::to_string(used) + (used > target ? " > " : " <= ") + "target " +
                  std::to_string(target);
    if (by_demand)
        figures += std::string(figures.empty() ? "" : ", ") + std::to_string(waiting) +
                   " waiting, " + std::to_string(freed) + " freed";
    return figures;
}

} // namespace

std::vector<PlanEntry> plan_pool(const PoolInput& pool, const PolicyContext& context) {
    const ResolvedPolicy pool_policy =
        resolve_policy(context.harvest, pool.server, pool.usage.name, "", context.groups);
    const std::string pool_never = never_harvested(pool.usage);
    std::optional<int64_t> target;
    if (pool_never.empty()) // the epsilon keeps 0.7 x 10 at 7, not 6.999...
        target = static_cast<int64_t>(
            std::floor(pool_policy.threshold * static_cast<double>(*pool.usage.total) + 1e-9));

    std::vector<Candidate> candidates;
    std::vector<PlanEntry> others;
    for (const SessionRecord& record : pool.sessions) {
        const ResolvedPolicy policy = resolve_policy(context.harvest, pool.server, pool.usage.name,
                                                     record.session.user, context.groups);
        PlanEntry entry = base_entry(pool, record, policy, target, context.now);
        entry.reason = pool_never.empty() ? never_reason(record, policy, context) : pool_never;
        if (!entry.reason.empty()) {
            others.push_back(std::move(entry));
            continue;
        }
        const Idleness idleness = session_idleness(record.session, context.activity, context.now,
                                                   context.harvest.busy_cpu);
        if (!idleness.idle_s) {
            entry.reason = idleness.reason;
            others.push_back(std::move(entry));
            continue;
        }
        if (*idleness.idle_s <= seconds(policy.max_idle)) {
            entry.reason = "not idle: " + idleness.reason + " input " +
                           format_duration(*idleness.idle_s) + " ago";
            others.push_back(std::move(entry));
            continue;
        }
        entry.idle_s = idleness.idle_s;
        entry.reason = "idle " + format_duration(*idleness.idle_s) + " > " +
                       format_duration(seconds(policy.max_idle));
        if (const auto backoff = context.backoffs.find(record.id);
            backoff != context.backoffs.end()) {
            entry.reason += ", but " + backoff_reason(backoff->second);
            entry.next_try = backoff->second.until;
            others.push_back(std::move(entry));
            continue;
        }
        candidates.push_back({std::move(entry), *idleness.idle_s, record.session.checkout_time});
    }
    std::stable_sort(candidates.begin(), candidates.end(),
                     [](const Candidate& a, const Candidate& b) {
                         if (a.idle_s != b.idle_s)
                             return a.idle_s > b.idle_s;
                         return a.checkout_time < b.checkout_time;
                     });

    std::vector<PlanEntry> plan;
    const bool by_threshold = pool_policy.trigger != Trigger::demand;
    const bool by_demand = pool_policy.trigger != Trigger::threshold;
    // The licenses of closes under way are as good as free: counting them again would close
    // more sessions while the first closes are still saving.
    int64_t freed = 0;
    for (const SessionRecord& record : pool.sessions)
        if (context.closing.count(record.id))
            freed += record.session.count;
    int64_t need = 0; // licenses to free, those under way included
    if (by_threshold && target)
        need = std::max(need, pool.usage.used - *target);
    if (by_demand)
        need = std::max(need, pool.waiting);
    int64_t closes = 0;
    for (Candidate& candidate : candidates) {
        PlanEntry& entry = candidate.entry;
        const std::string figures = need_figures(by_threshold, by_demand, pool.usage.used - freed,
                                                 *target, pool.waiting, freed);
        if (freed >= need) {
            entry.reason += ", but " + figures + ": nothing to free";
        } else if (closes >= pool_policy.max_closes_per_cycle) {
            entry.reason += ", but max_closes_per_cycle " +
                            std::to_string(pool_policy.max_closes_per_cycle) + " reached";
        } else {
            entry.close = true;
            entry.reason += ", " + figures;
            freed += entry.count;
            ++closes;
        }
        plan.push_back(std::move(entry));
    }
    for (PlanEntry& entry : others)
        plan.push_back(std::move(entry));
    return plan;
}

} // namespace lmharvest
