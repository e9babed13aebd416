// The audit log: every close, manual or harvested, dry-run or real, and the steps of each close
// sequence. Append-only: the store has no call that changes or removes an entry or a step, and
// triggers in the schema refuse it too.
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

void Store::append_action_step(const ActionStep& step) {
    std::lock_guard lock(mutex_);
    sql::exec_once(*db_, R"sql(
INSERT INTO action_steps (action_id, time, step, outcome, message, policy_json)
VALUES (?, ?, ?, ?, ?, ?)
)sql",
                   step.action_id, step.time, step.step, step.outcome, step.message,
                   step.policy_json);
}

std::vector<Action> Store::actions(int limit) const {
    std::lock_guard lock(mutex_);
    SQLite::Statement select(*db_, R"sql(
SELECT id, time, actor, kind, dry_run, server, session_id, user, feature, policy_json, steps_json,
       outcome, message
FROM actions ORDER BY id DESC LIMIT ?
)sql");
    sql::bind_all(select, limit);
    std::vector<Action> actions;
    while (select.executeStep()) {
        int column = 0;
        auto text = [&] { return select.getColumn(column++).getString(); };
        Action& a = actions.emplace_back();
        a.id = select.getColumn(column++).getInt64();
        a.time = select.getColumn(column++).getInt64();
        a.actor = text();
        a.kind = text();
        a.dry_run = select.getColumn(column++).getInt64() != 0;
        a.server = text();
        a.session_id = sql::optional_int64(select.getColumn(column++));
        a.user = text();
        a.feature = text();
        a.policy_json = text();
        a.steps_json = text();
        a.outcome = text();
        a.message = text();
    }
    SQLite::Statement steps(*db_, R"sql(
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
    return actions;
}

} // namespace lmharvest
