// The plain structs that go into and come out of the Store. Poll data reuses the snapshot model
// (host/src/model/snapshot.hpp); these add what only the store knows: row ids, when a row was
// first and last seen, when a session closed and why.
#pragma once

#include "model/snapshot.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace lmharvest {

/// How fresh a server's data is: `up` the last poll succeeded; `down` the last poll failed (or
/// every license server reported down) and there is no earlier good data; `stale` it failed
/// and what the store holds is from an earlier good poll.
enum class ServerState { up, down, stale };

const char* to_string(ServerState state);
/// The inverse of to_string(); anything unknown reads as down.
ServerState server_state_from_string(std::string_view text);

struct ServerRecord {
    std::string id;
    std::string adapter;
    std::string address;
    std::optional<int64_t> last_poll_time;
    std::optional<int64_t> last_ok_time; // the poll the features and sessions come from
    ServerState state = ServerState::down;
    std::string error;
    std::optional<int64_t> latency_ms;
    std::vector<VendorStatus> vendors;
};

struct FeatureRecord {
    std::string server; // the configured server id
    FeatureUsage usage;
    int64_t updated_at = 0;
};

struct SessionRecord {
    int64_t id = 0;
    std::string server;   // the configured server id
    std::string identity; // session_identity(), unique among the server's open sessions
    Session session;      // session.server is the license server the tool named (server_handle)
    int64_t first_seen = 0;
    int64_t last_seen = 0;
    std::optional<int64_t> closed_at; // nullopt while open
    std::string close_reason;         // "gone" when a poll no longer saw it
};

/// What one poll changed among a server's sessions.
struct PollChanges {
    std::vector<std::size_t> opened; // indexes into the snapshot's sessions
    std::size_t gone = 0;            // open sessions the poll no longer saw, now closed
};

/// Which open sessions to list; every field that is set must match.
struct SessionFilter {
    std::optional<std::string> server = {};
    std::optional<std::string> vendor = {};
    std::optional<std::string> feature = {};
    std::optional<std::string> user = {};
    std::optional<std::vector<std::string>> users = {}; // a group's members; empty: nobody
    std::optional<std::string> host = {};
    /// The page's filter box (`q`): sessions with this text in server, vendor, feature,
    /// version, user, host or host IP, ignoring the case of ASCII letters.
    std::optional<std::string> text = {};
};

/// What a session summary sums per: nothing (one row of totals), user, feature (server,
/// vendor, feature), or feature and user.
enum class SummaryBy { all, user, feature, feature_user };

/// Open sessions summed per feature (and per user when `user` is set, per version when
/// `version` is).
struct FeatureUse {
    std::string server;
    std::string vendor;
    std::string feature;
    std::string version; // the pool's version; set by usage_by_pool() only
    std::string user;    // empty in usage_by_feature()
    int64_t sessions = 0;
    int64_t licenses = 0; // sum of the sessions' counts
};

/// One step of a close sequence (agent command, its answer, release, confirmation), recorded
/// when it happens; the action's outcome is its last step's.
struct ActionStep {
    int64_t action_id = 0;
    int64_t time = 0;
    std::string step;    // "agent_command", "agent_result", "release", "retry", "confirm"
    std::string outcome; // "posted", "saved_and_closed", "released", "too_soon", "confirmed", ...
    std::string message;
    std::string policy_json; // the figures at that moment (used, total, target, idle, rule)
};

/// One entry of the append-only audit log: a close, manual or harvested, dry-run or real.
struct Action {
    int64_t id = 0; // set by the store
    int64_t time = 0;
    std::string actor; // "operator:alice", "harvester"
    std::string kind;  // "close", "harvest"
    bool dry_run = false;
    std::string server;
    std::optional<int64_t> session_id;
    std::string user;
    std::string feature;
    std::string policy_json; // the policy numbers at the time
    std::string steps_json;  // before schema 6: each step and its result; now in `steps`
    std::string outcome;     // a sequence's first outcome; its last step's is the final one
    std::string message;
    std::vector<ActionStep> steps; // from action_steps, in order (read by Store::actions)
};

/// The latest report of one application by one agent (DESIGN §4a).
struct AppActivity {
    std::string agent; // "<host>:<uid>"
    std::string app;
    int64_t pid = 0;
    std::string executable;
    std::string host;
    std::string user;
    std::string display;
    std::vector<std::string> features;   // the licensed features the app uses
    std::optional<int64_t> focus_idle_s; // since the last input to its windows; nullopt: unknown
    double cpu_percent = 0;              // of one core, its process tree, over the idle window
    bool busy = false;                   // its handler says a job runs
    std::string handler;
    std::vector<std::string> methods; // what its handler can do: save_and_close, suspend, ...
    int64_t report_time = 0;          // epoch seconds of the report
    int64_t report_interval_s = 60;   // the agent's report_every
};

