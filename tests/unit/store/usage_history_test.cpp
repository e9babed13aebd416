// Usage history on a real file: a point per pool and poll, rollups checked against the raw
// values computed here independently, retention, and usage counted from users' sessions.
#include "store_fixture.hpp"

#include <SQLiteCpp/SQLiteCpp.h>
#include <algorithm>
#include <catch2/catch.hpp>
#include <map>

using namespace lmharvest;

namespace {

constexpr int64_t day = 86400;

PollSnapshot poll_with_pools(int64_t time, int64_t used_a, std::vector<Session> sessions = {}) {
    PollSnapshot snapshot = make_snapshot("eng", time, std::move(sessions));
    snapshot.features.push_back({"MLM", "MATLAB", "1.0", 10, used_a, 0, 0, "31-dec-2030", 0, ""});
    snapshot.features.push_back({"MLM", "Free", "2.0", std::nullopt, 3, 0, 0, "", 0, ""});
    return snapshot;
}

const PoolUsage& pool_named(const std::vector<PoolUsage>& pools, const std::string& feature) {
    for (const PoolUsage& pool : pools)
        if (pool.feature == feature)
            return pool;
    throw std::runtime_error("no pool " + feature);
}

std::map<int64_t, int64_t> rows_per_step(const std::filesystem::path& file) {
    SQLite::Database db(file.string());
    SQLite::Statement select(db, "SELECT step, count(*) FROM usage_points GROUP BY step");
    std::map<int64_t, int64_t> rows;
    while (select.executeStep())
        rows[select.getColumn(0).getInt64()] = select.getColumn(1).getInt64();
    return rows;
}

// What a bucket should say, from the raw values alone.
struct BucketFigures {
    int64_t min = INT64_MAX, max = INT64_MIN, sum = 0, samples = 0;
};

std::map<int64_t, BucketFigures> bucket_raw(const std::vector<std::pair<int64_t, int64_t>>& raw,
                                            int64_t step) {
    std::map<int64_t, BucketFigures> buckets;
    for (const auto& [time, used] : raw) {
        BucketFigures& b = buckets[time / step * step];
        b.min = std::min(b.min, used);
        b.max = std::max(b.max, used);
        b.sum += used;
        ++b.samples;
    }
    return buckets;
}

void check_against_raw(const PoolUsage& pool, const std::vector<std::pair<int64_t, int64_t>>& raw,
                       int64_t step) {
    const auto expected = bucket_raw(raw, step);
    REQUIRE(pool.points.size() == expected.size());
    auto it = expected.begin();
    for (const UsagePoint& point : pool.points) {
        INFO("bucket " << point.time << " step " << step);
        CHECK(point.time == it->first);
        CHECK(point.used_min == it->second.min);
        CHECK(point.used_max == it->second.max);
        CHECK(point.used_mean == Approx(static_cast<double>(it->second.sum) /
                                        static_cast<double>(it->second.samples)));
        CHECK(point.total == 10);
        ++it;
    }
}

} // namespace

TEST_CASE("each good poll writes one point per pool; a failed poll writes none") {
    StoreOnTempFile s;
    s.record(poll_with_pools(6000, 4));
    s.record(poll_with_pools(6060, 6));
    s.record(failed_snapshot("eng", 6120, "lmgrd not running"));

    const auto pools = s.store->usage_history({.from = 6000, .to = 6180, .step = 60});
    REQUIRE(pools.size() == 2);
    const PoolUsage& matlab = pool_named(pools, "MATLAB");
    CHECK(matlab.server == "eng");
    CHECK(matlab.vendor == "MLM");
    CHECK(matlab.version == "1.0");
    REQUIRE(matlab.points.size() == 2); // no point for the failed poll
    CHECK(matlab.points[0].time == 6000);
    CHECK(matlab.points[0].used_max == 4);
    CHECK(matlab.points[1].used_min == 6);
    CHECK(matlab.points[1].total == 10);
    CHECK_FALSE(pool_named(pools, "Free").points[0].total.has_value()); // uncounted

    CHECK(
        s.store->usage_history({.feature = "Free", .from = 6000, .to = 6180, .step = 60}).size() ==
        1);
    CHECK(s.store->usage_history({.server = "cae", .from = 6000, .to = 6180, .step = 60}).empty());
    // One bucket over both polls: min, max and the mean of the two.
    const auto wide =
        s.store->usage_history({.feature = "MATLAB", .from = 6000, .to = 6180, .step = 180});
    REQUIRE(wide.at(0).points.size() == 1);
    CHECK(wide[0].points[0].used_min == 4);
    CHECK(wide[0].points[0].used_max == 6);
    CHECK(wide[0].points[0].used_mean == Approx(5.0));
}

