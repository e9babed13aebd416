// Reading sessions: open ones (filtered), one by id, closed ones, and usage sums.
#include "store/sql_values.hpp"
#include "store/store.hpp"

namespace lmharvest {
namespace {

constexpr const char* select_sessions = R"sql(
SELECT id, server, identity, vendor, feature, version, user, host, display, host_ip, count,
       checkout_time, borrow_expiry, linger_seconds, pid, server_handle, handle, close_token,
       first_seen, last_seen, closed_at, close_reason
FROM sessions )sql";

SessionRecord read_session(const SQLite::Statement& row) {
    int column = 0;
    auto text = [&] { return row.getColumn(column++).getString(); };
    auto number = [&] { return row.getColumn(column++).getInt64(); };
    SessionRecord record;
    Session& s = record.session;
    record.id = number();
    record.server = text();
    record.identity = text();
    s.vendor = text();
    s.feature = text();
    s.version = text();
    s.user = text();
    s.host = text();
    s.display = text();
    s.host_ip = text();
    s.count = number();
    s.checkout_time = number();
    s.borrow_expiry = number();
    s.linger_seconds = number();
    s.pid = number();
    s.server = text();
    s.handle = text();
    s.close_token = text();
    record.first_seen = number();
    record.last_seen = number();
    record.closed_at = sql::optional_int64(row.getColumn(column++));
    record.close_reason = text();
    return record;
}

std::vector<SessionRecord> read_sessions(SQLite::Statement& select) {
    std::vector<SessionRecord> sessions;
    while (select.executeStep())
        sessions.push_back(read_session(select));
    return sessions;
}

// The WHERE clause of a filter and the values of its parameters, in order.
struct FilterSql {
    std::string where = "WHERE closed_at IS NULL";
    std::vector<std::string> values;

    void equal(const char* column, const std::optional<std::string>& value) {
        if (!value)
            return;
        where += std::string(" AND ") + column + " = ?";
        values.push_back(*value);
    }
    void one_of(const char* column, const std::optional<std::vector<std::string>>& set) {
        if (!set)
            return;
        where += std::string(" AND ") + column + " IN (";
        for (size_t i = 0; i < set->size(); ++i)
            where += i == 0 ? "?" : ", ?";
        where += ")";
        values.insert(values.end(), set->begin(), set->end());
    }
};

std::vector<FeatureUse> usage(SQLite::Database& db, bool per_user) {
    const std::string key = per_user ? "server, vendor, feature, user" : "server, vendor, feature";
    SQLite::Statement select(db, "SELECT " + key + ", count(*), sum(count) FROM sessions " +
                                     "WHERE closed_at IS NULL GROUP BY " + key + " ORDER BY " +
                                     key);
    std::vector<FeatureUse> uses;
    while (select.executeStep()) {
        int column = 0;
        FeatureUse& use = uses.emplace_back();
        use.server = select.getColumn(column++).getString();
        use.vendor = select.getColumn(column++).getString();
        use.feature = select.getColumn(column++).getString();
        if (per_user)
            use.user = select.getColumn(column++).getString();
        use.sessions = select.getColumn(column++).getInt64();
        use.licenses = select.getColumn(column++).getInt64();
    }
    return uses;
}

// A session joins the pool of its own version when there is one, else its feature's pool when
// the feature has only one; either way at most one pool, so no session counts twice.
constexpr const char* select_usage_by_pool = R"sql(
SELECT s.server, s.vendor, s.feature, coalesce(f.version, s.version) AS pool_version,
       count(*), sum(s.count)
FROM sessions s
LEFT JOIN features f
  ON f.server = s.server AND f.vendor = s.vendor AND f.feature = s.feature
 AND (f.version = s.version
      OR (SELECT count(*) FROM features g
          WHERE g.server = s.server AND g.vendor = s.vendor AND g.feature = s.feature) = 1)
WHERE s.closed_at IS NULL
GROUP BY s.server, s.vendor, s.feature, pool_version
ORDER BY s.server, s.vendor, s.feature, pool_version)sql";

} // namespace

std::vector<SessionRecord> Store::open_sessions(const SessionFilter& filter) const {
    FilterSql sql;
    sql.equal("server", filter.server);
    sql.equal("vendor", filter.vendor);
    sql.equal("feature", filter.feature);
    sql.equal("user", filter.user);
    sql.one_of("user", filter.users);
    sql.equal("host", filter.host);
    std::lock_guard lock(mutex_);
    SQLite::Statement select(*db_, select_sessions + sql.where + " ORDER BY id");
    for (size_t i = 0; i < sql.values.size(); ++i)
        select.bind(static_cast<int>(i + 1), sql.values[i]);
    return read_sessions(select);
}

std::vector<std::string> Store::open_session_users() const {
    std::lock_guard lock(mutex_);
    SQLite::Statement select(
        *db_, "SELECT DISTINCT user FROM sessions WHERE closed_at IS NULL ORDER BY user");
    std::vector<std::string> users;
    while (select.executeStep())
        users.push_back(select.getColumn(0).getString());
    return users;
}

std::optional<SessionRecord> Store::session(int64_t id) const {
    std::lock_guard lock(mutex_);
    SQLite::Statement select(*db_, std::string(select_sessions) + "WHERE id = ?");
    sql::bind_all(select, id);
    if (!select.executeStep())
        return std::nullopt;
    return read_session(select);
}

std::vector<SessionRecord> Store::session_history(int64_t since, int64_t until, int limit) const {
    std::lock_guard lock(mutex_);
    SQLite::Statement select(*db_, std::string(select_sessions) +
                                       "WHERE closed_at >= ? AND closed_at < ? "
                                       "ORDER BY closed_at DESC, id DESC LIMIT ?");
    sql::bind_all(select, since, until, limit);
    return read_sessions(select);
}

std::vector<FeatureUse> Store::usage_by_feature() const {
    std::lock_guard lock(mutex_);
    return usage(*db_, false);
}

std::vector<FeatureUse> Store::usage_by_feature_and_user() const {
    std::lock_guard lock(mutex_);
    return usage(*db_, true);
}

std::vector<FeatureUse> Store::usage_by_pool() const {
    std::lock_guard lock(mutex_);
    SQLite::Statement select(*db_, select_usage_by_pool);
    std::vector<FeatureUse> uses;
    while (select.executeStep()) {
        FeatureUse& use = uses.emplace_back();
        use.server = select.getColumn(0).getString();
        use.vendor = select.getColumn(1).getString();
        use.feature = select.getColumn(2).getString();
        use.version = select.getColumn(3).getString();
        use.sessions = select.getColumn(4).getInt64();
        use.licenses = select.getColumn(5).getInt64();
    }
    return uses;
}

} // namespace lmharvest
