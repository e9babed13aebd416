// Usage history: raw points per poll, compacted into 5-minute and 1-hour rollups, read back in
// buckets of any step; with a user list, used_* comes from those users' sessions instead.
#include "store/reader_pool.hpp"
#include "store/sql_values.hpp"
#include "store/store.hpp"
#include "store/usage_points.hpp"

#include <algorithm>
#include <map>
#include <tuple>

namespace lmharvest {
namespace {

constexpr int64_t day_s = 86400;

// Folds rows of resolution `from_step` that start before `cutoff` into `to_step` buckets.
// A bucket already there (a late row) is merged, never replaced.
int64_t roll_up(SQLite::Database& db, int64_t from_step, int64_t to_step, int64_t cutoff) {
    const int64_t aligned = cutoff / to_step * to_step; // whole buckets only
    sql::exec_once(db, R"sql(
INSERT INTO usage_points (server, vendor, feature, version, step, time, used_min, used_max,
                          used_sum, samples, total)
SELECT server, vendor, feature, version, ?2, time / ?2 * ?2 AS bucket, min(used_min),
       max(used_max), sum(used_sum), sum(samples), max(total)
FROM usage_points WHERE step = ?1 AND time < ?3
GROUP BY server, vendor, feature, version, bucket
ON CONFLICT (server, vendor, feature, version, step, time) DO UPDATE SET
    used_min = min(used_min, excluded.used_min), used_max = max(used_max, excluded.used_max),
    used_sum = used_sum + excluded.used_sum, samples = samples + excluded.samples,
    total = max(coalesce(total, excluded.total), coalesce(excluded.total, total))
)sql",
                   from_step, to_step, aligned);
    return sql::exec_once(db, "DELETE FROM usage_points WHERE step = ? AND time < ?", from_step,
                          aligned);
}

struct PoolKey {
    std::string server, vendor, feature, version;
    auto operator<=>(const PoolKey&) const = default;
};

// "server = ? AND ..." for each filter that is set, and the values in order.
struct Where {
    std::string sql;
    std::vector<std::string> values;
    void equal(const char* column, const std::optional<std::string>& value) {
        if (!value)
            return;
        sql += std::string(" AND ") + column + " = ?";
        values.push_back(*value);
    }
};

Where pool_filter(const UsageQuery& query) {
    Where where;
    where.equal("server", query.server);
    where.equal("vendor", query.vendor);
    where.equal("feature", query.feature);
    where.equal("version", query.version);
    return where;
}

void bind_from(SQLite::Statement& statement, int first, const std::vector<std::string>& values) {
    for (size_t i = 0; i < values.size(); ++i)
        statement.bind(first + static_cast<int>(i), values[i]);
}

// The pool's own buckets: min of the minimums, max of the maximums, the mean over all samples.
std::vector<PoolUsage> pool_buckets(SQLite::Database& db, const UsageQuery& query) {
    const Where where = pool_filter(query);
    SQLite::Statement select(db, R"sql(
SELECT server, vendor, feature, version, time / ?1 * ?1 AS bucket, min(used_min), max(used_max),
       sum(used_sum), sum(samples), max(total)
FROM usage_points WHERE time >= ?2 AND time < ?3)sql" +
                                     where.sql +
                                     R"sql(
GROUP BY server, vendor, feature, version, bucket
ORDER BY server, vendor, feature, version, bucket)sql");
    sql::bind_all(select, query.step, query.from / query.step * query.step, query.to);
    bind_from(select, 4, where.values);
    std::vector<PoolUsage> pools;
    while (select.executeStep()) {
        PoolKey key{select.getColumn(0).getString(), select.getColumn(1).getString(),
                    select.getColumn(2).getString(), select.getColumn(3).getString()};
        if (pools.empty() || std::tie(pools.back().server, pools.back().vendor,
                                      pools.back().feature, pools.back().version) !=
                                 std::tie(key.server, key.vendor, key.feature, key.version))
            pools.push_back({key.server, key.vendor, key.feature, key.version, {}});
        UsagePoint& point = pools.back().points.emplace_back();
        point.time = select.getColumn(4).getInt64();
        point.used_min = select.getColumn(5).getInt64();
        point.used_max = select.getColumn(6).getInt64();
        point.used_mean = static_cast<double>(select.getColumn(7).getInt64()) /
                          static_cast<double>(select.getColumn(8).getInt64());
        point.total = sql::optional_int64(select.getColumn(9));
    }
    return pools;
}

// A change of the users' licenses in a pool: +count when a session was first seen, -count when
// it closed.
struct Change {
    int64_t time;
    int64_t delta;
    bool operator<(const Change& other) const { return time < other.time; }
};

