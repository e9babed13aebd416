// The agent mailbox with real threads: a long poll woken by post, timeouts, refused answers,
// shutdown ending every wait.
#include "harvest/agent_mailbox.hpp"

#include <catch2/catch.hpp>
#include <chrono>
#include <future>
#include <thread>

using namespace lmharvest;
using namespace std::chrono_literals;

namespace {

AgentCommand command_for(std::string agent, std::string kind = "save_and_close") {
    AgentCommand c;
    c.agent = std::move(agent);
    c.kind = std::move(kind);
    c.app = "matlab";
    c.pid = 4242;
    c.features = {"MATLAB"};
    c.session_ids = {812};
    return c;
}

AgentResult result_of(int64_t command, std::string outcome = "saved_and_closed") {
    AgentResult r;
    r.command = command;
    r.outcome = std::move(outcome);
    return r;
}

} // namespace

TEST_CASE("mailbox: a long poll is woken by post and gets the command once") {
    AgentMailbox mailbox;
    auto poll = std::async(std::launch::async, [&] { return mailbox.take("ws-1:1000", 20s); });
    std::this_thread::sleep_for(50ms); // let the poll start waiting; it works either way
    const auto started = std::chrono::steady_clock::now();
    const int64_t id = mailbox.post(command_for("ws-1:1000"));
    const auto got = poll.get();
    CHECK(std::chrono::steady_clock::now() - started < 10s);
    REQUIRE(got.size() == 1);
    CHECK(got[0].id == id);
    CHECK(got[0].agent == "ws-1:1000");
    CHECK(got[0].session_ids == std::vector<int64_t>{812});
    CHECK(mailbox.take("ws-1:1000", 0ms).empty()); // handed out once
}

TEST_CASE("mailbox: ids increase; each agent gets only its own commands") {
    AgentMailbox mailbox;
    const int64_t a = mailbox.post(command_for("ws-1:1000"));
    const int64_t b = mailbox.post(command_for("ws-2:1000"));
    const int64_t c = mailbox.post(command_for("ws-1:1000", "notify"));
    CHECK(a < b);
    CHECK(b < c);
    const auto mine = mailbox.take("ws-1:1000", 0ms);
    REQUIRE(mine.size() == 2);
    CHECK(mine[0].id == a);
    CHECK(mine[1].id == c);
    const auto theirs = mailbox.take("ws-2:1000", 0ms);
    REQUIRE(theirs.size() == 1);
    CHECK(theirs[0].id == b);
}

TEST_CASE("mailbox: take and wait_result time out empty") {
    AgentMailbox mailbox;
    const auto started = std::chrono::steady_clock::now();
    CHECK(mailbox.take("ws-1:1000", 100ms).empty());
    CHECK(std::chrono::steady_clock::now() - started >= 100ms);
    const int64_t id = mailbox.post(command_for("ws-1:1000"));
    CHECK_FALSE(mailbox.wait_result(id, 100ms).has_value());
    CHECK_FALSE(mailbox.wait_result(id + 100, 0ms).has_value()); // unknown command
}

TEST_CASE("mailbox: wait_result is woken by the agent's answer") {
    AgentMailbox mailbox;
    const int64_t id = mailbox.post(command_for("ws-1:1000"));
    auto waiting = std::async(std::launch::async, [&] { return mailbox.wait_result(id, 20s); });
    REQUIRE(mailbox.take("ws-1:1000", 0ms).size() == 1);
    AgentResult answer = result_of(id);
    answer.projects.push_back(ClosedProject{0, "", "", "MATLAB R2024b", "/home/j/a.m", 1700000000});
    answer.message = "saved";
    REQUIRE(mailbox.answer("ws-1:1000", answer).has_value());
    const auto got = waiting.get();
    REQUIRE(got.has_value());
    CHECK(got->outcome == "saved_and_closed");
    CHECK(got->message == "saved");
    REQUIRE(got->projects.size() == 1);
    CHECK(got->projects[0].path == "/home/j/a.m");
}

TEST_CASE("mailbox: answers refused for the wrong agent, twice, unknown or not handed out") {
    AgentMailbox mailbox;
    const int64_t id = mailbox.post(command_for("ws-1:1000"));

    const auto early = mailbox.answer("ws-1:1000", result_of(id));
    REQUIRE_FALSE(early.has_value());
    CHECK_THAT(early.error(), Catch::Contains("not handed out"));

    REQUIRE(mailbox.take("ws-1:1000", 0ms).size() == 1);
    const auto wrong = mailbox.answer("ws-2:1000", result_of(id));
    REQUIRE_FALSE(wrong.has_value());
    CHECK_THAT(wrong.error(), Catch::Contains("not for agent ws-2:1000"));

    REQUIRE(mailbox.answer("ws-1:1000", result_of(id)).has_value());
    const auto twice = mailbox.answer("ws-1:1000", result_of(id, "failed"));
    REQUIRE_FALSE(twice.has_value());
    CHECK_THAT(twice.error(), Catch::Contains("already answered"));
    CHECK(mailbox.wait_result(id, 0ms)->outcome == "saved_and_closed"); // the first answer stays

    const auto unknown = mailbox.answer("ws-1:1000", result_of(id + 7));
    REQUIRE_FALSE(unknown.has_value());
    CHECK_THAT(unknown.error(), Catch::Contains("unknown"));
}

TEST_CASE("mailbox: shutdown ends every wait at once") {
    AgentMailbox mailbox;
    const int64_t id = mailbox.post(command_for("ws-9:1000"));
    auto poll = std::async(std::launch::async, [&] { return mailbox.take("ws-1:1000", 60s); });
    auto result = std::async(std::launch::async, [&] { return mailbox.wait_result(id, 60s); });
    std::this_thread::sleep_for(50ms);
    const auto started = std::chrono::steady_clock::now();
    mailbox.shutdown();
    CHECK(poll.get().empty());
    CHECK_FALSE(result.get().has_value());
    CHECK(std::chrono::steady_clock::now() - started < 10s);
    CHECK(mailbox.take("ws-1:1000", 60s).empty()); // later waits return at once too
}

TEST_CASE("mailbox: old records are forgotten at the next post") {
    AgentMailbox mailbox(50ms);
    const int64_t old = mailbox.post(command_for("ws-1:1000"));
    std::this_thread::sleep_for(100ms);
    const int64_t fresh = mailbox.post(command_for("ws-1:1000"));
    CHECK(fresh > old);
    const auto due = mailbox.take("ws-1:1000", 0ms);
    REQUIRE(due.size() == 1);
    CHECK(due[0].id == fresh);
}
