// The close sequences that run now: each on a thread of its own, at most max_running at once.
// A sequence mostly waits (for an agent up to agent_timeout, for a "too soon" retry up to
// minutes), so one worker would let a silent agent hold back every other close; the bound
// keeps a burst of decisions from making unbounded threads (the plan decides them again later).
// A released session stays under way (out of the plans) until a later good poll of its server
// no longer shows it ("confirmed"), or for confirm_polls polls ("release not confirmed").
#pragma once

#include "harvest/close_sequence.hpp"
#include "harvest/closes_under_way.hpp"

#include <atomic>
#include <condition_variable>
#include <list>
#include <map>
#include <memory>
#include <mutex>
#include <thread>

namespace lmharvest {

/// Closes counted per (server, feature, method, outcome) since the service started.
using CloseCounts = std::map<std::vector<std::string>, int64_t>;

class CloseSequences {
public:
    static constexpr std::size_t max_running = 16;
    static constexpr int confirm_polls = 3;

    /// `env.wait` is ignored: the sequences wait on this object, so stop() ends the waits.
    CloseSequences(CloseSequenceEnv env, ClosesUnderWay& under_way);
    /// stop(), then joins every sequence.
    ~CloseSequences();
    CloseSequences(const CloseSequences&) = delete;
    CloseSequences& operator=(const CloseSequences&) = delete;

    /// How a close of `entry`'s session goes for the apps the agents report now.
    CloseRoute route_for(const PlanEntry& entry, OnNoHandler on_no_handler) const;
    /// Claims the session, appends the action (`actor`, `kind` "harvest" or "close", the
    /// entry's figures) and starts the sequence; the action id, or why not ("close already
    /// under way", too many running).
    Expected<int64_t> start(const PlanEntry& entry, CloseRoute route, const std::string& actor,
                            const std::string& kind);
    /// After a good poll of `server` was stored: confirms the released sessions it no longer
    /// shows, and gives up on those still shown after confirm_polls polls.
    void on_good_poll(const std::string& server);
    /// Ends the waits of every sequence (no release after it).
    void stop();
    CloseCounts counts() const;
    /// Whether `session_id` was released and waits for a poll to confirm it (its sequence
    /// logs "released" just before: a caller that saw the step waits for this too).
    bool awaiting_confirmation(int64_t session_id) const;
    /// The sessions a close is under way for (operator closes too), for the planner.
    std::set<int64_t> under_way() const { return under_way_.ids(); }

private:
    struct Running {
        std::thread thread;
        std::shared_ptr<std::atomic<bool>> done;
    };
    struct Unconfirmed {
        CloseJob job;
        int polls_left = confirm_polls;
    };
    void run(CloseJob job);
    void count(const PlanEntry& entry, const std::string& outcome);
    bool wait(std::chrono::milliseconds delay);
    void reap_finished(); // with mutex_ held

    CloseSequenceEnv env_;
    ClosesUnderWay& under_way_;
    mutable std::mutex mutex_; // guards everything below
    std::condition_variable stopped_;
    bool stopping_ = false;
    std::list<Running> running_;
    std::map<int64_t, Unconfirmed> unconfirmed_; // by session id
    CloseCounts counts_;
};

} // namespace lmharvest
