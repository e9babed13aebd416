// Reading sessions: open ones (filtered), one by id, closed ones, and usage sums.
#include "store/paging.hpp"
#include "store/reader_pool.hpp"
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
    void at_least(const char* column, const std::optional<int64_t>& value) {
        if (value)
            compare(column, " >= ", *value);
    }
    void below(const char* column, const std::optional<int64_t>& value) {
        if (value)
            compare(column, " < ", *value);
    }
    // A number goes into the text itself: it cannot be anything but digits.
    void compare(const char* column, const char* op, int64_t value) {
        where += std::string(" AND ") + column + op + std::to_string(value);
    }

    void bind(SQLite::Statement& statement) const {
        for (size_t i = 0; i < values.size(); ++i)
            statement.bind(static_cast<int>(i + 1), values[i]);
    }
};

FilterSql session_filter(const SessionFilter& filter, const char* base) {
    FilterSql sql{base, {}};
    sql.equal("server", filter.server);
    sql.equal("vendor", filter.vendor);
    sql.equal("feature", filter.feature);
    sql.equal("user", filter.user);
    sql.one_of("user", filter.users);
    sql.equal("host", filter.host);
    return sql;
}

// What the session lists may be sorted by; the closed ones also by when and how long.
constexpr sql::SortColumn open_columns[] = {
    {"id", "id"},
    {"server", "server", true},
    {"vendor", "vendor", true},
    {"feature", "feature", true},
    {"version", "version", true},
    {"user", "user", true},
    {"host", "host", true},
    {"host_ip", "host_ip", true},
    {"count", "count"},
    {"checkout_time", "checkout_time"},
    {"borrow_expiry", "borrow_expiry"},
    {"first_seen", "first_seen"},
    {"last_seen", "last_seen"},
};
constexpr sql::SortColumn closed_columns[] = {
    {"id", "id"},
    {"server", "server", true},
    {"vendor", "vendor", true},
    {"feature", "feature", true},
    {"version", "version", true},
    {"user", "user", true},
    {"host", "host", true},
    {"count", "count"},
    {"checkout_time", "checkout_time"},
    {"first_seen", "first_seen"},
    {"closed_at", "closed_at"},
    {"duration", "(closed_at - first_seen)"},
};
constexpr int session_columns = 22; // of select_sessions; the page's sort keys follow

Expected<Page<SessionRecord>> session_page(SQLite::Database& db, const FilterSql& filter,
                                           const PageRequest& page,
                                           std::span<const sql::SortColumn> columns,
                                           const std::vector<SortKey>& default_sort) {
    auto paged = sql::PageSql::make(page, columns, default_sort);
    if (!paged)
        return unexpected(paged.error());
    std::string query = select_sessions;
    query.insert(query.find("\nFROM"), paged->key_columns());
    SQLite::Statement select(db,
                             query + filter.where + paged->after_cursor() + paged->order_limit());
    filter.bind(select);
    paged->bind(select, static_cast<int>(filter.values.size()) + 1);
    return paged->read<SessionRecord>(select, session_columns, read_session);
}

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
    const FilterSql sql = session_filter(filter, "WHERE closed_at IS NULL");
    const auto db = readers_->lease();
    SQLite::Statement select(*db, select_sessions + sql.where + " ORDER BY id");
    sql.bind(select);
    return read_sessions(select);
}

Expected<Page<SessionRecord>> Store::open_sessions(const SessionFilter& filter,
                                                   const PageRequest& page) const {
    const auto db = readers_->lease();
    return session_page(*db, session_filter(filter, "WHERE closed_at IS NULL"), page, open_columns,
                        {{"id"}});
}

Expected<Page<SessionRecord>> Store::closed_sessions(const HistoryFilter& filter,
                                                     const PageRequest& page) const {
    FilterSql sql = session_filter(filter.sessions, "WHERE closed_at IS NOT NULL");
    sql.at_least("closed_at", filter.from);
    sql.below("closed_at", filter.to);
    const auto db = readers_->lease();
    return session_page(*db, sql, page, closed_columns, {{"closed_at", true}, {"id", true}});
}

std::vector<std::string> Store::open_session_users() const {
    const auto db = readers_->lease();
    SQLite::Statement select(
        *db, "SELECT DISTINCT user FROM sessions WHERE closed_at IS NULL ORDER BY user");
    std::vector<std::string> users;
    while (select.executeStep())
        users.push_back(select.getColumn(0).getString());
    return users;
}

std::optional<SessionRecord> Store::session(int64_t id) const {
    const auto db = readers_->lease();
    SQLite::Statement select(*db, std::string(select_sessions) + "WHERE id = ?");
    sql::bind_all(select, id);
    if (!select.executeStep())
        return std::nullopt;
    return read_session(select);
}

std::vector<SessionRecord> Store::session_history(int64_t since, int64_t until, int limit) const {
    const auto db = readers_->lease();
    SQLite::Statement select(*db, std::string(select_sessions) +
                                      "WHERE closed_at >= ? AND closed_at < ? "
                                      "ORDER BY closed_at DESC, id DESC LIMIT ?");
    sql::bind_all(select, since, until, limit);
    return read_sessions(select);
}

std::vector<FeatureUse> Store::usage_by_feature() const {
    const auto db = readers_->lease();
    return usage(*db, false);
}

std::vector<FeatureUse> Store::usage_by_feature_and_user() const {
    const auto db = readers_->lease();
    return usage(*db, true);
}

std::vector<FeatureUse> Store::usage_by_pool() const {
    const auto db = readers_->lease();
    SQLite::Statement select(*db, select_usage_by_pool);
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
