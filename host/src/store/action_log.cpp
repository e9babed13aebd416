// The audit log: every close, manual or harvested, dry-run or real, and the steps of each close
// sequence. Append-only: the store has no call that changes or removes an entry or a step, and
// triggers in the schema refuse it too.
#include "store/paging.hpp"
#include "store/reader_pool.hpp"
#include "store/sql_values.hpp"
#include "store/store.hpp"

namespace lmharvest {

int64_t Store::append_action(const Action& a) {
    std::lock_guard lock(mutex_);
    sql::exec_once(*db_, R"sql(
INSERT INTO actions (time, actor, kind, dry_run, server, session_id, user, feature, policy_json,
                     steps_json, outcome, message)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
)sql",
                   a.time, a.actor, a.kind, a.dry_run, a.server, a.session_id, a.user, a.feature,
                   a.policy_json, a.steps_json, a.outcome, a.message);
    return db_->getLastInsertRowid();
}

namespace {

constexpr sql::SortColumn action_columns[] = {
    {"id", "id"},
    {"time", "time"},
    {"actor", "actor", true},
    {"kind", "kind", true},
    {"server", "server", true},
    {"user", "user", true},
    {"feature", "feature", true},
    {"outcome", "outcome", true},
};
constexpr int action_fields = 13; // selected before the page's sort keys

Action read_action(const SQLite::Statement& row) {
    int column = 0;
    auto text = [&] { return row.getColumn(column++).getString(); };
    Action a;
    a.id = row.getColumn(column++).getInt64();
    a.time = row.getColumn(column++).getInt64();
    a.actor = text();
    a.kind = text();
    a.dry_run = row.getColumn(column++).getInt64() != 0;
    a.server = text();
    a.session_id = sql::optional_int64(row.getColumn(column++));
    a.user = text();
    a.feature = text();
    a.policy_json = text();
    a.steps_json = text();
    a.outcome = text();
    a.message = text();
    return a;
}

// Each action's steps, in the order they happened.
void read_steps(SQLite::Database& db, std::vector<Action>& actions) {
    SQLite::Statement steps(db, R"sql(
SELECT time, step, outcome, message, policy_json FROM action_steps WHERE action_id = ? ORDER BY id
)sql");
    for (Action& a : actions) {
        steps.reset();
        sql::bind_all(steps, a.id);
        while (steps.executeStep())
            a.steps.push_back({a.id, steps.getColumn(0).getInt64(), steps.getColumn(1).getString(),
                               steps.getColumn(2).getString(), steps.getColumn(3).getString(),
                               steps.getColumn(4).getString()});
    }
}

} // namespace

void Store::append_action_step(const ActionStep& step) {
    std::lock_guard lock(mutex_);
    sql::exec_once(*db_, R"sql(
INSERT INTO action_steps (action_id, time, step, outcome, message, policy_json)
VALUES (?, ?, ?, ?, ?, ?)
)sql",
                   step.action_id, step.time, step.step, step.outcome, step.message,
                   step.policy_json);
}

Expected<Page<Action>> Store::actions(const PageRequest& page) const {
    auto paged = sql::PageSql::make(page, action_columns, {{"id", true}});
    if (!paged)
        return unexpected(paged.error());
    const auto db = readers_->lease();
    SQLite::Statement select(*db, "SELECT id, time, actor, kind, dry_run, server, session_id, "
                                  "user, feature, policy_json, steps_json, outcome, message" +
                                      paged->key_columns() + " FROM actions WHERE 1" +
                                      paged->after_cursor() + paged->order_limit());
    paged->bind(select, 1);
    Page<Action> result = paged->read<Action>(select, action_fields, read_action);
    read_steps(*db, result.rows);
    return result;
}

std::vector<Action> Store::actions(int limit) const {
    return actions(PageRequest{.limit = limit}).value().rows; // the default sort cannot fail
}

} // namespace lmharvest
