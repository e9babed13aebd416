// What agents report from workstations: input activity per application, and the projects a
// handler saved before closing an application.
#include "store/sql_values.hpp"
#include "store/store.hpp"

namespace lmharvest {

void Store::upsert_activity(const Activity& a) {
    std::lock_guard lock(mutex_);
    sql::exec_once(*db_, R"sql(
INSERT INTO activity (user, host, display, application, feature, last_input_time)
VALUES (?, ?, ?, ?, ?, ?)
ON CONFLICT (user, host, display, application) DO UPDATE SET
    feature = excluded.feature, last_input_time = excluded.last_input_time
)sql",
                   a.user, a.host, a.display, a.application, a.feature, a.last_input_time);
}

std::vector<Activity> Store::activity_for(std::string_view user, std::string_view host) const {
    std::lock_guard lock(mutex_);
    SQLite::Statement select(*db_, R"sql(
SELECT user, host, display, application, feature, last_input_time FROM activity
WHERE user = ? AND host = ? ORDER BY display, application
)sql");
    sql::bind_all(select, user, host);
    std::vector<Activity> activity;
    while (select.executeStep())
        activity.push_back({select.getColumn(0).getString(), select.getColumn(1).getString(),
                            select.getColumn(2).getString(), select.getColumn(3).getString(),
                            select.getColumn(4).getString(), select.getColumn(5).getInt64()});
    return activity;
}

int64_t Store::add_closed_project(const ClosedProject& p) {
    std::lock_guard lock(mutex_);
    sql::exec_once(*db_,
                   "INSERT INTO closed_projects (user, host, application, path, saved_time) "
                   "VALUES (?, ?, ?, ?, ?)",
                   p.user, p.host, p.application, p.path, p.saved_time);
    return db_->getLastInsertRowid();
}

std::vector<ClosedProject> Store::closed_projects(std::string_view user, int limit) const {
    std::lock_guard lock(mutex_);
    SQLite::Statement select(*db_, R"sql(
SELECT id, user, host, application, path, saved_time FROM closed_projects
WHERE user = ? ORDER BY saved_time DESC, id DESC LIMIT ?
)sql");
    sql::bind_all(select, user, limit);
    std::vector<ClosedProject> projects;
    while (select.executeStep())
        projects.push_back({select.getColumn(0).getInt64(), select.getColumn(1).getString(),
                            select.getColumn(2).getString(), select.getColumn(3).getString(),
                            select.getColumn(4).getString(), select.getColumn(5).getInt64()});
    return projects;
}

} // namespace lmharvest
