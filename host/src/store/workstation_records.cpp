// What agents report from workstations: activity per application (DESIGN §4a), and the projects a
// handler saved before closing an application.
#include "store/reader_pool.hpp"
#include "store/sql_values.hpp"
#include "store/store.hpp"

#include <algorithm>

namespace lmharvest {

namespace {

// Feature and method names never hold a newline, so one name a line keeps the row flat.
std::string join_lines(const std::vector<std::string>& names) {
    std::string text;
    for (const std::string& name : names)
        text += (text.empty() ? "" : "\n") + name;
    return text;
}

std::vector<std::string> split_lines(const std::string& text) {
    std::vector<std::string> names;
    for (std::size_t start = 0; start < text.size();) {
        std::size_t end = std::min(text.find('\n', start), text.size());
        names.push_back(text.substr(start, end - start));
        start = end + 1;
    }
    return names;
}

} // namespace

namespace {

// The caller holds the store's lock and a transaction.
void write_agent_activity(SQLite::Database& db, std::string_view agent,
                          const std::vector<AppActivity>& apps) {
    sql::exec_once(db, "DELETE FROM activity WHERE agent = ?", agent);
    SQLite::Statement insert(db, R"sql(
INSERT OR REPLACE INTO activity (agent, app, pid, executable, host, user, display, features,
    focus_idle_s, cpu_percent, busy, handler, methods, report_time, report_interval_s)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
)sql");
    for (const AppActivity& a : apps)
        sql::exec_with(insert, agent, a.app, a.pid, a.executable, a.host, a.user, a.display,
                       join_lines(a.features), a.focus_idle_s, a.cpu_percent, a.busy, a.handler,
                       join_lines(a.methods), a.report_time, a.report_interval_s);
}

constexpr const char* agent_columns = "agent, host, user, display, token, agent_time, "
                                      "input_idle_s, report_time, report_interval_s";

AgentRecord read_agent(SQLite::Statement& select) {
    AgentRecord a;
    a.agent = select.getColumn(0).getString();
    a.host = select.getColumn(1).getString();
    a.user = select.getColumn(2).getString();
    a.display = select.getColumn(3).getString();
    a.token = select.getColumn(4).getString();
    a.agent_time = select.getColumn(5).getInt64();
    a.input_idle_s = sql::optional_int64(select.getColumn(6));
    a.report_time = select.getColumn(7).getInt64();
    a.report_interval_s = select.getColumn(8).getInt64();
    return a;
}

} // namespace

void Store::replace_agent_activity(std::string_view agent, const std::vector<AppActivity>& apps) {
    std::lock_guard lock(mutex_);
    SQLite::Transaction transaction(*db_);
    write_agent_activity(*db_, agent, apps);
    transaction.commit();
}

void Store::save_agent_report(const AgentRecord& a, const std::vector<AppActivity>& apps) {
    std::lock_guard lock(mutex_);
    SQLite::Transaction transaction(*db_);
    const std::string insert = "INSERT OR REPLACE INTO agents (" + std::string(agent_columns) +
                               ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)";
    sql::exec_once(*db_, insert.c_str(), a.agent, a.host, a.user, a.display, a.token, a.agent_time,
                   a.input_idle_s, a.report_time, a.report_interval_s);
    write_agent_activity(*db_, a.agent, apps);
    transaction.commit();
}

bool Store::forget_agent_app(std::string_view agent, int64_t pid) {
    std::lock_guard lock(mutex_);
    return sql::exec_once(*db_, "DELETE FROM activity WHERE agent = ? AND pid = ?", agent, pid) > 0;
}

int64_t Store::forget_agents(int64_t reported_before) {
    std::lock_guard lock(mutex_);
    SQLite::Transaction transaction(*db_);
    sql::exec_once(*db_,
                   "DELETE FROM activity WHERE report_time < ?1 OR agent IN "
                   "(SELECT agent FROM agents WHERE report_time < ?1)",
                   reported_before);
    const int64_t forgotten =
        sql::exec_once(*db_, "DELETE FROM agents WHERE report_time < ?", reported_before);
    transaction.commit();
    return forgotten;
}

std::vector<AgentRecord> Store::agents() const {
    const auto db = readers_->lease();
    SQLite::Statement select(*db, "SELECT " + std::string(agent_columns) +
                                      " FROM agents ORDER BY agent");
    std::vector<AgentRecord> agents;
    while (select.executeStep())
        agents.push_back(read_agent(select));
    return agents;
}

std::optional<AgentRecord> Store::agent(std::string_view id) const {
    const auto db = readers_->lease();
    SQLite::Statement select(*db, "SELECT " + std::string(agent_columns) +
                                      " FROM agents WHERE agent = ?");
    sql::bind_all(select, id);
    if (!select.executeStep())
        return std::nullopt;
    return read_agent(select);
}

std::vector<AppActivity> Store::activity() const {
    const auto db = readers_->lease();
    SQLite::Statement select(*db, R"sql(
SELECT agent, app, pid, executable, host, user, display, features, focus_idle_s, cpu_percent,
       busy, handler, methods, report_time, report_interval_s
FROM activity ORDER BY agent, app, pid
)sql");
    std::vector<AppActivity> activity;
    while (select.executeStep()) {
        int column = 0;
        auto next = [&] { return select.getColumn(column++); };
        AppActivity& a = activity.emplace_back();
        a.agent = next().getString();
        a.app = next().getString();
        a.pid = next().getInt64();
        a.executable = next().getString();
        a.host = next().getString();
        a.user = next().getString();
        a.display = next().getString();
        a.features = split_lines(next().getString());
        a.focus_idle_s = sql::optional_int64(next());
        a.cpu_percent = next().getDouble();
        a.busy = next().getInt64() != 0;
        a.handler = next().getString();
        a.methods = split_lines(next().getString());
        a.report_time = next().getInt64();
        a.report_interval_s = next().getInt64();
    }
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
    const auto db = readers_->lease();
    SQLite::Statement select(*db, R"sql(
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