TEST_CASE("rollups after a day and a week keep min, max and mean of the raw points exactly") {
    StoreOnTempFile s;
    // Nine days of polls every 2 minutes, used moving pseudo-randomly in 0..10.
    const int64_t start = 1'700'000'000 / 3600 * 3600;
    const int64_t end = start + 9 * day;
    std::vector<std::pair<int64_t, int64_t>> raw;
    uint32_t seed = 12345;
    for (int64_t t = start; t < end; t += 120) {
        seed = seed * 1103515245u + 12345u;
        const int64_t used = (seed >> 16) % 11;
        raw.emplace_back(t, used);
        s.record(poll_with_pools(t, used));
    }
    const UsageQuery all{.feature = "MATLAB", .from = start, .to = end, .step = 3600};
    const auto before = s.store->usage_history(all);

    const HistoryCompaction done = s.store->compact_history(end, 90);
    CHECK(done.points_rolled > 0);
    CHECK(done.points_deleted == 0);
    // Raw points remain only for the last day, 5-minute rollups up to a week, 1-hour beyond.
    const auto rows = rows_per_step(s.file);
    CHECK(rows.at(0) == 2 * (day / 120)); // two pools
    CHECK(rows.at(300) == 2 * (6 * day / 300));
    CHECK(rows.at(3600) == 2 * (2 * day / 3600));

    check_against_raw(s.store->usage_history(all).at(0), raw, 3600);
    CHECK(s.store->usage_history(all).at(0).points.size() == before.at(0).points.size());
    // The 5-minute buckets of days 3 to 8 come from rollups, the last day's from raw points.
    std::vector<std::pair<int64_t, int64_t>> recent;
    std::copy_if(raw.begin(), raw.end(), std::back_inserter(recent),
                 [&](const auto& point) { return point.first >= end - 6 * day; });
    check_against_raw(
        s.store->usage_history({.feature = "MATLAB", .from = end - 6 * day, .to = end, .step = 300})
            .at(0),
        recent, 300);

    // A second run finds nothing more to fold and changes no answer.
    CHECK(s.store->compact_history(end, 90).points_rolled == 0);
    check_against_raw(s.store->usage_history(all).at(0), raw, 3600);
}

TEST_CASE("retention deletes points, rollups and closed sessions older than history_days") {
    StoreOnTempFile s;
    const int64_t now = 100 * day;
    s.record(poll_with_pools(now - 40 * day, 1, {make_session("old", "MATLAB", 0)}));
    s.record(poll_with_pools(now - 20 * day, 2, {make_session("kept", "MATLAB", 0)}));
    s.record(poll_with_pools(now - 60, 3, {make_session("kept", "MATLAB", 0)}));
    const auto old_id = s.store->session(1);
    REQUIRE(old_id);
    REQUIRE(old_id->session.user == "old");
    REQUIRE(old_id->closed_at == now - 20 * day);

    const HistoryCompaction done = s.store->compact_history(now, 30);
    CHECK(done.points_deleted == 2);   // the two pools' 40-day-old rollups
    CHECK(done.sessions_deleted == 0); // "old" closed 20 days ago
    const auto pools =
        s.store->usage_history({.feature = "MATLAB", .from = 0, .to = now, .step = day});
    REQUIRE(pools.at(0).points.size() == 2);
    CHECK(pools[0].points[0].used_max == 2);

    CHECK(s.store->compact_history(now, 10).sessions_deleted == 1);
    CHECK_FALSE(s.store->session(1).has_value());
    CHECK(s.store->open_sessions().size() == 1); // open sessions are never deleted
}

TEST_CASE("with users, used counts only their sessions' licenses; total stays the pool's") {
    StoreOnTempFile s;
    Session alice = make_session("alice", "MATLAB", 900);
    alice.count = 2;
    alice.version = "1.000000"; // FlexNet: the client's version; the pool's only one is 1.0
    Session bob = make_session("bob", "MATLAB", 900);
    s.record(poll_with_pools(1200, 5, {alice, bob}));
    s.record(poll_with_pools(1300, 5, {bob})); // alice closes at 1300
    s.record(poll_with_pools(1500, 5, {bob}));

    auto usage = [&](std::vector<std::string> users) {
        return s.store->usage_history({.feature = "MATLAB",
                                       .users = std::move(users),
                                       .from = 1200,
                                       .to = 1800,
                                       .step = 300});
    };
    const auto only_alice = usage({"alice"});
    REQUIRE(only_alice.size() == 1);
    REQUIRE(only_alice[0].points.size() == 2); // buckets 1200 and 1500, where the pool has data
    const UsagePoint& first = only_alice[0].points[0];
    CHECK(first.time == 1200);
    CHECK(first.used_max == 2);
    CHECK(first.used_min == 0);
    CHECK(first.used_mean == Approx(2.0 * 100 / 300)); // 2 licenses for 100 of 300 s
    CHECK(first.total == 10);
    CHECK(only_alice[0].points[1].used_max == 0);

    const auto both = usage({"alice", "bob"});
    CHECK(both.at(0).points[0].used_max == 3);
    CHECK(both[0].points[0].used_min == 1);
    CHECK(both[0].points[1].used_mean == Approx(1.0));
    CHECK(usage({}).at(0).points[0].used_max == 0); // an empty group holds nothing
}
