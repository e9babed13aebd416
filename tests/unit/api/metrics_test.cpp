// /metrics from a fixed store state (a real SQLite file), compared whole with the expected
// output, as node_exporter's e2e-output.txt: substring checks hid duplicate series.
#include "api/metrics.hpp"
#include "exposition_check.hpp"
#include "store_fixture.hpp"

#include <catch2/catch.hpp>
#include <fstream>
#include <sstream>
#include <tuple>

using namespace lmharvest;

namespace {

FeatureUsage pool(std::string name, std::string version, std::optional<int64_t> total,
                  int64_t used) {
    FeatureUsage f;
    f.vendor = "MLM";
    f.name = std::move(name);
    f.version = std::move(version);
    f.total = total;
    f.used = used;
    return f;
}

Session session_of(std::string user, std::string feature, std::string version, int64_t checkout) {
    Session s = make_session(std::move(user), std::move(feature), checkout);
    s.version = std::move(version);
    return s;
}

// Two versions of one feature, LM-X's 2147483647, names that need escaping, two names that
// differ only in bytes that are not UTF-8, and a server whose poll failed.
std::string render_fixed_state() {
    StoreOnTempFile file;
    PollSnapshot flex = make_snapshot(
        "eng-flex", 1717243200,
        {session_of("alice", "MATLAB", "1.0", 1717240000),
         session_of("bob", "MATLAB", "1.0", 1717240100),
         session_of("carol", "MATLAB", "2.0", 1717240200),
         session_of("j\xF6rg", "ANSYS", "2024.000000", 1717240300)}); // client version: one pool
    flex.features = {
        pool("MATLAB", "1.0", 10, 2),  pool("MATLAB", "2.0", 2147483647, 1),
        pool("ANSYS", "2024.0", 4, 1), pool("we\"ird\\name\nline2", "", std::nullopt, 0),
        pool("bad\xFF", "1", 5, 1),    pool("bad\xFE", "1", 5, 2)};
    file.record(flex);
    file.store->record_poll(failed_snapshot("cae-lmx", 1717243200, "LH_ERR_TIMEOUT"), "lmx",
                            "6200@lmx1");
    // The plan would close alice's MATLAB and keep bob's (in a back-off after a close that
    // failed) and jörg's ANSYS.
    std::vector<PlanEntry> plan;
    for (const auto& [feature, user, close] :
         {std::tuple{"MATLAB", "alice", true}, std::tuple{"MATLAB", "bob", false},
          std::tuple{"ANSYS", "j\xF6rg", false}}) {
        PlanEntry e;
        e.server = "eng-flex";
        e.feature = feature;
        e.user = user;
        e.close = close;
        if (std::string(user) == "bob")
            e.next_try = 1717244100;
        plan.push_back(e);
    }
    file.store->replace_harvest_plan("eng-flex", plan);

    std::vector<PollStats> polls(2);
    polls[0].id = "eng-flex";
    polls[0].polls = 3;
    polls[0].skipped_lines = 2;
    polls[0].last_duration_ms = 1234;
    polls[0].last_ok = true;
    polls[1].id = "cae-lmx";
    polls[1].polls = 3;
    polls[1].failures = 3;
    polls[1].last_duration_ms = 30001;
    const CloseCounts closes = {{{"eng-flex", "MATLAB", "save_and_close", "confirmed"}, 2},
                                {{"eng-flex", "MATLAB", "save_and_close", "agent_timeout"}, 1}};
    return render_metrics(polls, file.store->servers(), file.store->features(),
                          file.store->usage_by_pool(), AgentCounts{3, 1},
                          file.store->harvest_plan(), closes);
}

std::string read_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

} // namespace

TEST_CASE("/metrics of a fixed store state is exactly the expected output") {
    const std::string actual = render_fixed_state();
    const std::string expected = read_file(std::string(LH_EXPECTED_DIR) + "/metrics.prom");
    const std::string actual_file = std::string(LH_ACTUAL_DIR) + "/metrics.actual.prom";
    std::ofstream(actual_file, std::ios::binary) << actual;
    INFO("actual output written to " << actual_file);
    REQUIRE_FALSE(expected.empty());
    CHECK(actual == expected);
}

TEST_CASE("/metrics has no duplicate series, and every value is a number in valid UTF-8") {
    const std::vector<std::string> problems =
        lmharvest::testing::exposition_problems(render_fixed_state());
    std::string all;
    for (const std::string& problem : problems)
        all += problem + "\n";
    INFO(all);
    CHECK(problems.empty());
}

TEST_CASE("integers are written in full and durations read back to the same value") {
    const std::string text = render_fixed_state();
    CHECK_THAT(text, Catch::Contains("version=\"2.0\"} 2147483647\n"));
    CHECK_THAT(text,
               Catch::Contains("lmharvest_poll_duration_seconds{server=\"eng-flex\"} 1.234\n"));
    CHECK_THAT(text,
               Catch::Contains("lmharvest_poll_duration_seconds{server=\"cae-lmx\"} 30.001\n"));
}
