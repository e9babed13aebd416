// Reading sessions: open ones (filtered), one by id, closed ones, and usage sums.
#include "store/paging.hpp"
#include "store/reader_pool.hpp"
#include "store/session_filter_sql.hpp"
#include "store/sql_values.hpp"
#include "store/store.hpp"

namespace lmharvest {
using sql::FilterSql;
using sql::open_filter;
using sql::session_filter;
namespace {

constexpr const char* select_sessions = R"sql(
SELECT id, server, identity, vendor, feature, version, user, host, display, host_ip, count,
       checkout_time, borrow_expiry, linger_seconds, pid, server_handle, handle, close_token,
       first_seen, last_seen, closed_at, close_reason
FROM sessions )sql";

constexpr int session_columns = 22; // of select_sessions; the page's sort keys follow

// The current row of `row`, whose columns are taken on the first, into `record`, whose strings
// keep their room from the row before.
void read_session(const SQLite::Statement& row, sql::RowColumns& columns, SessionRecord& record) {
    columns.take_once(row, session_columns);
    int column = 0;
    // assign, not getString(): a new string per column would allocate for every long value
    auto text = [&](std::string& into) {
        const SQLite::Column& value = columns[column++];
        into.assign(static_cast<const char*>(value.getBlob()),
                    static_cast<std::size_t>(value.getBytes()));
    };
    auto number = [&] { return columns[column++].getInt64(); };
    Session& s = record.session;
    record.id = number();
    text(record.server);
    text(record.identity);
    text(s.vendor);
    text(s.feature);
    text(s.version);
    text(s.user);
    text(s.host);
    text(s.display);
    text(s.host_ip);
    s.count = number();
    s.checkout_time = number();
    s.borrow_expiry = number();
    s.linger_seconds = number();
    s.pid = number();
    text(s.server);
    text(s.handle);
    text(s.close_token);
    record.first_seen = number();
    record.last_seen = number();
    record.closed_at = sql::optional_int64(columns[column++]);
    text(record.close_reason);
}

std::vector<SessionRecord> read_sessions(SQLite::Statement& select) {
    std::vector<SessionRecord> sessions;
    sql::RowColumns columns;
    while (select.executeStep())
        read_session(select, columns, sessions.emplace_back());
    return sessions;
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
// A page of sessions stepped row by row, in one read transaction on one reader connection,
// so that its next cursor (read first, for the header) and its rows see the same commit.
class PageRows final : public SessionRows {
public:
    PageRows(const ReaderPool& readers, const FilterSql& filter, sql::PageSql page)
        : lease_(readers.lease()), snapshot_(*lease_), page_(std::move(page)),
          select_(lease_.prepared(query(filter, page_))) {
        const int first = static_cast<int>(filter.values.size()) + 1;
        filter.bind(select_);
        if (page_.limited()) {
            // The same statement (one prepare), first bound to the page's last row and the next.
            page_.bind_last_and_next(select_, first);
            next_cursor_ = page_.next_cursor(select_, session_columns);
            select_.reset();
        }
        page_.bind_rows(select_, first);
    }
    // Before the snapshot's rollback: a kept statement outlives these rows.
    ~PageRows() override { select_.tryReset(); }
    PageRows(const PageRows&) = delete;
    PageRows& operator=(const PageRows&) = delete;

    const std::optional<std::string>& next_cursor() const override { return next_cursor_; }
    const SessionRecord* next() override {
        if (!select_.executeStep())
            return nullptr;
        read_session(select_, columns_, row_);
        return &row_;
    }

private:
    static std::string query(const FilterSql& filter, const sql::PageSql& page) {
        std::string query = select_sessions;
        query.insert(query.find("\nFROM"), page.key_columns());
        return query + filter.where + page.after_cursor() + page.order_limit();
    }

    ReaderPool::Lease lease_;
    SQLite::Transaction snapshot_; // read only: rolled back when the rows go
    sql::PageSql page_;
    SQLite::Statement& select_; // kept by the lease's connection
    std::optional<std::string> next_cursor_;
    sql::RowColumns columns_;
    SessionRecord row_;
};

// A group's page in id order can come two ways: walking sessions_open_id_user in id order,
// skipping the other users' rows, stops after one page; reading the members' rows through
// sessions_open_user and sorting them reads all of them first. The walk wins when the members
// hold many of the open sessions; for a small group (10 users of 1,000: 1 % of the rows) it
// walks ~100 rows for each one it keeps, and reading the group's ~1,000 rows is ~3x faster
// (docs/performance.md). Counting them first costs one pass of sessions_open_user.
constexpr int64_t walk_group_from = 5000;

bool walks_in_id_order(const ReaderPool& readers, const SessionFilter& filter) {
    if (!filter.users)
        return true;
    SessionFilter members;
    members.users = filter.users;
    const FilterSql sql = open_filter(members);
    auto db = readers.lease();
    SQLite::Statement& count =
        db.prepared("SELECT count(*) FROM (SELECT 1 FROM sessions " + sql.where + " LIMIT " +
                    std::to_string(walk_group_from) + ")");
    sql.bind(count);
    count.executeStep();
    return count.getColumn(0).getInt64() >= walk_group_from;
}

// `filter(in_id_order)`: the WHERE clause for a page whose rows come by id alone.
template <class MakeFilter>
Expected<std::unique_ptr<SessionRows>>
session_rows(const ReaderPool& readers, MakeFilter filter, const PageRequest& page,
             std::span<const sql::SortColumn> columns, const std::vector<SortKey>& default_sort) {
    auto paged = sql::PageSql::make(page, columns, default_sort);
    if (!paged)
        return unexpected(paged.error());
    const FilterSql where = filter(paged->by_tie_break_only());
    return std::unique_ptr<SessionRows>(
        std::make_unique<PageRows>(readers, where, std::move(*paged)));
}

Expected<Page<SessionRecord>> whole_page(Expected<std::unique_ptr<SessionRows>> rows) {
    if (!rows)
        return unexpected(rows.error());
    Page<SessionRecord> page;
    while (const SessionRecord* row = (*rows)->next())
        page.rows.push_back(*row);
    page.next_cursor = (*rows)->next_cursor();
    return page;
}

FilterSql closed_filter(const HistoryFilter& filter) {
    FilterSql sql = session_filter(filter.sessions, "WHERE closed_at IS NOT NULL");
    sql.at_least("closed_at", filter.from);
    sql.below("closed_at", filter.to);
    return sql;
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
    const FilterSql sql = open_filter(filter, true);
    const auto db = readers_->lease();
    SQLite::Statement select(*db, select_sessions + sql.where + " ORDER BY id");
    sql.bind(select);
    return read_sessions(select);
}

Expected<Page<SessionRecord>> Store::open_sessions(const SessionFilter& filter,
                                                   const PageRequest& page) const {
    return whole_page(open_session_rows(filter, page));
}

Expected<Page<SessionRecord>> Store::closed_sessions(const HistoryFilter& filter,
                                                     const PageRequest& page) const {
    return whole_page(closed_session_rows(filter, page));
}

Expected<std::unique_ptr<SessionRows>> Store::open_session_rows(const SessionFilter& filter,
                                                                const PageRequest& page) const {
    return session_rows(*stream_readers_,
                        [&](bool in_id_order) {
                            return open_filter(filter,
                                               in_id_order && walks_in_id_order(*readers_, filter));
                        },
                        page, open_columns, {{"id"}});
}

Expected<std::unique_ptr<SessionRows>> Store::closed_session_rows(const HistoryFilter& filter,
                                                                  const PageRequest& page) const {
    return session_rows(*stream_readers_, [&](bool) { return closed_filter(filter); }, page,
                        closed_columns, {{"closed_at", true}, {"id", true}});
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
    sql::RowColumns columns;
    SessionRecord record;
    read_session(select, columns, record);
    return record;
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
