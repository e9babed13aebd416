// Reading the denials polls recorded (they are written by poll_writer.cpp).
#include "store/paging.hpp"
#include "store/reader_pool.hpp"
#include "store/sql_values.hpp"
#include "store/store.hpp"

namespace lmharvest {

namespace {

constexpr sql::SortColumn denial_columns[] = {
    {"id", "id"},           {"time", "time"},           {"server", "server", true},
    {"kind", "kind"},       {"vendor", "vendor", true}, {"feature", "feature", true},
    {"user", "user", true}, {"host", "host", true},     {"count", "count"},
};
constexpr int denial_fields = 9; // selected before the page's sort keys

DenialRecord read_denial(const SQLite::Statement& row) {
    DenialRecord record;
    Denial& d = record.denial;
    record.server = row.getColumn(0).getString();
    d.kind = row.getColumn(1).getInt();
    d.vendor = row.getColumn(2).getString();
    d.feature = row.getColumn(3).getString();
    d.user = row.getColumn(4).getString();
    d.host = row.getColumn(5).getString();
    d.reason = row.getColumn(6).getString();
    d.time = row.getColumn(7).getInt64();
    d.count = row.getColumn(8).getInt64();
    return record;
}

} // namespace

Expected<Page<DenialRecord>> Store::denials(int64_t since, const PageRequest& page) const {
    auto paged = sql::PageSql::make(page, denial_columns, {{"time", true}, {"id", true}});
    if (!paged)
        return unexpected(paged.error());
    const auto db = readers_->lease();
    SQLite::Statement select(*db, "SELECT server, kind, vendor, feature, user, host, reason, "
                                  "time, count" +
                                      paged->key_columns() + " FROM denials WHERE time >= ?" +
                                      paged->after_cursor() + paged->order_limit());
    sql::bind_all(select, since);
    paged->bind(select, 2);
    return paged->read<DenialRecord>(select, denial_fields, read_denial);
}

std::vector<DenialRecord> Store::denials(int64_t since, int limit) const {
    return denials(since, PageRequest{.limit = limit}).value().rows; // the default sort is valid
}

} // namespace lmharvest
