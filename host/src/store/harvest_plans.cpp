// The harvest plan: what the policy decided for each open session of a server at its last
// poll, and why. Replaced whole per server, so it always shows what the harvester would do now;
// stored as the difference to the plan before, so that a poll that changed nothing costs one
// row (the plan's time), not a delete and an insert per open session.
#include "store/reader_pool.hpp"
#include "store/sql_values.hpp"
#include "store/store.hpp"

namespace lmharvest {
namespace {

// The columns of a plan row after server and time, in the order read_plans reads them.
constexpr const char* plan_columns = R"sql(vendor, feature, version, total, used, target,
    waiting, session_id, user, host, count, decision, reason, idle_s, rule_index, method,
    on_no_handler, next_try)sql";

// The stored plans, per server in policy order; each filter that is set must match. `db` is a
// reader's connection, or the writer's inside the transaction that replaces a plan.
std::vector<PlanEntry> read_plans(SQLite::Database& db, const std::optional<std::string>& server,
                                  const std::optional<std::string>& feature) {
    // `p.server = ?1` alone when a server is asked, so that harvest_plans_server finds its rows:
    // `?1 IS NULL OR server = ?1` uses no index.
    const std::string by_server = server ? "p.server = ?1" : "?1 IS NULL";
    // LEFT JOIN: rows whose time an outside writer deleted are still the plan, and the writer
    // must see them to overwrite them rather than add a second row at their positions.
    SQLite::Statement select(db, std::string("SELECT p.server, coalesce(t.time, 0), ") +
                                     plan_columns + R"sql(
FROM harvest_plans p LEFT JOIN harvest_plan_times t ON t.server = p.server
WHERE )sql" + by_server + R"sql( AND (?2 IS NULL OR p.feature = ?2)
ORDER BY p.server, p.position
)sql");
    if (server)
        select.bind(1, *server);
    if (feature)
        select.bind(2, *feature);
    std::vector<PlanEntry> plan;
    while (select.executeStep()) {
        int column = 0;
        auto next = [&] { return select.getColumn(column++); };
        PlanEntry& e = plan.emplace_back();
        e.server = next().getString();
        e.time = next().getInt64();
        e.vendor = next().getString();
        e.feature = next().getString();
        e.version = next().getString();
        e.total = sql::optional_int64(next());
        e.used = next().getInt64();
        e.target = sql::optional_int64(next());
        e.waiting = next().getInt64();
        e.session_id = next().getInt64();
        e.user = next().getString();
        e.host = next().getString();
        e.count = next().getInt64();
        e.close = next().getString() == "close";
        e.reason = next().getString();
        e.idle_s = sql::optional_int64(next());
        e.rule_index = sql::optional_int64(next());
        e.method = next().getString();
        e.on_no_handler = next().getString();
        e.next_try = sql::optional_int64(next());
    }
    return plan;
}

// Binds `e`'s plan_columns to parameters 1-18 and the row's server and position to 19 and 20.
void bind_plan_entry(SQLite::Statement& statement, std::string_view server, int64_t position,
                     const PlanEntry& e) {
    sql::bind_all(statement, e.vendor, e.feature, e.version, e.total, e.used, e.target, e.waiting,
                  e.session_id, e.user, e.host, e.count, e.close ? "close" : "keep", e.reason,
                  e.idle_s, e.rule_index, e.method, e.on_no_handler, e.next_try, server, position);
}

// Whether the stored row `old` already says what `e` says; its server and time are the plan's.
bool same_row(PlanEntry old, const PlanEntry& e) {
    old.server = e.server;
    old.time = e.time;
    return old == e;
}

} // namespace

std::vector<PlanEntry> Store::replace_harvest_plan(std::string_view server,
                                                   const std::vector<PlanEntry>& entries) {
    std::lock_guard lock(mutex_);
    SQLite::Transaction transaction(*db_);
    const std::vector<PlanEntry> before = read_plans(*db_, std::string(server), {});
    const auto position_of = [](std::size_t index) { return static_cast<int64_t>(index); };
    if (entries.empty()) {
        sql::exec_once(*db_, "DELETE FROM harvest_plan_times WHERE server = ?", server);
    } else {
        sql::exec_once(*db_, R"sql(
INSERT INTO harvest_plan_times (server, time) VALUES (?1, ?2)
ON CONFLICT (server) DO UPDATE SET time = ?2)sql",
                       server, entries.front().time);
    }
    SQLite::Statement update(*db_, R"sql(
UPDATE harvest_plans SET vendor = ?1, feature = ?2, version = ?3, total = ?4, used = ?5,
    target = ?6, waiting = ?7, session_id = ?8, user = ?9, host = ?10, count = ?11,
    decision = ?12, reason = ?13, idle_s = ?14, rule_index = ?15, method = ?16,
    on_no_handler = ?17, next_try = ?18
WHERE server = ?19 AND position = ?20)sql");
    SQLite::Statement insert(*db_, std::string("INSERT INTO harvest_plans (") + plan_columns +
                                       R"sql(, server, position)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?))sql");
    for (std::size_t i = 0; i < entries.size(); ++i) {
        if (i < before.size() && same_row(before[i], entries[i]))
            continue;
        SQLite::Statement& write = i < before.size() ? update : insert;
        write.reset();
        bind_plan_entry(write, server, position_of(i), entries[i]);
        write.exec();
    }
    if (before.size() > entries.size())
        sql::exec_once(*db_, "DELETE FROM harvest_plans WHERE server = ? AND position >= ?", server,
                       position_of(entries.size()));
    transaction.commit();
    return before;
}

std::vector<PlanEntry> Store::harvest_plan(const std::optional<std::string>& server,
                                           const std::optional<std::string>& feature) const {
    const auto db = readers_->lease();
    return read_plans(*db, server, feature);
}

} // namespace lmharvest
