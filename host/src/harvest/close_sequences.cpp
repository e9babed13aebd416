#include "harvest/close_sequences.hpp"

#include "harvest/session_idleness.hpp"

#include "json/plan_json.hpp"
#include "json/safe_dump.hpp"
#include <spdlog/spdlog.h>

namespace lmharvest {

CloseSequences::CloseSequences(CloseSequenceEnv env, ClosesUnderWay& under_way)
    : env_(std::move(env)), under_way_(under_way) {
    env_.wait = [this](std::chrono::milliseconds delay) { return wait(delay); };
}

CloseSequences::~CloseSequences() {
    stop();
    std::list<Running> running;
    {
        std::lock_guard lock(mutex_);
        running.swap(running_);
    }
    for (Running& r : running)
        r.thread.join();
}

void CloseSequences::stop() {
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    stopped_.notify_all();
    env_.mailbox.shutdown();
}

bool CloseSequences::wait(std::chrono::milliseconds delay) {
    std::unique_lock lock(mutex_);
    return !stopped_.wait_for(lock, delay, [this] { return stopping_; });
}

void CloseSequences::reap_finished() {
    for (auto r = running_.begin(); r != running_.end();) {
        if (!*r->done) {
            ++r;
            continue;
        }
        r->thread.join(); // it has returned from run(): joins at once
        r = running_.erase(r);
    }
}

CloseRoute CloseSequences::route_for(const PlanEntry& entry, OnNoHandler on_no_handler) const {
    const auto session = env_.store.session(entry.session_id);
    if (!session)
        return {std::nullopt, false, "session " + std::to_string(entry.session_id) + " not found"};
    const ActivityIndex activity(env_.store.activity());
    return route_close(entry.method, on_no_handler, apps_of_session(session->session, activity));
}

Expected<int64_t> CloseSequences::start(const PlanEntry& entry, CloseRoute route,
                                        const std::string& actor, const std::string& kind) {
    std::lock_guard lock(mutex_);
    reap_finished();
    if (stopping_)
        return unexpected(std::string("the service is stopping"));
    if (running_.size() >= max_running)
        return unexpected("too many close sequences running (" + std::to_string(max_running) +
                          "); the next plan decides it again");
    if (!under_way_.begin(entry.session_id))
        return unexpected(std::string("close already under way"));
    Action action;
    action.time = env_.clock();
    action.actor = actor;
    action.kind = kind;
    action.server = entry.server;
    action.session_id = entry.session_id;
    action.user = entry.user;
    action.feature = entry.feature;
    action.policy_json = safe_dump(policy_figures_json(entry));
    action.steps_json = "[]";
    action.outcome = "started";
    action.message = entry.reason;
    CloseJob job{0, entry, std::move(route)};
    job.action_id = env_.store.append_action(action);
    record_step(env_.store, job, action.time, "start", "started",
                entry.method + " for " + entry.user + " on " + entry.host + ": " + entry.reason);
    const int64_t id = job.action_id;
    auto done = std::make_shared<std::atomic<bool>>(false);
    running_.push_back({std::thread([this, job = std::move(job), done] {
                            run(job);
                            *done = true;
                        }),
                        done});
    return id;
}

void CloseSequences::run(CloseJob job) {
    SequenceEnd end;
    try {
        end = run_close_sequence(job, env_);
    } catch (const std::exception& e) { // the store failed (disk full): the claim must end
        spdlog::error("close sequence failed action={} error=\"{}\"", job.action_id, e.what());
        end.outcome = "error";
    }
    if (end.released) {
        std::lock_guard lock(mutex_);
        unconfirmed_.insert_or_assign(job.entry.session_id, Unconfirmed{std::move(job)});
        return; // still under way: out of the plans until a poll confirms it
    }
    count(job.entry, end.outcome);
    under_way_.end(job.entry.session_id);
}

bool CloseSequences::awaiting_confirmation(int64_t session_id) const {
    std::lock_guard lock(mutex_);
    return unconfirmed_.count(session_id) == 1;
}

void CloseSequences::on_good_poll(const std::string& server) {
    std::vector<std::pair<CloseJob, bool>> ended; // the job, confirmed
    {
        std::lock_guard lock(mutex_);
        for (auto u = unconfirmed_.begin(); u != unconfirmed_.end();) {
            if (u->second.job.entry.server != server) {
                ++u;
                continue;
            }
            const auto session = env_.store.session(u->first);
            const bool gone = !session || session->closed_at;
            if (!gone && --u->second.polls_left > 0) {
                ++u;
                continue;
            }
            ended.emplace_back(std::move(u->second.job), gone);
            u = unconfirmed_.erase(u);
        }
    }
    for (const auto& [job, confirmed] : ended) {
        const std::string outcome = confirmed ? "confirmed" : "not_confirmed";
        record_step(env_.store, job, env_.clock(), "confirm", outcome,
                    confirmed ? "the server no longer shows the session"
                              : "release not confirmed: the server still shows the session after " +
                                    std::to_string(confirm_polls) + " polls");
        count(job.entry, outcome);
        under_way_.end(job.entry.session_id);
    }
}

void CloseSequences::count(const PlanEntry& entry, const std::string& outcome) {
    std::lock_guard lock(mutex_);
    ++counts_[{entry.server, entry.feature, entry.method, outcome}];
}

CloseCounts CloseSequences::counts() const {
    std::lock_guard lock(mutex_);
    return counts_;
}

} // namespace lmharvest
