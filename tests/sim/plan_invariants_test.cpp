// The week's checker must be able to fail: deliberately wrong plans, each named with its cycle,
// pool and session.
#include "plan_invariants.hpp"

#include <catch2/catch.hpp>

using namespace lmharvest;
using namespace lmharvest::weeksim;

namespace {

constexpr int64_t now = 1'800'000'000;

// 10 of 10 in use, target 8: sessions 1..6 idle 21+i min (6 the longest), 7 had input a minute
// ago, 8 computes, 9 has no agent, 10 is idle 50 min, the longest.
PoolTruth pool_truth() {
    PoolTruth pool;
    pool.cycle = 42;
    pool.now = now;
    pool.pool = "eng-flex/MATLAB";
    pool.used = 10;
    pool.target = 8;
    pool.max_idle_s = 20 * 60;
    pool.min_session_age_s = 5 * 60;
    pool.max_closes = 5;
    for (int64_t id = 1; id <= 6; ++id)
        pool.sessions.push_back({id, 1, now - 7200, now - (21 + id) * 60, false, true});
    pool.sessions.push_back({7, 1, now - 7200, now - 60, false, true});
    pool.sessions.push_back({8, 1, now - 7200, now - 3600, true, true});
    pool.sessions.push_back({9, 1, now - 7200, now - 3600, false, false});
    pool.sessions.push_back({10, 1, now - 7200, now - 3000, false, true});
    return pool;
}

std::vector<PlanEntry> closing(std::initializer_list<int64_t> ids) {
    std::vector<PlanEntry> plan;
    for (int64_t id : ids) {
        PlanEntry e;
        e.session_id = id;
        e.close = true;
        plan.push_back(e);
    }
    return plan;
}

std::vector<std::string> problems_of(const PoolTruth& pool, std::initializer_list<int64_t> ids) {
    std::set<int64_t> closed;
    return check_plan(pool, closing(ids), closed);
}

bool names(const std::vector<std::string>& problems, const std::string& text) {
    return std::any_of(problems.begin(), problems.end(),
                       [&](const std::string& p) { return p.find(text) != std::string::npos; });
}

} // namespace

TEST_CASE("the right plan passes: the two longest idle, enough for the target") {
    CHECK(problems_of(pool_truth(), {10, 6}).empty());
    // nothing closed: each of the 7 idle candidates is reported as kept while licenses are needed
    CHECK(problems_of(pool_truth(), {}).size() == 7);
}

TEST_CASE("a close while used <= target fails") {
    PoolTruth pool = pool_truth();
    pool.used = 8;
    CHECK(names(problems_of(pool, {10}),
                "cycle 42 pool eng-flex/MATLAB session 10: closed while used 8 (0 of them being "
                "freed) <= target 8"));
}

TEST_CASE("closing someone with input within max_idle, a busy app or no data fails") {
    CHECK(names(problems_of(pool_truth(), {10, 7}),
                "session 7: closed with input 60 s ago, within max_idle 1200 s"));
    CHECK(names(problems_of(pool_truth(), {10, 8}),
                "session 8: closed while its app is busy computing"));
    CHECK(names(problems_of(pool_truth(), {10, 9}), "session 9: closed without activity data"));
}

TEST_CASE("more closes than the target needs fail") {
    CHECK(names(problems_of(pool_truth(), {10, 6, 5}),
                "session 5: closed although the others already free 2 of 2 needed"));
}

TEST_CASE("closes that are not the longest idle first fail") {
    CHECK(names(problems_of(pool_truth(), {6, 5}),
                "session 10: kept although idle 3000 s, longer than closed session 5"));
}

TEST_CASE("too few closes, with candidates left, fail") {
    CHECK(names(problems_of(pool_truth(), {10}),
                "session 6: kept, idle 1620 s, while only 1 of 2 needed licenses are freed"));
}

TEST_CASE("closes beyond what the closes under way already free fail") {
    PoolTruth pool = pool_truth();
    pool.sessions.back().closing = true; // session 10, decided last cycle, still saving
    pool.in_flight = 1;
    CHECK(problems_of(pool, {6}).empty());
    CHECK(names(problems_of(pool, {6, 5}),
                "session 5: closed although the others already free 1 of 1 needed"));
    pool.in_flight = 2;
    CHECK(names(problems_of(pool, {6}),
                "session 6: closed while used 10 (2 of them being freed) <= target 8"));
}

TEST_CASE("a session closed in an earlier cycle and again fails") {
    std::set<int64_t> closed;
    CHECK(check_plan(pool_truth(), closing({10, 6}), closed).empty());
    CHECK(names(check_plan(pool_truth(), closing({10, 6}), closed), "session 10: closed twice"));
}
