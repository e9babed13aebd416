// The realtime loop's writes: one poll of one server, in one transaction.
#include "store/sql_values.hpp"
#include "store/store.hpp"
#include "store/usage_points.hpp"

#include <algorithm>
#include <unordered_map>

namespace lmharvest {
namespace {

using sql::exec_once;
using sql::exec_with;

// A snapshot in which every license server is down lists no sessions because it could not
// see them, not because they ended.
bool every_license_server_down(const PollSnapshot& snapshot) {
    return !snapshot.servers.empty() &&
           std::all_of(snapshot.servers.begin(), snapshot.servers.end(),
                       [](const ServerStatus& server) { return server.state == State::down; });
}

std::string down_error(const PollSnapshot& snapshot) {
    for (const ServerStatus& server : snapshot.servers)
        if (!server.message.empty())
            return server.host + ": " + server.message;
    return "every license server reported down";
}

void upsert_server(SQLite::Database& db, const PollSnapshot& snapshot, std::string_view adapter,
                   std::string_view address, bool authoritative) {
    // A failed poll leaves the last good data in place: "stale" if there is some, else "down".
    SQLite::Statement upsert(db, R"sql(
INSERT INTO servers (id, adapter, address, last_poll_time, last_ok_time, state, error, latency_ms)
VALUES (?1, ?2, ?3, ?4, CASE WHEN ?5 THEN ?4 END, CASE WHEN ?5 THEN 'up' ELSE 'down' END, ?6, ?7)
ON CONFLICT (id) DO UPDATE SET
    adapter = excluded.adapter, address = excluded.address,
    last_poll_time = excluded.last_poll_time,
    last_ok_time = coalesce(excluded.last_ok_time, servers.last_ok_time),
    state = CASE WHEN excluded.last_ok_time IS NOT NULL THEN 'up'
                 WHEN servers.last_ok_time IS NULL THEN 'down' ELSE 'stale' END,
    error = excluded.error, latency_ms = excluded.latency_ms
)sql");
    const std::string error = !snapshot.ok    ? snapshot.error
                              : authoritative ? std::string()
                                              : down_error(snapshot);
    exec_with(upsert, snapshot.server_id, adapter, address, snapshot.poll_time, authoritative,
              error, snapshot.duration_ms);
}

void replace_vendors(SQLite::Database& db, const PollSnapshot& snapshot) {
    exec_once(db, "DELETE FROM vendors WHERE server = ?", snapshot.server_id);
    // A triad lists each vendor daemon once per license server: the one that is up counts.
    SQLite::Statement insert(db, R"sql(
INSERT INTO vendors (server, name, state, version, message) VALUES (?, ?, ?, ?, ?)
ON CONFLICT (server, name) DO UPDATE SET
    state = excluded.state, version = excluded.version, message = excluded.message
    WHERE excluded.state = 'up'
)sql");
    for (const VendorStatus& vendor : snapshot.vendors)
        exec_with(insert, snapshot.server_id, vendor.name, to_string(vendor.state), vendor.version,
                  vendor.message);
}

void replace_features(SQLite::Database& db, const PollSnapshot& snapshot) {
    exec_once(db, "DELETE FROM features WHERE server = ?", snapshot.server_id);
    // A feature listed twice in one output (two lmgrd blocks of a file list, or a block the
    // tool repeats) is one pool to the users: its counts add up. Uncounted stays uncounted.
    SQLite::Statement insert(db, R"sql(
INSERT INTO features (server, vendor, feature, version, total, used, reserved, queued,
                      expiry, flags, error, updated_at)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
ON CONFLICT (server, vendor, feature, version) DO UPDATE SET
    total = CASE WHEN total IS NULL OR excluded.total IS NULL THEN NULL
                 ELSE total + excluded.total END,
    used = used + excluded.used,
    reserved = reserved + excluded.reserved,
    queued = queued + excluded.queued,
    flags = flags | excluded.flags
)sql");
    for (const FeatureUsage& feature : snapshot.features)
        exec_with(insert, snapshot.server_id, feature.vendor, feature.name, feature.version,
                  feature.total, feature.used, feature.reserved, feature.queued, feature.expiry,
                  feature.flags, feature.error_text, snapshot.poll_time);
}

std::unordered_map<std::string, int64_t> open_session_ids(SQLite::Database& db,
                                                          const std::string& server) {
    SQLite::Statement select(
        db, "SELECT identity, id FROM sessions WHERE server = ? AND closed_at IS NULL");
    sql::bind_all(select, server);
    std::unordered_map<std::string, int64_t> ids;
    while (select.executeStep())
        ids.emplace(select.getColumn(0).getString(), select.getColumn(1).getInt64());
    return ids;
}

PollChanges diff_sessions(SQLite::Database& db, const PollSnapshot& snapshot) {
    PollChanges changes;
    auto still_open = open_session_ids(db, snapshot.server_id);
    SQLite::Statement update(db, "UPDATE sessions SET count = ?, last_seen = ? WHERE id = ?");
    SQLite::Statement insert(db, R"sql(
INSERT INTO sessions (server, identity, vendor, feature, version, user, host, display, host_ip,
                      count, checkout_time, borrow_expiry, linger_seconds, pid, server_handle,
                      handle, close_token, first_seen, last_seen)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
)sql");
    // Two checkouts that look the same (no handle, same second) are told apart by their order.
    std::unordered_map<std::string, int> seen;
    for (std::size_t index = 0; index < snapshot.sessions.size(); ++index) {
        const Session& s = snapshot.sessions[index];
        std::string identity = session_identity(s);
        if (int n = ++seen[identity]; n > 1)
            identity += "\x1f#" + std::to_string(n);
        if (auto open = still_open.find(identity); open != still_open.end()) {
            exec_with(update, s.count, snapshot.poll_time, open->second);
            still_open.erase(open);
            continue;
        }
        exec_with(insert, snapshot.server_id, identity, s.vendor, s.feature, s.version, s.user,
                  s.host, s.display, s.host_ip, s.count, s.checkout_time, s.borrow_expiry,
                  s.linger_seconds, s.pid, s.server, s.handle, s.close_token, snapshot.poll_time,
                  snapshot.poll_time);
        changes.opened.push_back(index);
    }
    SQLite::Statement close(
        db, "UPDATE sessions SET closed_at = ?, close_reason = 'gone' WHERE id = ?");
    for (const auto& [identity, id] : still_open)
        exec_with(close, snapshot.poll_time, id);
    changes.gone = still_open.size();
    return changes;
}

void insert_denials(SQLite::Database& db, const PollSnapshot& snapshot) {
    SQLite::Statement insert(db, R"sql(
INSERT OR IGNORE INTO denials (server, kind, vendor, feature, user, host, reason, time, count)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
)sql");
    for (const Denial& d : snapshot.denials)
        exec_with(insert, snapshot.server_id, d.kind, d.vendor, d.feature, d.user, d.host, d.reason,
                  d.time, d.count);
}

void replace_skips(SQLite::Database& db, const PollSnapshot& snapshot) {
    exec_once(db, "DELETE FROM poll_skips WHERE server = ?", snapshot.server_id);
    SQLite::Statement insert(
        db,
        "INSERT INTO poll_skips (server, poll_time, line, text, reason) VALUES (?, ?, ?, ?, ?)");
    for (const SkippedLine& skip : snapshot.skipped)
        exec_with(insert, snapshot.server_id, snapshot.poll_time, skip.line, skip.text,
                  skip.reason);
}

} // namespace

PollChanges Store::record_poll(const PollSnapshot& snapshot, std::string_view adapter,
                               std::string_view address) {
    PollChanges changes;
    const bool authoritative = snapshot.ok && !every_license_server_down(snapshot);
    std::lock_guard lock(mutex_);
    SQLite::Transaction transaction(*db_);
    upsert_server(*db_, snapshot, adapter, address, authoritative);
    if (authoritative) {
        replace_vendors(*db_, snapshot);
        replace_features(*db_, snapshot);
        record_usage_points(*db_, snapshot.server_id, snapshot.poll_time);
        changes = diff_sessions(*db_, snapshot);
    }
    insert_denials(*db_, snapshot);
    replace_skips(*db_, snapshot);
    transaction.commit();
    return changes;
}

bool Store::mark_session_closed(int64_t id, int64_t time, std::string_view reason) {
    std::lock_guard lock(mutex_);
    return sql::exec_once(*db_,
                          "UPDATE sessions SET closed_at = ?, close_reason = ? "
                          "WHERE id = ? AND closed_at IS NULL",
                          time, reason, id) == 1;
}

} // namespace lmharvest
