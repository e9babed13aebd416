#include "harvest/planner.hpp"

#include "harvest/demand.hpp"
#include "harvest/harvest_policy.hpp"

#include "json/plan_json.hpp"
#include <algorithm>
#include <chrono>
#include <map>
#include <spdlog/spdlog.h>
#include <tuple>

namespace lmharvest {
namespace {

using PoolKey = std::tuple<std::string, std::string, std::string>; // vendor, feature, version

// More denials than this in one notify_window are a storm; the newest are enough to count
// who is waiting.
constexpr int max_denials = 100000;

// The pool a session counts in: the one of its version; else the only one of its vendor and
// feature (lmstat prints the checkout's version, "v50", under a feature line of "v52"); none
// when several versions could be meant.
PoolInput* pool_of(std::map<PoolKey, PoolInput>& pools, const Session& session) {
    auto exact = pools.find({session.vendor, session.feature, session.version});
    if (exact != pools.end())
        return &exact->second;
    auto first = pools.lower_bound({session.vendor, session.feature, ""});
    auto end = first;
    while (end != pools.end() && std::get<0>(end->first) == session.vendor &&
           std::get<1>(end->first) == session.feature)
        ++end;
    return std::distance(first, end) == 1 ? &first->second : nullptr;
}

} // namespace

Planner::Planner(Store& store, ConfigSource config, std::function<int64_t()> clock)
    : store_(store), config_(std::move(config)), clock_(std::move(clock)),
      thread_([this] { run(); }) {}

Planner::~Planner() {
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    wakeup_.notify_all();
    thread_.join();
}

void Planner::wake(const std::string& server_id) {
    {
        std::lock_guard lock(mutex_);
        if (std::find(queue_.begin(), queue_.end(), server_id) != queue_.end())
            return;
        queue_.push_back(server_id);
    }
    wakeup_.notify_one();
}

void Planner::run() {
    std::unique_lock lock(mutex_);
    for (;;) {
        wakeup_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
        if (queue_.empty())
            return; // stopping, and nothing left to plan
        const std::string server_id = queue_.front();
        queue_.pop_front();
        lock.unlock();
        try {
            plan_server(server_id);
        } catch (const std::exception& e) {
            spdlog::error("harvest plan failed server={} error=\"{}\"", server_id, e.what());
        }
        lock.lock();
    }
}

std::vector<PlanEntry> Planner::plan_server(const std::string& server_id) {
    std::map<PoolKey, PoolInput> pools;
    for (const FeatureRecord& feature : store_.features(server_id))
        pools[{feature.usage.vendor, feature.usage.name, feature.usage.version}] = {
            server_id, feature.usage, {}};
    for (SessionRecord& record : store_.open_sessions({.server = server_id}))
        if (PoolInput* pool = pool_of(pools, record.session))
            pool->sessions.push_back(std::move(record));
    const int64_t now = clock_();
    const std::shared_ptr<const Config> config = config_();
    const ActivityIndex activity(store_.activity());
    std::vector<std::string> users;
    for (const auto& [key, pool] : pools)
        for (const SessionRecord& record : pool.sessions)
            users.push_back(record.session.user);
    std::sort(users.begin(), users.end());
    users.erase(std::unique(users.begin(), users.end()), users.end());
    const Groups groups = groups_.merged(*config, users);
    const PolicyContext context{config->harvest, groups, activity, {}, now};
    const auto window =
        std::chrono::duration_cast<std::chrono::seconds>(config->harvest.notify_window).count();
    const std::vector<DenialRecord> denials = store_.denials(now - window, max_denials);
    std::vector<PlanEntry> plan;
    for (auto& [key, pool] : pools) {
        pool.waiting = waiting_users(denials, pool);
        std::vector<PlanEntry> pool_plan = plan_pool(pool, context);
        std::move(pool_plan.begin(), pool_plan.end(), std::back_inserter(plan));
    }
    const std::vector<PlanEntry> before = store_.harvest_plan(server_id);
    store_.replace_harvest_plan(server_id, plan);
    record_closes(plan, before, *config);
    return plan;
}

// A dry-run close is audited when the plan first decides it, not again after every poll while
// the session stays idle (that would be a row a minute per idle session).
void Planner::record_closes(const std::vector<PlanEntry>& plan,
                            const std::vector<PlanEntry>& before, const Config& config) {
    const auto closes =
        std::count_if(plan.begin(), plan.end(), [](const PlanEntry& e) { return e.close; });
    if (closes == 0)
        return;
    if (!config.harvest.dry_run) {
        std::lock_guard lock(mutex_);
        if (!warned_not_built_)
            spdlog::warn("harvest closes are not built yet: the plan is stored, nothing is "
                         "closed (dry_run = false has no effect in this version)");
        warned_not_built_ = true;
        return;
    }
    const auto decided_before = [&before](const PlanEntry& e) {
        return std::any_of(before.begin(), before.end(), [&e](const PlanEntry& old) {
            return old.close && old.session_id == e.session_id;
        });
    };
    for (const PlanEntry& e : plan) {
        if (!e.close || decided_before(e))
            continue;
        spdlog::info("harvest dry-run server={} feature={} user={} host={} session={} "
                     "reason=\"{}\"",
                     e.server, e.feature, e.user, e.host, e.session_id, e.reason);
        store_.append_action({0, e.time, "harvester", "harvest", true, e.server, e.session_id,
                              e.user, e.feature, policy_figures_json(e).dump(), "[]", "dry_run",
                              e.reason});
    }
}

} // namespace lmharvest
