// The back-off after closes that ended without a release, as a table: doubling, the cap, what
// starts the count again, what counts as an end.
#include "harvest/close_backoff.hpp"
#include "policy_fixture.hpp"

#include <catch2/catch.hpp>

using namespace lmharvest;
using namespace std::chrono_literals;

namespace {

// A sequence of session 1 that ended at `time` with `outcome`, after a release or not.
CloseAttempt attempt(int64_t time, std::string outcome, bool released = false,
                     int64_t session = 1) {
    return {session, 0, time, std::move(outcome), released};
}

} // namespace

TEST_CASE("each further close without a release doubles the wait, up to 4 h") {
    const auto [failures, minutes] = GENERATE(table<int, int64_t>({
        {1, 15},
        {2, 30},
        {3, 60},
        {4, 120},
        {5, 240},
        {6, 240},
        {40, 240},
    }));
    std::vector<CloseAttempt> attempts;
    for (int i = 0; i < failures; ++i)
        attempts.push_back(attempt(now - 10 + i, "agent_refused"));
    const auto backoffs = close_backoffs(attempts, 15min, now);
    REQUIRE(backoffs.count(1) == 1);
    CHECK(backoffs.at(1).failures == failures);
    CHECK(backoffs.at(1).until == now - 10 + failures - 1 + minutes * minute);
    CHECK(backoffs.at(1).outcome == "agent_refused");
}

TEST_CASE("a retry_after_failed above 4 h is the wait, not doubled") {
    const auto backoffs =
        close_backoffs({attempt(now, "agent_timeout"), attempt(now, "agent_timeout")}, 6h, now);
    CHECK(backoffs.at(1).until == now + 6 * 60 * minute);
}

TEST_CASE("a release starts the count again; a release the polls did not confirm is its first") {
    SECTION("released, then a failure: 15 min, not 30") {
        const auto backoffs =
            close_backoffs({attempt(now - 100, "agent_timeout"),
                            attempt(now - 50, "released", true), attempt(now, "agent_failed")},
                           15min, now);
        CHECK(backoffs.at(1).failures == 1);
        CHECK(backoffs.at(1).until == now + 15 * minute);
    }
    SECTION("released and not confirmed") {
        const auto backoffs = close_backoffs(
            {attempt(now - 100, "agent_timeout"), attempt(now, "not_confirmed", true)}, 15min, now);
        CHECK(backoffs.at(1).failures == 1);
        CHECK(backoffs.at(1).outcome == "not_confirmed");
    }
    SECTION("released last (awaiting its confirmation, or a stop came before it): no wait") {
        CHECK(close_backoffs({attempt(now - 100, "agent_timeout"), attempt(now, "released", true)},
                             15min, now)
                  .empty());
    }
}

TEST_CASE("every end without a release counts; a sequence cut short is \"interrupted\"") {
    const auto [outcome, shown] = GENERATE(table<std::string, std::string>({
        {"agent_timeout", "agent_timeout"},
        {"too_soon", "too_soon"},
        {"release_failed", "release_failed"},
        {"skipped", "skipped"},
        {"stopped", "stopped"},
        {"notified", "notified"},
        {"posted", "interrupted"},
        {"saved_and_closed", "interrupted"},
    }));
    const auto backoffs = close_backoffs({attempt(now, outcome)}, 15min, now);
    REQUIRE(backoffs.count(1) == 1);
    CHECK(backoffs.at(1).outcome == shown);
}

TEST_CASE("a back-off that has passed is none; sessions wait alone") {
    const auto backoffs = close_backoffs({attempt(now - 15 * minute, "agent_timeout", false, 1),
                                          attempt(now - 14 * minute, "agent_timeout", false, 2)},
                                         15min, now);
    CHECK(backoffs.count(1) == 0); // its 15 min are over at `now`
    REQUIRE(backoffs.count(2) == 1);
    CHECK(backoffs.at(2).failures == 1);
}

TEST_CASE("the plan's reason says how the last close ended and when the next try comes") {
    CHECK(backoff_reason({now, 1, "agent_timeout"})
              .starts_with("last close failed: agent_timeout; next try after 20"));
    CHECK(backoff_reason({now, 3, "agent_refused"})
              .starts_with("last close failed: agent_refused (3 in a row); next try after "));
    CHECK(backoff_reason({now, 1, "notified"})
              .starts_with("last close only notified the user; next try after "));
}

TEST_CASE("the policy keeps an idle session in a back-off, with its next try, and closes the "
          "next one instead") {
    Scenario s;
    s.usage = usage_of(2, 2); // target 1: one to close
    s.idle_sessions(2);       // u2 the longest idle
    const lmharvest::ActivityIndex index(s.apps);
    const PolicyContext context{
        s.harvest, s.groups, index, {}, now, {{2, CloseBackoff{now + 600, 1, "agent_timeout"}}}};
    const auto plan = plan_pool({"eng", s.usage, s.sessions}, context);
    CHECK(closed_ids(plan) == std::vector<int64_t>{1});
    const PlanEntry& kept = entry_of(plan, 2);
    CHECK(kept.next_try == now + 600);
    CHECK(kept.idle_s == 32 * minute);
    CHECK(kept.reason.starts_with("idle 32 min > 20 min, but last close failed: agent_timeout"));
    CHECK_FALSE(entry_of(plan, 1).next_try);
}
