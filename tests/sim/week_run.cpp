#include "week_run.hpp"

#include "harvest/harvest_policy.hpp"
#include "harvest/pool_assembly.hpp"
#include "plan_invariants.hpp"
#include "week_model.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <map>
#include <set>

namespace lmharvest::weeksim {
namespace {

using namespace std::chrono_literals;

constexpr int64_t cycles_per_day = 24 * 60, cycles_per_week = 7 * cycles_per_day;
constexpr int64_t hwunits_max_idle_s = 45 * 60;
// How long a close is under way: the agent saves the project and closes the app, then the license
// is released; the next poll still shows the session, as a close the policy must not repeat.
constexpr int64_t close_takes_s = 120;

// [harvest] as shipped but for real, and one rule: HyperWorks units wait 45 min.
HarvestConfig week_config() {
    HarvestConfig harvest;
    harvest.dry_run = false;
    HarvestRule rule;
    rule.features = {"HWUnits"};
    rule.max_idle = std::chrono::milliseconds(hwunits_max_idle_s * 1000);
    harvest.rules.push_back(rule);
    return harvest;
}

// The pool's figures and sessions by the model's knowledge, for the invariants.
PoolTruth truth_of(const WeekModel& model, const PoolInput& pool, const HarvestConfig& harvest,
                   const std::set<int64_t>& closing, int64_t cycle, int64_t now) {
    PoolTruth truth;
    truth.cycle = cycle;
    truth.now = now;
    truth.pool = pool.server + "/" + pool.usage.name;
    truth.used = pool.usage.used;
    truth.target = static_cast<int64_t>(
        std::floor(harvest.threshold * static_cast<double>(*pool.usage.total) + 1e-9));
    truth.max_idle_s =
        pool.usage.name == "HWUnits"
            ? hwunits_max_idle_s
            : std::chrono::duration_cast<std::chrono::seconds>(harvest.max_idle).count();
    truth.min_session_age_s =
        std::chrono::duration_cast<std::chrono::seconds>(harvest.min_session_age).count();
    truth.max_closes = harvest.max_closes_per_cycle;
    for (const SessionRecord& record : pool.sessions) {
        const SimUser& user = *model.user_of(record.id);
        const bool reporting = user.habit != Habit::no_agent &&
                               now - user.last_report <= 3 * WeekModel::report_interval_s;
        const bool under_way = closing.count(record.id) > 0;
        truth.sessions.push_back({record.id, user.count, user.checkout_time, user.last_input,
                                  user.busy_until > now, reporting, under_way});
        truth.in_flight += under_way ? user.count : 0;
    }
    return truth;
}

void count_coverage(const PoolTruth& truth, WeekFigures& figures) {
    if (truth.used <= truth.target)
        return;
    ++figures.over_target;
    for (const SessionTruth& s : truth.sessions) {
        figures.kept_no_data += !s.has_data;
        figures.kept_busy += s.has_data && s.busy;
        figures.kept_recent_input += s.has_data && truth.now - s.last_input <= truth.max_idle_s;
    }
}

} // namespace

WeekFigures run_week(uint64_t seed, bool harvest, int64_t days) {
    WeekModel model(seed);
    const HarvestConfig config = week_config();
    const Groups groups;
    std::set<int64_t> closed;
    std::map<int64_t, int64_t> under_way; // session -> when its license is released
    WeekFigures figures;
    for (int64_t cycle = 1; cycle <= std::min(days * cycles_per_day, cycles_per_week); ++cycle) {
        const int64_t now = WeekModel::week_start + cycle * 60;
        model.step(now);
        figures.denial_minutes += static_cast<int64_t>(model.denials().size());
        for (const DenialRecord& d : model.denials())
            ++figures.pools[d.server + "/" + d.denial.feature].denial_minutes;
        ++figures.cycles;
        if (!harvest)
            continue;
        std::set<int64_t> closing;
        for (auto it = under_way.begin(); it != under_way.end();) {
            if (it->second <= now) {
                model.close(it->first);
                it = under_way.erase(it);
            } else {
                closing.insert((it++)->first);
            }
        }
        const ActivityIndex activity(model.activity());
        const PolicyContext context{config, groups, activity, closing, now};
        for (const std::string server : {"eng-flex", "cae-lmx"}) {
            for (const PoolInput& pool :
                 assemble_pools(server, model.features(server), model.open_sessions(server),
                                model.denials())) {
                const std::vector<PlanEntry> plan = plan_pool(pool, context);
                const PoolTruth truth = truth_of(model, pool, config, closing, cycle, now);
                count_coverage(truth, figures);
                for (std::string& problem : check_plan(truth, plan, closed))
                    figures.problems.push_back(std::move(problem));
                for (const PlanEntry& e : plan) {
                    if (!e.close)
                        continue;
                    under_way[e.session_id] = now + close_takes_s;
                    ++figures.closes;
                    figures.licenses_freed += e.count;
                    PoolFigures& of_pool = figures.pools[truth.pool];
                    ++of_pool.closes;
                    of_pool.licenses_freed += e.count;
                }
            }
        }
    }
    return figures;
}

} // namespace lmharvest::weeksim
