#include "harvest/planner.hpp"

#include "harvest/harvest_policy.hpp"
#include "harvest/pool_assembly.hpp"

#include "json/plan_json.hpp"
#include <algorithm>
#include <chrono>
#include <spdlog/spdlog.h>

namespace lmharvest {
namespace {

// More denials than this in one notify_window are a storm; the newest are enough to count
// who is waiting.
constexpr int max_denials = 100000;

} // namespace

Planner::Planner(Store& store, ConfigSource config, std::function<int64_t()> clock,
                 CloseSequences* closes, DeniedNotifier* notifier)
    : store_(store), config_(std::move(config)), clock_(std::move(clock)), closes_(closes),
      notifier_(notifier), thread_([this] { run(); }) {}

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
    const int64_t now = clock_();
    const std::shared_ptr<const Config> config = config_();
    const auto window =
        std::chrono::duration_cast<std::chrono::seconds>(config->harvest.notify_window).count();
    const std::vector<DenialRecord> denials = store_.denials(now - window, max_denials);
    const std::vector<PoolInput> pools =
        assemble_pools(server_id, store_.features(server_id),
                       store_.open_sessions({.server = server_id}), denials);
    // The system groups (groups_from = "nss") of the users the pools hold, merged with the
    // config's.
    std::vector<std::string> users;
    for (const PoolInput& pool : pools)
        for (const SessionRecord& record : pool.sessions)
            users.push_back(record.session.user);
    std::sort(users.begin(), users.end());
    users.erase(std::unique(users.begin(), users.end()), users.end());
    const Groups groups = groups_.merged(*config, users);
    const ActivityIndex activity(store_.activity());
    const PolicyContext context{
        config->harvest,
        groups,
        activity,
        closes_ ? closes_->under_way() : std::set<int64_t>{},
        now,
        close_backoffs(store_.close_attempts(server_id), config->harvest.retry_after_failed, now)};
    std::vector<PlanEntry> plan;
    for (const PoolInput& pool : pools) {
        std::vector<PlanEntry> pool_plan = plan_pool(pool, context);
        std::move(pool_plan.begin(), pool_plan.end(), std::back_inserter(plan));
    }
    const std::vector<PlanEntry> before = store_.replace_harvest_plan(server_id, plan);
    act_on_closes(plan, before, *config);
    // Also in dry-run: a notice releases nothing, and tells a waiting user what they can do now.
    if (notifier_)
        notifier_->after_poll(server_id, pools, denials, now);
    return plan;
}

// A dry-run close decision is audited when the plan first makes it, not again after every poll
// while the session stays idle (a row a minute per idle session). A real one starts a sequence
// each time a plan makes it: while the sequence runs the plans say "close already under way",
// and one that ended without a release puts its session in a back-off (close_backoff.hpp), so
// the plans keep it until retry_after_failed has passed; a start refused for too many running
// sequences is thus tried again by the next plan.
void Planner::act_on_closes(const std::vector<PlanEntry>& plan,
                            const std::vector<PlanEntry>& before, const Config& config) {
    const auto decided_before = [&before](const PlanEntry& e) {
        return std::any_of(before.begin(), before.end(), [&e](const PlanEntry& old) {
            return old.close && old.session_id == e.session_id;
        });
    };
    for (const PlanEntry& e : plan) {
        if (!e.close)
            continue;
        if (!config.harvest.dry_run) {
            if (closes_)
                start_close(e);
            continue;
        }
        if (decided_before(e))
            continue;
        spdlog::info("harvest dry-run server={} feature={} user={} host={} session={} "
                     "reason=\"{}\"",
                     e.server, e.feature, e.user, e.host, e.session_id, e.reason);
        store_.append_action({0,
                              e.time,
                              "harvester",
                              "harvest",
                              true,
                              e.server,
                              e.session_id,
                              e.user,
                              e.feature,
                              policy_figures_json(e).dump(),
                              "[]",
                              "dry_run",
                              e.reason,
                              {}});
    }
}

void Planner::start_close(const PlanEntry& e) {
    const OnNoHandler on_no_handler =
        e.on_no_handler == "release" ? OnNoHandler::release : OnNoHandler::skip;
    const auto started =
        closes_->start(e, closes_->route_for(e, on_no_handler), "harvester", "harvest");
    if (!started)
        spdlog::warn("harvest close not started server={} session={} user={} reason=\"{}\"",
                     e.server, e.session_id, e.user, started.error());
}

} // namespace lmharvest
