// The usage history's write inside a poll's transaction (poll_writer.cpp calls it); the reads
// and the compaction are Store members in usage_history.cpp.
#pragma once

#include <cstdint>
#include <string>

namespace SQLite {
class Database;
}

namespace lmharvest {

/// One raw point per pool of `server` as its features table stands now (after the poll
/// replaced it), at `poll_time`.
void record_usage_points(SQLite::Database& db, const std::string& server, int64_t poll_time);

} // namespace lmharvest