// The users' sessions overlapping [from, to) as changes, per (server, vendor, feature) and the
// session's own version.
std::map<PoolKey, std::vector<Change>> session_changes(SQLite::Database& db,
                                                       const UsageQuery& query, int64_t from) {
    Where where = pool_filter({query.server, query.vendor, query.feature});
    std::string users = " AND user IN (";
    for (size_t i = 0; i < query.users->size(); ++i)
        users += i == 0 ? "?" : ", ?";
    where.sql += users + ")";
    where.values.insert(where.values.end(), query.users->begin(), query.users->end());
    SQLite::Statement select(db, "SELECT server, vendor, feature, version, count, first_seen, "
                                 "closed_at FROM sessions WHERE first_seen < ?1 AND "
                                 "(closed_at IS NULL OR closed_at > ?2)" +
                                     where.sql);
    sql::bind_all(select, query.to, from);
    bind_from(select, 3, where.values);
    std::map<PoolKey, std::vector<Change>> changes;
    while (select.executeStep()) {
        auto& list = changes[{select.getColumn(0).getString(), select.getColumn(1).getString(),
                              select.getColumn(2).getString(), select.getColumn(3).getString()}];
        const int64_t count = select.getColumn(4).getInt64();
        list.push_back({select.getColumn(5).getInt64(), count});
        if (!select.getColumn(6).isNull())
            list.push_back({select.getColumn(6).getInt64(), -count});
    }
    return changes;
}

// A session counts in the pool of its own version, or in its feature's only pool (FlexNet
// sessions carry the client's version, "31.000000", not the pool's "31.0"), as in
// usage_by_pool().
std::vector<Change> changes_of_pool(const PoolUsage& pool, const std::vector<PoolUsage>& pools,
                                    const std::map<PoolKey, std::vector<Change>>& changes) {
    const auto versions = std::count_if(pools.begin(), pools.end(), [&](const PoolUsage& other) {
        return other.server == pool.server && other.vendor == pool.vendor &&
               other.feature == pool.feature;
    });
    std::vector<Change> result;
    for (const auto& [key, list] : changes)
        if (key.server == pool.server && key.vendor == pool.vendor && key.feature == pool.feature &&
            (key.version == pool.version || versions == 1))
            result.insert(result.end(), list.begin(), list.end());
    std::stable_sort(result.begin(), result.end());
    return result;
}

// Replaces each point's used_* with the users' licenses over the bucket: the smallest and
// largest held, and the mean weighted by time. The pool's total stays.
void apply_user_usage(PoolUsage& pool, const std::vector<Change>& changes, int64_t step) {
    size_t next = 0;
    int64_t level = 0;
    for (UsagePoint& point : pool.points) {
        const int64_t end = point.time + step;
        while (next < changes.size() && changes[next].time <= point.time)
            level += changes[next++].delta;
        int64_t low = level, high = level, at = point.time;
        double weighted = 0;
        while (next < changes.size() && changes[next].time < end) {
            weighted += static_cast<double>(level) * static_cast<double>(changes[next].time - at);
            at = changes[next].time;
            while (next < changes.size() && changes[next].time == at)
                level += changes[next++].delta;
            low = std::min(low, level);
            high = std::max(high, level);
        }
        weighted += static_cast<double>(level) * static_cast<double>(end - at);
        point.used_min = low;
        point.used_max = high;
        point.used_mean = weighted / static_cast<double>(step);
    }
}

} // namespace

void record_usage_points(SQLite::Database& db, const std::string& server, int64_t poll_time) {
    sql::exec_once(db, R"sql(
INSERT INTO usage_points (server, vendor, feature, version, step, time, used_min, used_max,
                          used_sum, samples, total)
SELECT server, vendor, feature, version, 0, ?2, used, used, used, 1, total
FROM features WHERE server = ?1
ON CONFLICT (server, vendor, feature, version, step, time) DO UPDATE SET
    used_min = excluded.used_min, used_max = excluded.used_max, used_sum = excluded.used_sum,
    samples = 1, total = excluded.total
)sql",
                   server, poll_time);
}

std::vector<PoolUsage> Store::usage_history(const UsageQuery& query) const {
    const auto db = readers_->lease();
    std::vector<PoolUsage> pools = pool_buckets(*db, query);
    if (!query.users)
        return pools;
    const int64_t from = query.from / query.step * query.step;
    const auto changes = query.users->empty() ? std::map<PoolKey, std::vector<Change>>()
                                              : session_changes(*db, query, from);
    for (PoolUsage& pool : pools)
        apply_user_usage(pool, changes_of_pool(pool, pools, changes), query.step);
    return pools;
}

HistoryCompaction Store::compact_history(int64_t now, int history_days) {
    std::lock_guard lock(mutex_);
    SQLite::Transaction transaction(*db_);
    HistoryCompaction done;
    done.points_rolled = roll_up(*db_, 0, 300, now - day_s);
    done.points_rolled += roll_up(*db_, 300, 3600, now - 7 * day_s);
    const int64_t cutoff = now - int64_t{history_days} * day_s;
    done.points_deleted = sql::exec_once(*db_, "DELETE FROM usage_points WHERE time < ?", cutoff);
    done.sessions_deleted = sql::exec_once(
        *db_, "DELETE FROM sessions WHERE closed_at IS NOT NULL AND closed_at < ?", cutoff);
    transaction.commit();
    return done;
}

} // namespace lmharvest
