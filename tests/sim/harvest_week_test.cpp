// The simulated week (issue 12): every cycle's plan obeys the invariants, and harvesting saves
// denial-minutes against the same week without it.
#include "week_run.hpp"

#include <catch2/catch.hpp>
#include <iostream>

using namespace lmharvest::weeksim;

namespace {

constexpr uint64_t seed = 20261130;

std::string first_problems(const WeekFigures& figures) {
    std::string text;
    for (size_t i = 0; i < figures.problems.size() && i < 10; ++i)
        text += figures.problems[i] + "\n";
    return text;
}

} // namespace

TEST_CASE("a simulated week of harvesting keeps every invariant and saves denial-minutes") {
    const WeekFigures harvested = run_week(seed, true);
    WeekFigures baseline = run_week(seed, false);
    std::cout << "simulated week (seed " << seed << "): " << harvested.cycles << " cycles, "
              << harvested.closes << " sessions closed, " << harvested.licenses_freed
              << " licenses freed; denial-minutes " << baseline.denial_minutes
              << " without harvesting, " << harvested.denial_minutes << " with ("
              << baseline.denial_minutes - harvested.denial_minutes << " avoided); "
              << harvested.over_target
              << " pool cycles over target, kept there: " << harvested.kept_no_data
              << " without activity data, " << harvested.kept_busy << " busy, "
              << harvested.kept_recent_input << " with recent input\n";
    for (const auto& [pool, figures] : harvested.pools)
        std::cout << "  " << pool << ": " << figures.closes << " closed, " << figures.licenses_freed
                  << " licenses freed, denial-minutes " << baseline.pools[pool].denial_minutes
                  << " -> " << figures.denial_minutes << "\n";

    INFO(harvested.problems.size() << " broken invariants, the first:\n"
                                   << first_problems(harvested));
    CHECK(harvested.problems.empty());
    CHECK(harvested.cycles == 7 * 24 * 60);
    // The week reaches every invariant: pools over target, with sessions of each kind kept.
    CHECK(harvested.over_target > 0);
    CHECK(harvested.kept_no_data > 0);
    CHECK(harvested.kept_busy > 0);
    CHECK(harvested.kept_recent_input > 0);
    CHECK(harvested.closes > 0);
    CHECK(harvested.licenses_freed > harvested.closes); // token sessions count 5 to 15
    CHECK(baseline.closes == 0);
    CHECK(harvested.denial_minutes < baseline.denial_minutes);
}

TEST_CASE("the same seed gives the same week") {
    // Its first day shows it as well as the whole week, in a seventh of the time.
    const WeekFigures a = run_week(7, true, 1);
    const WeekFigures b = run_week(7, true, 1);
    CHECK(a.cycles == 24 * 60);
    REQUIRE(a.closes > 0); // a day that harvests, or equality would prove little
    CHECK(a.closes == b.closes);
    CHECK(a.licenses_freed == b.licenses_freed);
    CHECK(a.denial_minutes == b.denial_minutes);
}
