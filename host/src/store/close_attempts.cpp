// The harvester's close sequences of a server's open sessions, each as far as its steps went:
// what the planner derives the back-off after a close that ended without a release from
// (harvest/close_backoff.hpp), so that it survives a restart without a table of its own.
#include "store/reader_pool.hpp"
#include "store/sql_values.hpp"
#include "store/store.hpp"

namespace lmharvest {

std::vector<CloseAttempt> Store::close_attempts(std::string_view server) const {
    const auto db = readers_->lease();
    // sessions_open finds the open sessions, actions_session their actions, action_steps_action
    // each action's steps: a few rows per session, whatever the size of the audit log.
    SQLite::Statement select(*db, R"sql(
SELECT a.session_id, a.id, s.time, s.outcome,
       EXISTS (SELECT 1 FROM action_steps r WHERE r.action_id = a.id AND r.outcome = 'released')
FROM sessions o
JOIN actions a ON a.session_id = o.id AND a.kind = 'harvest' AND a.dry_run = 0
JOIN action_steps s ON s.id = (SELECT max(id) FROM action_steps WHERE action_id = a.id)
WHERE o.server = ? AND o.closed_at IS NULL
ORDER BY a.session_id, a.id
)sql");
    sql::bind_all(select, server);
    std::vector<CloseAttempt> attempts;
    while (select.executeStep())
        attempts.push_back({select.getColumn(0).getInt64(), select.getColumn(1).getInt64(),
                            select.getColumn(2).getInt64(), select.getColumn(3).getString(),
                            select.getColumn(4).getInt() != 0});
    return attempts;
}

} // namespace lmharvest
