// The harvest plan: what the policy decided for each open session of a server at its last
// poll, and why. Replaced whole per server, so it always shows what the harvester would do now.
#include "store/reader_pool.hpp"
#include "store/sql_values.hpp"
#include "store/store.hpp"

namespace lmharvest {

void Store::replace_harvest_plan(std::string_view server, const std::vector<PlanEntry>& entries) {
    std::lock_guard lock(mutex_);
    SQLite::Transaction transaction(*db_);
    sql::exec_once(*db_, "DELETE FROM harvest_plans WHERE server = ?", server);
    SQLite::Statement insert(*db_, R"sql(
INSERT INTO harvest_plans (server, time, vendor, feature, version, total, used, target,
    waiting, session_id, user, host, count, decision, reason, idle_s, rule_index, method, on_no_handler,
    next_try, position)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
)sql");
    int64_t position = 0;
    for (const PlanEntry& e : entries)
        sql::exec_with(insert, server, e.time, e.vendor, e.feature, e.version, e.total, e.used,
                       e.target, e.waiting, e.session_id, e.user, e.host, e.count,
                       e.close ? "close" : "keep", e.reason, e.idle_s, e.rule_index, e.method,
                       e.on_no_handler, e.next_try, position++);
    transaction.commit();
}

std::vector<PlanEntry> Store::harvest_plan(const std::optional<std::string>& server,
                                           const std::optional<std::string>& feature) const {
    // `server = ?1` alone when a server is asked, so that harvest_plans_server finds its rows:
    // `?1 IS NULL OR server = ?1` uses no index, and the planner, which reads the plan of the
    // server it plans after each poll, scanned every server's plan (a row per open session).
    const std::string by_server = server ? "server = ?1" : "?1 IS NULL";
    const auto db = readers_->lease();
    SQLite::Statement select(*db, R"sql(
SELECT server, time, vendor, feature, version, total, used, target, waiting, session_id, user, host,
       count, decision, reason, idle_s, rule_index, method, on_no_handler, next_try
FROM harvest_plans
WHERE )sql" + by_server + R"sql( AND (?2 IS NULL OR feature = ?2)
ORDER BY server, position
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

} // namespace lmharvest
