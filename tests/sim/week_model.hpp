// A simulated week of license use: pools of 100, 10 and 3 licenses and one of tokens on two
// servers and four vendors, users who come and go by weekday and hour, forget open apps over
// lunch and at night, run long jobs, close their laptop, or have no agent. Seeded and minute by
// minute, with no clock and no sleeping: the same seed gives the same week.
#pragma once

#include "store/store_records.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace lmharvest::weeksim {

/// How a user treats the app and the agent.
enum class Habit {
    tidy,      ///< closes the app when leaving, mostly
    forgetful, ///< leaves it open over lunch, meetings and the night
    computing, ///< starts long jobs (busy CPU, no input) and leaves them running
    sleeper,   ///< leaves it open and closes the laptop: the agent falls silent
    no_agent,  ///< no agent on the workstation
};

struct PoolSpec {
    std::string server;
    std::string vendor;
    std::string feature;
    int64_t total = 0;
    int users = 0;
    std::vector<int64_t> counts = {1}; ///< licenses per checkout, one per user in turn
};

/// The pools of the week: 100, 10 and 3 licenses, 50 tokens taken 5, 10 or 15 at a time.
std::vector<PoolSpec> week_pools();

struct SimUser {
    std::string name;
    std::string host; ///< the short name the license server prints; the agent reports the FQDN
    size_t pool = 0;
    int64_t count = 1;
    Habit habit = Habit::tidy;
    int arrive_minute = 0; ///< minute of the day
    int leave_minute = 0;
    int lunch_minute = 0;
    bool works_saturday = false;
    // the state
    std::optional<int64_t> session; ///< its session id while it holds a license
    int64_t checkout_time = 0;
    int64_t last_input = 0;
    int64_t away_until = 0; ///< in a meeting until then
    int64_t busy_until = 0; ///< a job computes until then
    bool laptop_closed = false;
    int64_t last_report = 0;    ///< the agent's last report of the app
    bool reported_busy = false; ///< what that report said of the CPU
    bool at_work = false;
};

class WeekModel {
public:
    static constexpr int64_t week_start = 1'795'996'800; ///< Monday 2026-11-30 00:00 UTC
    static constexpr int64_t report_interval_s = 60;

    explicit WeekModel(uint64_t seed);

    /// Lets the users act during the minute that ends at `now` (week_start + n x 60).
    void step(int64_t now);

    /// The server's features and open sessions as a good poll would put them in the store.
    std::vector<FeatureRecord> features(const std::string& server) const;
    std::vector<SessionRecord> open_sessions(const std::string& server) const;
    /// The agents' latest reports: every app still open, silent agents with their old report.
    std::vector<AppActivity> activity() const;
    /// The denials of the last minute, as the store would list them: one per user who wanted a
    /// license and found the pool full (and retries the next minute).
    const std::vector<DenialRecord>& denials() const { return denials_; }

    /// Ends the session (a harvest close released it); its user may check out again later.
    void close(int64_t session_id);

    /// The user holding the session, nullptr when it is not open.
    const SimUser* user_of(int64_t session_id) const;

private:
    int64_t used(size_t pool) const;
    void act(SimUser& user, size_t index, int64_t now);
    void check_in(SimUser& user);

    uint64_t seed_;
    std::vector<PoolSpec> pools_;
    std::vector<SimUser> users_;
    std::vector<DenialRecord> denials_;
    int64_t next_session_ = 1;
};

} // namespace lmharvest::weeksim
