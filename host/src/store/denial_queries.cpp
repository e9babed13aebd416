// Reading the denials polls recorded (they are written by poll_writer.cpp).
#include "store/sql_values.hpp"
#include "store/store.hpp"

namespace lmharvest {

std::vector<DenialRecord> Store::denials(int64_t since, int limit) const {
    std::lock_guard lock(mutex_);
    SQLite::Statement select(*db_, R"sql(
SELECT server, kind, vendor, feature, user, host, reason, time, count FROM denials
WHERE time >= ? ORDER BY time DESC, id DESC LIMIT ?
)sql");
    sql::bind_all(select, since, limit);
    std::vector<DenialRecord> denials;
    while (select.executeStep()) {
        DenialRecord& record = denials.emplace_back();
        Denial& d = record.denial;
        record.server = select.getColumn(0).getString();
        d.kind = select.getColumn(1).getInt();
        d.vendor = select.getColumn(2).getString();
        d.feature = select.getColumn(3).getString();
        d.user = select.getColumn(4).getString();
        d.host = select.getColumn(5).getString();
        d.reason = select.getColumn(6).getString();
        d.time = select.getColumn(7).getInt64();
        d.count = select.getColumn(8).getInt64();
    }
    return denials;
}

} // namespace lmharvest
