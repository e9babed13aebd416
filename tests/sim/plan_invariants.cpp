#include "plan_invariants.hpp"

#include <algorithm>
#include <map>

namespace lmharvest::weeksim {
namespace {

// Whether the policy may take the session at all, by the simulation's own knowledge.
bool eligible(const PoolTruth& pool, const SessionTruth& s) {
    return s.has_data && !s.busy && !s.closing && pool.now - s.last_input > pool.max_idle_s &&
           pool.now - s.checkout_time >= pool.min_session_age_s;
}

int64_t idle_of(const PoolTruth& pool, const SessionTruth& s) {
    return pool.now - s.last_input;
}

} // namespace

std::vector<std::string> check_plan(const PoolTruth& pool, const std::vector<PlanEntry>& plan,
                                    std::set<int64_t>& closed_before) {
    std::vector<std::string> problems;
    std::map<int64_t, const SessionTruth*> by_id;
    for (const SessionTruth& s : pool.sessions)
        by_id[s.id] = &s;
    const std::string where = "cycle " + std::to_string(pool.cycle) + " pool " + pool.pool;
    const auto fail = [&](int64_t session, const std::string& what) {
        problems.push_back(where + " session " + std::to_string(session) + ": " + what);
    };

    std::vector<const SessionTruth*> closed;
    for (const PlanEntry& e : plan) {
        if (!e.close)
            continue;
        const auto truth = by_id.find(e.session_id);
        if (truth == by_id.end()) {
            fail(e.session_id, "closed but not open in the pool");
            continue;
        }
        const SessionTruth& s = *truth->second;
        closed.push_back(&s);
        if (pool.used - pool.in_flight <= pool.target)
            fail(s.id, "closed while used " + std::to_string(pool.used) + " (" +
                           std::to_string(pool.in_flight) + " of them being freed) <= target " +
                           std::to_string(pool.target));
        if (idle_of(pool, s) <= pool.max_idle_s)
            fail(s.id, "closed with input " + std::to_string(idle_of(pool, s)) +
                           " s ago, within max_idle " + std::to_string(pool.max_idle_s) + " s");
        if (s.busy)
            fail(s.id, "closed while its app is busy computing");
        if (!s.has_data)
            fail(s.id, "closed without activity data");
        if (!closed_before.insert(s.id).second)
            fail(s.id, "closed twice");
    }

    const int64_t need = std::max<int64_t>(0, pool.used - pool.in_flight - pool.target);
    int64_t freed = 0;
    for (const SessionTruth* s : closed)
        freed += s->count;
    // Fewest: without the shortest idle of the closes the target would not be reached.
    const auto least_idle = std::min_element(closed.begin(), closed.end(),
                                             [&](const SessionTruth* a, const SessionTruth* b) {
                                                 return idle_of(pool, *a) < idle_of(pool, *b);
                                             });
    if (least_idle != closed.end() && freed - (*least_idle)->count >= need)
        fail((*least_idle)->id, "closed although the others already free " +
                                    std::to_string(freed - (*least_idle)->count) + " of " +
                                    std::to_string(need) + " needed");
    // Longest idle first, and as far as the target (or max_closes_per_cycle) asks.
    for (const SessionTruth& s : pool.sessions) {
        if (!eligible(pool, s) || std::find(closed.begin(), closed.end(), &s) != closed.end())
            continue;
        if (least_idle != closed.end() && idle_of(pool, s) > idle_of(pool, **least_idle))
            fail(s.id, "kept although idle " + std::to_string(idle_of(pool, s)) +
                           " s, longer than closed session " + std::to_string((*least_idle)->id));
        if (freed < need && static_cast<int64_t>(closed.size()) < pool.max_closes)
            fail(s.id, "kept, idle " + std::to_string(idle_of(pool, s)) + " s, while only " +
                           std::to_string(freed) + " of " + std::to_string(need) +
                           " needed licenses are freed");
    }
    return problems;
}

} // namespace lmharvest::weeksim