/// A workstation agent and its latest report (DESIGN §4a), also when it reported no app.
struct AgentRecord {
    std::string agent; // "<host>:<uid>"
    std::string host;
    std::string user;
    std::string display;
    std::string token;                   // the [[tokens]] name it reported with
    int64_t agent_time = 0;              // the agent's clock in the report
    std::optional<int64_t> input_idle_s; // since the user's last input anywhere; nullopt: unknown
    int64_t report_time = 0;             // the host's clock when the report came
    int64_t report_interval_s = 60;      // the report_every the host asked for
};

/// One decision of a harvest plan, with the pool's figures when the plan was made.
struct PlanEntry {
    std::string server;
    int64_t time = 0;
    std::string vendor;
    std::string feature;
    std::string version;
    std::optional<int64_t> total; // nullopt: uncounted
    int64_t used = 0;
    std::optional<int64_t> target; // nullopt: the pool is never harvested
    int64_t waiting = 0;           // users denied or queued, not yet served (trigger "demand")
    int64_t session_id = 0;
    std::string user;
    std::string host;
    int64_t count = 1;
    bool close = false; // false: keep
    std::string reason;
    std::optional<int64_t> idle_s; // set when the session is known to be idle
    std::optional<int64_t> rule_index;
    std::string method;
    std::string on_no_handler;
    /// Set: a close of it ended without a release, and no new one starts before this time
    /// (epoch seconds; the back-off, harvest/close_backoff.hpp).
    std::optional<int64_t> next_try;

    bool operator==(const PlanEntry&) const = default;
};

/// One close sequence the harvester ran for a session (an action of kind "harvest", not a dry
/// run), as far as its steps went: what the back-off after a failed close is derived from.
struct CloseAttempt {
    int64_t session_id = 0;
    int64_t action_id = 0;
    int64_t time = 0;      // the time of its last step
    std::string outcome;   // the last step's outcome ("agent_timeout", "released", ...)
    bool released = false; // a step released the license
};

/// What a handler saved before closing an application, so that the user can reopen it.
struct ClosedProject {
    int64_t id = 0; // set by the store
    std::string user;
    std::string host;
    std::string application;
    std::string path;
    int64_t saved_time = 0;
};

/// One column of a list's order; `descending` for "-column".
struct SortKey {
    std::string column;
    bool descending = false;
};

/// Which part of a sorted list to read: `limit` rows after `cursor` (a previous page's
/// next_cursor, with the same sort) or after skipping `offset` rows.
struct PageRequest {
    std::optional<int64_t> limit = {}; // nullopt: every row
    std::vector<SortKey> sort = {};    // empty: the list's own order
    std::optional<std::string> cursor = {};
    int64_t offset = 0;
};

template <class Record> struct Page {
    std::vector<Record> rows;
    std::optional<std::string> next_cursor; // set when more rows follow
};

/// Closed sessions to list: each filter of `sessions` that is set must match, and the
/// session closed in [from, to) when those are set.
struct HistoryFilter {
    SessionFilter sessions = {};
    std::optional<int64_t> from = {};
    std::optional<int64_t> to = {};
};

/// Which usage history to read: pools matching every filter that is set, points bucketed by
/// `step` seconds from the epoch, buckets starting in [from, to).
struct UsageQuery {
    std::optional<std::string> server = {};
    std::optional<std::string> vendor = {};
    std::optional<std::string> feature = {};
    std::optional<std::string> version = {};
    /// Set: used_* count only these users' licenses (from open and closed sessions); empty:
    /// nobody's.
    std::optional<std::vector<std::string>> users = {};
    int64_t from = 0;
    int64_t to = 0;
    int64_t step = 60;
};

/// One bucket of a pool's usage history.
struct UsagePoint {
    int64_t time = 0; // the bucket's start, epoch seconds
    int64_t used_min = 0;
    int64_t used_max = 0;
    double used_mean = 0;
    std::optional<int64_t> total; // nullopt: uncounted
};

struct PoolUsage {
    std::string server;
    std::string vendor;
    std::string feature;
    std::string version;
    std::vector<UsagePoint> points; // oldest first; buckets without data are absent
};

/// What one compaction of the usage history did.
struct HistoryCompaction {
    int64_t points_rolled = 0;    // rows folded into coarser rollups
    int64_t points_deleted = 0;   // rows older than the retention
    int64_t sessions_deleted = 0; // closed sessions older than the retention
};

struct DenialRecord {
    std::string server;
    Denial denial;
};

} // namespace lmharvest
