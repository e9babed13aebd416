// The one storage interface of the host: a single SQLite file under state_dir. Each poll is
// written in one transaction; everything else reads plain structs (store_records.hpp).
//
// One Store is shared by the poll threads and the HTTP threads. Writes are serialized on one
// connection; reads use a small pool of read-only connections of their own (WAL), so a read
// never waits for a poll's write, only, when every reader is busy, for another read.
// Calls other than open() throw SQLite::Exception (a std::runtime_error) only when SQLite
// itself fails (disk full, I/O error); a poll that fails to store is rolled back whole.
#pragma once

#include "common/expected.hpp"
#include "model/snapshot.hpp"
#include "store/session_rows.hpp"
#include "store/store_records.hpp"

#include <cstdint>
#include <filesystem>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace SQLite {
class Database;
}

namespace lmharvest {

class ReaderPool;

class Store {
public:
    /// Opens or creates `file` (and its parent folders) and brings its schema up to date.
    /// Refuses a file that is not SQLite, a damaged one (PRAGMA quick_check, with what to do),
    /// and one whose schema is newer than this binary knows.
    static Expected<std::unique_ptr<Store>> open(const std::filesystem::path& file);

    /// Whether the path still names the file open() opened. A deleted or replaced file keeps
    /// working through the open descriptor, but what is written there is lost at restart.
    enum class FileState { same, missing, replaced };
    FileState file_state() const;
    const std::filesystem::path& file() const { return file_; }

    ~Store();
    Store(const Store&) = delete;
    Store& operator=(const Store&) = delete;

    // --- writes of the realtime loop (poll_writer.cpp)

    /// Stores one poll of one server in one transaction: its status and vendors, its features
    /// (replaced), its sessions (diffed by identity against its open sessions: new ones
    /// opened, present ones updated, vanished ones closed with reason "gone"), its denials
    /// (identical rows kept once) and its skipped lines (replaced). A failed snapshot (ok=false)
    /// or one where every license server is down only updates the server's status: it is not
    /// proof that the sessions ended. Returns which sessions opened and how many went away.
    PollChanges record_poll(const PollSnapshot& snapshot, std::string_view adapter,
                            std::string_view address);
    /// Closes an open session (e.g. "harvested", "closed by operator"). Returns false when
    /// `id` is unknown or already closed.
    bool mark_session_closed(int64_t id, int64_t time, std::string_view reason);

    // --- servers and features (server_queries.cpp)

    std::vector<ServerRecord> servers() const;
    std::vector<FeatureRecord> features(const std::optional<std::string>& server = {}) const;
    /// The lines the server's last poll could not parse, in line order.
    std::vector<SkippedLine> last_skips(std::string_view server) const;

    // --- sessions (session_queries.cpp)

    std::vector<SessionRecord> open_sessions(const SessionFilter& filter = {}) const;
    /// A page of open sessions (by default in id order); an error names the bad parameter
    /// (sort, cursor).
    Expected<Page<SessionRecord>> open_sessions(const SessionFilter& filter,
                                                const PageRequest& page) const;
    /// A page of closed sessions, by default most recently closed first.
    Expected<Page<SessionRecord>> closed_sessions(const HistoryFilter& filter,
                                                  const PageRequest& page) const;
    /// The same pages, read as SQLite steps them: the rows hold one of the store's 16 stream
    /// connections (never one the other reads use) and one read snapshot (next_cursor() and
    /// every row agree) until destroyed.
    Expected<std::unique_ptr<SessionRows>> open_session_rows(const SessionFilter& filter,
                                                             const PageRequest& page) const;
    Expected<std::unique_ptr<SessionRows>> closed_session_rows(const HistoryFilter& filter,
                                                               const PageRequest& page) const;
    /// How many open sessions `filter` matches (X-Total-Count): without a filter, the number
    /// the schema's triggers keep (one row read); else count(*) alone, which an index answers
    /// without reading the rows.
    int64_t open_session_count(const SessionFilter& filter) const;
    /// The open sessions `filter` matches, summed per `by` (FeatureUse's fields that `by`
    /// does not name stay empty), a page of them: sortable by key (the group's names, the
    /// tie-break), server, vendor, feature, user, sessions, licenses; by default server,
    /// vendor, feature, user. An error names the bad parameter (sort, cursor).
    Expected<Page<FeatureUse>> session_summary(const SessionFilter& filter, SummaryBy by,
                                               const PageRequest& page) const;
    /// How many rows session_summary() gives without a limit.
    int64_t session_summary_size(const SessionFilter& filter, SummaryBy by) const;
    /// The distinct users with open sessions, sorted.
    std::vector<std::string> open_session_users() const;
    std::optional<SessionRecord> session(int64_t id) const;
    /// Sessions closed in [since, until), most recently closed first.
    std::vector<SessionRecord> session_history(int64_t since, int64_t until, int limit) const;
    std::vector<FeatureUse> usage_by_feature() const;
    std::vector<FeatureUse> usage_by_feature_and_user() const;
    /// Open sessions per license pool (server, vendor, feature, version): a session counts in
    /// the pool of its own version, or in its feature's only pool (FlexNet sessions carry the
    /// client's version, "31.000000", not the pool's "31.0"); `version` is the pool's.
    std::vector<FeatureUse> usage_by_pool() const;

