// When an agent counts as silent: more than 3 of its report intervals without a report.
#include "harvest/agent_silence.hpp"

#include <catch2/catch.hpp>

using namespace lmharvest;

TEST_CASE("an agent is silent after 3 of its report intervals, and counted by state") {
    CHECK_FALSE(agent_silent(1000, 60, 1000 + 180));
    CHECK(agent_silent(1000, 60, 1000 + 181));
    CHECK_FALSE(agent_silent(1000, 60, 900)); // a report from the future is fresh, not negative
    CHECK(agent_silent(1000, 0, 1004));       // an interval of 0 counts as 1 s
    AgentRecord fresh, quiet;
    fresh.report_time = 1000;
    quiet.report_time = 500;
    const AgentCounts counts = count_agents({fresh, quiet, fresh}, 1100);
    CHECK(counts.reporting == 2);
    CHECK(counts.silent == 1);
}
