#include "store/migrations.hpp"

#include <SQLiteCpp/SQLiteCpp.h>
#include <chrono>
#include <string>

namespace lmharvest {
namespace {

struct Migration {
    int version;
    const char* sql;
};

// Append only: a released migration never changes, a schema change is a new entry.
constexpr Migration migrations[] = {
    // What polls find.
    {1, R"sql(
CREATE TABLE servers (
    id TEXT PRIMARY KEY,
    adapter TEXT NOT NULL,
    address TEXT NOT NULL,
    last_poll_time INTEGER,
    last_ok_time INTEGER,
    state TEXT NOT NULL CHECK (state IN ('up', 'down', 'stale')),
    error TEXT NOT NULL DEFAULT '',
    latency_ms INTEGER
);
CREATE TABLE vendors (
    server TEXT NOT NULL REFERENCES servers(id),
    name TEXT NOT NULL,
    state TEXT NOT NULL,
    version TEXT NOT NULL,
    message TEXT NOT NULL,
    PRIMARY KEY (server, name)
);
CREATE TABLE features (
    server TEXT NOT NULL REFERENCES servers(id),
    vendor TEXT NOT NULL,
    feature TEXT NOT NULL,
    version TEXT NOT NULL,
    total INTEGER, -- NULL: uncounted or unknown
    used INTEGER NOT NULL,
    reserved INTEGER NOT NULL,
    queued INTEGER NOT NULL,
    expiry TEXT NOT NULL,
    flags INTEGER NOT NULL,
    error TEXT NOT NULL,
    updated_at INTEGER NOT NULL,
    UNIQUE (server, vendor, feature, version)
);
CREATE TABLE sessions (
    id INTEGER PRIMARY KEY,
    server TEXT NOT NULL REFERENCES servers(id),
    identity TEXT NOT NULL,
    vendor TEXT NOT NULL,
    feature TEXT NOT NULL,
    version TEXT NOT NULL,
    user TEXT NOT NULL,
    host TEXT NOT NULL,
    display TEXT NOT NULL,
    host_ip TEXT NOT NULL,
    count INTEGER NOT NULL,
    checkout_time INTEGER NOT NULL,
    borrow_expiry INTEGER NOT NULL,
    linger_seconds INTEGER NOT NULL,
    pid INTEGER NOT NULL,
    server_handle TEXT NOT NULL, -- the license server the tool named for this checkout
    handle TEXT NOT NULL,
    close_token TEXT NOT NULL,
    first_seen INTEGER NOT NULL,
    last_seen INTEGER NOT NULL,
    closed_at INTEGER, -- NULL while open
    close_reason TEXT NOT NULL DEFAULT ''
);
CREATE UNIQUE INDEX sessions_open ON sessions (server, identity) WHERE closed_at IS NULL;
CREATE INDEX sessions_closed ON sessions (closed_at) WHERE closed_at IS NOT NULL;
)sql"},
    // What the harvester and the agents record.
    {2, R"sql(
CREATE TABLE denials (
    id INTEGER PRIMARY KEY,
    server TEXT NOT NULL REFERENCES servers(id),
    kind INTEGER NOT NULL,
    vendor TEXT NOT NULL,
    feature TEXT NOT NULL,
    user TEXT NOT NULL,
    host TEXT NOT NULL,
    reason TEXT NOT NULL,
    time INTEGER NOT NULL,
    count INTEGER NOT NULL,
    -- a debug log read again at the next poll repeats its lines
    UNIQUE (server, kind, vendor, feature, user, host, reason, time, count)
);
CREATE INDEX denials_time ON denials (time);
CREATE TABLE actions (
    id INTEGER PRIMARY KEY,
    time INTEGER NOT NULL,
    actor TEXT NOT NULL,
    kind TEXT NOT NULL,
    dry_run INTEGER NOT NULL,
    server TEXT NOT NULL,
    session_id INTEGER, -- no foreign key: the audit log must never refuse an entry
    user TEXT NOT NULL,
    feature TEXT NOT NULL,
    policy_json TEXT NOT NULL,
    steps_json TEXT NOT NULL,
    outcome TEXT NOT NULL,
    message TEXT NOT NULL
);
CREATE TRIGGER actions_no_update BEFORE UPDATE ON actions
    BEGIN SELECT RAISE(ABORT, 'actions is an append-only audit log'); END;
CREATE TRIGGER actions_no_delete BEFORE DELETE ON actions
    BEGIN SELECT RAISE(ABORT, 'actions is an append-only audit log'); END;
CREATE TABLE activity (
    user TEXT NOT NULL,
    host TEXT NOT NULL,
    display TEXT NOT NULL,
    application TEXT NOT NULL,
    feature TEXT NOT NULL,
    last_input_time INTEGER NOT NULL,
    PRIMARY KEY (user, host, display, application)
);
CREATE TABLE closed_projects (
    id INTEGER PRIMARY KEY,
    user TEXT NOT NULL,
    host TEXT NOT NULL,
    application TEXT NOT NULL,
    path TEXT NOT NULL,
    saved_time INTEGER NOT NULL
);
CREATE INDEX closed_projects_user ON closed_projects (user, saved_time);
)sql"},
    // Why a poll skipped lines; only the last poll's are kept.
    {3, R"sql(
CREATE TABLE poll_skips (
    server TEXT NOT NULL REFERENCES servers(id),
    poll_time INTEGER NOT NULL,
    line INTEGER NOT NULL,
    text TEXT NOT NULL,
    reason TEXT NOT NULL
);
CREATE INDEX poll_skips_server ON poll_skips (server, line);
)sql"},
    // Activity as agents report it (DESIGN §4a): the latest report per (agent, app), replacing
    // the per-user input time no agent ever wrote; and the harvest plan, replaced per server.
    {4, R"sql(
DROP TABLE activity;
CREATE TABLE activity (
    agent TEXT NOT NULL,
    app TEXT NOT NULL,
    pid INTEGER NOT NULL,
    host TEXT NOT NULL,
    user TEXT NOT NULL,
    display TEXT NOT NULL,
    features TEXT NOT NULL, -- one name a line
    focus_idle_s INTEGER, -- NULL: unknown, never idle
    cpu_percent REAL NOT NULL,
    busy INTEGER NOT NULL,
    handler TEXT NOT NULL,
    methods TEXT NOT NULL, -- one name a line
    report_time INTEGER NOT NULL,
    report_interval_s INTEGER NOT NULL,
    PRIMARY KEY (agent, app, pid)
);
CREATE TABLE harvest_plans (
    server TEXT NOT NULL,
    time INTEGER NOT NULL,
    vendor TEXT NOT NULL,
    feature TEXT NOT NULL,
    version TEXT NOT NULL,
    total INTEGER, -- NULL: uncounted
    used INTEGER NOT NULL,
    target INTEGER, -- NULL: never harvested (uncounted, unlimited)
    waiting INTEGER NOT NULL, -- users denied or queued and not yet served
    session_id INTEGER NOT NULL,
    user TEXT NOT NULL,
    host TEXT NOT NULL,
    count INTEGER NOT NULL,
    decision TEXT NOT NULL CHECK (decision IN ('close', 'keep')),
    reason TEXT NOT NULL,
    idle_s INTEGER, -- NULL: not known to be idle
    rule_index INTEGER, -- NULL: only [harvest] applied
    method TEXT NOT NULL,
    on_no_handler TEXT NOT NULL,
    position INTEGER NOT NULL -- the order the policy considered the sessions in
);
CREATE INDEX harvest_plans_server ON harvest_plans (server, position);
)sql"},
    // The agents themselves (DESIGN §4a): one row per agent with its latest report, also when it
    // reports no app, and the token it reports with; and each app's executable.
    {5, R"sql(
CREATE TABLE agents (
    agent TEXT PRIMARY KEY,
    host TEXT NOT NULL,
    user TEXT NOT NULL,
    display TEXT NOT NULL,
    token TEXT NOT NULL, -- the [[tokens]] name of its latest report
    agent_time INTEGER NOT NULL, -- the agent's clock in that report
    input_idle_s INTEGER, -- NULL: unknown
    report_time INTEGER NOT NULL, -- the host's clock when it came
    report_interval_s INTEGER NOT NULL
);
ALTER TABLE activity ADD COLUMN executable TEXT NOT NULL DEFAULT '';
)sql"},
    // The steps of a close sequence, minutes apart (agent command, its answer, release,
    // confirmation): one append-only row each; an action's outcome is its last step's.
    {6, R"sql(
CREATE TABLE action_steps (
    id INTEGER PRIMARY KEY,
    action_id INTEGER NOT NULL, -- no foreign key: the audit log must never refuse an entry
    time INTEGER NOT NULL,
    step TEXT NOT NULL,
    outcome TEXT NOT NULL,
    message TEXT NOT NULL,
    policy_json TEXT NOT NULL
);
CREATE INDEX action_steps_action ON action_steps (action_id, id);
CREATE TRIGGER action_steps_no_update BEFORE UPDATE ON action_steps
    BEGIN SELECT RAISE(ABORT, 'action_steps is an append-only audit log'); END;
CREATE TRIGGER action_steps_no_delete BEFORE DELETE ON action_steps
    BEGIN SELECT RAISE(ABORT, 'action_steps is an append-only audit log'); END;
)sql"},
    // Usage history: one row per pool and poll (step 0), or
    // per 5-minute (step 300) or 1-hour (step 3600) rollup of older rows; the mean of used is
    // used_sum / samples, so rolling rollups up again stays exact. And indexes for the reads
    // the page makes: sessions by user, by feature, and closed ones by server.
    {7, R"sql(
CREATE TABLE usage_points (
    server TEXT NOT NULL,
    vendor TEXT NOT NULL,
    feature TEXT NOT NULL,
    version TEXT NOT NULL,
    step INTEGER NOT NULL CHECK (step IN (0, 300, 3600)),
    time INTEGER NOT NULL, -- the poll's time, or the start of the rollup's bucket
    used_min INTEGER NOT NULL,
    used_max INTEGER NOT NULL,
    used_sum INTEGER NOT NULL,
    samples INTEGER NOT NULL,
    total INTEGER, -- NULL: uncounted; in a rollup the largest issued in the bucket
    PRIMARY KEY (server, vendor, feature, version, step, time)
) WITHOUT ROWID;
CREATE INDEX usage_points_time ON usage_points (time);
CREATE INDEX sessions_user ON sessions (user, feature);
CREATE INDEX sessions_feature ON sessions (feature, server);
)sql"},
    // The back-off after a harvest close that ended without a release is derived from a
    // session's actions and their last steps (close_attempts.cpp): an index to find them; and
    // the plan shows until when a session waits.
    {8, R"sql(
CREATE INDEX actions_session ON actions (session_id, id);
ALTER TABLE harvest_plans ADD COLUMN next_try INTEGER; -- NULL: not in a back-off
)sql"},
    // A user's open sessions (`?user=`, the page's pick): read straight in id order from an
    // index of open rows only, instead of sorting them and stepping over closed history.
    {9, R"sql(
CREATE INDEX sessions_open_user ON sessions (user) WHERE closed_at IS NULL;
)sql"},
    // A group's open sessions in id order (user IN (...) ORDER BY id): a walk of this index,
    // checking the user in it, instead of the user index and a sort of every member's rows.
    {10, R"sql(
CREATE INDEX sessions_open_id_user ON sessions (id, user) WHERE closed_at IS NULL;
)sql"},
    // The number of open sessions (the page's X-Total-Count on every refresh), kept by
    // triggers in the transaction that opens, closes or deletes a session: count(*) of 100k
    // open rows steps every index entry, ~8 ms, after each poll's commit emptied the cache.
    // A poll's update of count and last_seen does not name closed_at, so it fires nothing.
    {11, R"sql(
CREATE TABLE open_session_count (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    sessions INTEGER NOT NULL
);
INSERT INTO open_session_count VALUES (1, (SELECT count(*) FROM sessions WHERE closed_at IS NULL));
CREATE TRIGGER open_session_count_insert AFTER INSERT ON sessions WHEN new.closed_at IS NULL
BEGIN
    UPDATE open_session_count SET sessions = sessions + 1;
END;
CREATE TRIGGER open_session_count_delete AFTER DELETE ON sessions WHEN old.closed_at IS NULL
BEGIN
    UPDATE open_session_count SET sessions = sessions - 1;
END;
CREATE TRIGGER open_session_count_close AFTER UPDATE OF closed_at ON sessions
WHEN (old.closed_at IS NULL) <> (new.closed_at IS NULL)
BEGIN
    UPDATE open_session_count
    SET sessions = sessions + (new.closed_at IS NULL) - (old.closed_at IS NULL);
END;
)sql"},
    // A plan's time once per server instead of in each of its rows: a plan the same as the one
    // before except for its time (after most polls) then writes one row, not a row per open
    // session (harvest_plans.cpp). DROP COLUMN needs SQLite 3.35 (Debian 12 has 3.40).
    {12, R"sql(
CREATE TABLE harvest_plan_times (
    server TEXT PRIMARY KEY,
    time INTEGER NOT NULL
);
INSERT INTO harvest_plan_times (server, time) SELECT server, max(time) FROM harvest_plans GROUP BY server;
ALTER TABLE harvest_plans DROP COLUMN time;
)sql"},
};

int64_t now_epoch_seconds() {
    return std::chrono::duration_cast<std::chrono::seconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}

bool has_foreign_tables(SQLite::Database& db) {
    return db.execAndGet("SELECT count(*) FROM sqlite_master WHERE name NOT LIKE 'sqlite_%'")
               .getInt() > 0;
}

} // namespace

std::vector<int> schema_versions() {
    std::vector<int> versions;
    for (const Migration& migration : migrations)
        versions.push_back(migration.version);
    return versions;
}

int latest_schema_version() {
    return schema_versions().back();
}

int schema_version(SQLite::Database& db) {
    if (!db.tableExists("schema_version"))
        return 0;
    return db.execAndGet("SELECT coalesce(max(version), 0) FROM schema_version").getInt();
}

Expected<int> migrate(SQLite::Database& db, int up_to) {
    int version = schema_version(db);
    if (version > latest_schema_version())
        return unexpected("schema version " + std::to_string(version) +
                          " is newer than this lmharvest supports (" +
                          std::to_string(latest_schema_version()) +
                          "); upgrade lmharvest or restore a backup");
    if (version == 0 && has_foreign_tables(db))
        return unexpected(std::string("not an lmharvest state file (it has tables but no "
                                      "schema_version); point state_dir elsewhere"));
    for (const Migration& migration : migrations) {
        if (migration.version <= version || migration.version > up_to)
            continue;
        SQLite::Transaction transaction(db);
        db.exec("CREATE TABLE IF NOT EXISTS schema_version ("
                "version INTEGER PRIMARY KEY, applied_at INTEGER NOT NULL)");
        db.exec(migration.sql);
        SQLite::Statement record(db, "INSERT INTO schema_version VALUES (?, ?)");
        record.bind(1, migration.version);
        record.bind(2, now_epoch_seconds());
        record.exec();
        transaction.commit();
        version = migration.version;
    }
    return version;
}

} // namespace lmharvest