    // --- audit log (action_log.cpp); append-only: there is no update or delete

    int64_t append_action(const Action& action);
    /// Adds a step to the action `step.action_id` (appended by append_action before).
    void append_action_step(const ActionStep& step);
    /// The newest `limit` actions, newest first, each with its steps.
    std::vector<Action> actions(int limit) const;
    /// A page of the audit log, by default newest first; an error names sort or cursor.
    Expected<Page<Action>> actions(const PageRequest& page) const;
    /// The harvester's close sequences (not dry runs) of the open sessions of `server`, by
    /// session and then in the order they started.
    std::vector<CloseAttempt> close_attempts(std::string_view server) const;

    // --- what agents report (workstation_records.cpp)

    /// Stores one agent's whole report in one transaction: `apps` replace what the agent
    /// reported before (an app missing from the report has ended).
    void replace_agent_activity(std::string_view agent, const std::vector<AppActivity>& apps);
    /// The same, with the agent's own row (who, when, which token), in the same transaction.
    void save_agent_report(const AgentRecord& agent, const std::vector<AppActivity>& apps);
    /// Drops one app from `agent`'s last report: the agent answered that it closed it (saved
    /// and closed, or found it gone), so that report no longer tells the truth about it; the
    /// agent's next report is the whole truth again (DESIGN §4a). False when it was not there.
    bool forget_agent_app(std::string_view agent, int64_t pid);
    /// Every agent that ever reported, by id.
    std::vector<AgentRecord> agents() const;
    std::optional<AgentRecord> agent(std::string_view id) const;
    /// Every agent's latest apps, for matching sessions to them.
    std::vector<AppActivity> activity() const;
    /// Deletes the agents whose last report came before `reported_before`, with their apps (and
    /// apps of any agent reported before then); returns how many agents went.
    int64_t forget_agents(int64_t reported_before);
    int64_t add_closed_project(const ClosedProject& project);
    /// The user's newest `limit` saved projects, newest first.
    std::vector<ClosedProject> closed_projects(std::string_view user, int limit) const;

    // --- the harvest plan (harvest_plans.cpp)

    /// Replaces the plan of `server` with `entries`, in the order given (one plan: they share
    /// the first one's time), and returns the plan it replaced. Writes only the rows that
    /// changed: after most polls a plan differs from the one before in few rows, if any.
    std::vector<PlanEntry> replace_harvest_plan(std::string_view server,
                                                const std::vector<PlanEntry>& entries);
    /// The stored plan, per server in policy order; each filter that is set must match.
    std::vector<PlanEntry> harvest_plan(const std::optional<std::string>& server = {},
                                        const std::optional<std::string>& feature = {}) const;

    // --- usage history (usage_history.cpp); record_poll() writes a point per pool and poll

    /// Each matching pool's usage in [query.from, query.to), bucketed by query.step.
    std::vector<PoolUsage> usage_history(const UsageQuery& query) const;
    /// Folds points older than a day into 5-minute rollups and those older than a week into
    /// 1-hour ones (whole buckets only), and deletes points, rollups and closed sessions older
    /// than `history_days`; one transaction.
    HistoryCompaction compact_history(int64_t now, int history_days);

    // --- denials (denial_queries.cpp)

    /// Denials at or after `since`, newest first.
    std::vector<DenialRecord> denials(int64_t since, int limit) const;
    /// A page of the denials at or after `since`, by default newest first.
    Expected<Page<DenialRecord>> denials(int64_t since, const PageRequest& page) const;

private:
    Store(std::unique_ptr<SQLite::Database> db, std::filesystem::path file);

    // Guards db_, the writer's connection: SQLite serializes single calls itself, but a
    // transaction and the statements inside it must not interleave with another thread's.
    std::mutex mutex_;
    std::unique_ptr<SQLite::Database> db_;
    std::unique_ptr<ReaderPool> readers_;        // every const call reads through these
    std::unique_ptr<ReaderPool> stream_readers_; // but the *_rows() ones, through these
    std::filesystem::path file_;
    // The file's device and inode at open(), to tell a replaced file from the same one.
    uint64_t device_ = 0;
    uint64_t inode_ = 0;
};

/// "deleted", "replaced" or "ok", for logs and metrics.
const char* to_string(Store::FileState state);

} // namespace lmharvest
