// Open sessions counted and summed in SQL (the page's "N of M" and its per-feature view), so
// that a client never downloads 100k rows to add them up.
#include "store/paging.hpp"
#include "store/reader_pool.hpp"
#include "store/session_filter_sql.hpp"
#include "store/store.hpp"

namespace lmharvest {
namespace {

// What a summary row sums over; a column `by` does not name is '' in every row.
struct Grouping {
    const char* server;
    const char* vendor;
    const char* feature;
    const char* user;
    const char* group_by; // "" for one row of totals
};

Grouping grouping(SummaryBy by) {
    switch (by) {
    case SummaryBy::user:
        return {"''", "''", "''", "user", " GROUP BY user"};
    case SummaryBy::feature:
        return {"server", "vendor", "feature", "''", " GROUP BY server, vendor, feature"};
    case SummaryBy::feature_user:
        return {"server", "vendor", "feature", "user", " GROUP BY server, vendor, feature, user"};
    case SummaryBy::all:
        break;
    }
    return {"''", "''", "''", "''", ""};
}

// The summed rows of `filter` as a table for the page query around it: the group's names
// joined by U+001F are its key (unique per row, so it breaks ties between sorts).
std::string summed(const sql::FilterSql& filter, SummaryBy by) {
    const Grouping g = grouping(by);
    return std::string("SELECT ") + g.server + " AS server, " + g.vendor + " AS vendor, " +
           g.feature + " AS feature, " + g.user + " AS user, count(*) AS sessions, " +
           "coalesce(sum(count), 0) AS licenses, " + g.server + " || char(31) || " + g.vendor +
           " || char(31) || " + g.feature + " || char(31) || " + g.user +
           " AS group_key FROM sessions " + filter.where + g.group_by;
}

constexpr sql::SortColumn summary_columns[] = {
    {"key", "group_key", true},   {"server", "server", true}, {"vendor", "vendor", true},
    {"feature", "feature", true}, {"user", "user", true},     {"sessions", "sessions"},
    {"licenses", "licenses"},
};
constexpr int summary_row_columns = 6; // server ... licenses; the page's sort keys follow

} // namespace

int64_t Store::open_session_count(const SessionFilter& filter) const {
    const sql::FilterSql where = sql::open_filter(filter);
    auto db = readers_->lease();
    // Every open session: the row the triggers of migration 11 keep, not a count of 100k rows.
    const bool unfiltered = where.where == sql::open_filter({}).where;
    SQLite::Statement& select =
        db.prepared(unfiltered ? "SELECT sessions FROM open_session_count"
                               : "SELECT count(*) FROM sessions " + where.where);
    where.bind(select);
    select.executeStep();
    return select.getColumn(0).getInt64();
}

Expected<Page<FeatureUse>> Store::session_summary(const SessionFilter& filter, SummaryBy by,
                                                  const PageRequest& page) const {
    auto paged =
        sql::PageSql::make(page, summary_columns, {{"server"}, {"vendor"}, {"feature"}, {"user"}});
    if (!paged)
        return unexpected(paged.error());
    const sql::FilterSql where = sql::open_filter(filter);
    const auto db = readers_->lease();
    SQLite::Statement select(*db, "SELECT server, vendor, feature, user, sessions, licenses" +
                                      paged->key_columns() + " FROM (" + summed(where, by) +
                                      ") WHERE 1" + paged->after_cursor() + paged->order_limit());
    where.bind(select);
    paged->bind(select, static_cast<int>(where.values.size()) + 1);
    return paged->read<FeatureUse>(select, summary_row_columns, [](const SQLite::Statement& row) {
        FeatureUse use;
        use.server = row.getColumn(0).getString();
        use.vendor = row.getColumn(1).getString();
        use.feature = row.getColumn(2).getString();
        use.user = row.getColumn(3).getString();
        use.sessions = row.getColumn(4).getInt64();
        use.licenses = row.getColumn(5).getInt64();
        return use;
    });
}

int64_t Store::session_summary_size(const SessionFilter& filter, SummaryBy by) const {
    const sql::FilterSql where = sql::open_filter(filter);
    const auto db = readers_->lease();
    SQLite::Statement select(*db, "SELECT count(*) FROM (" + summed(where, by) + ")");
    where.bind(select);
    select.executeStep();
    return select.getColumn(0).getInt64();
}

} // namespace lmharvest
