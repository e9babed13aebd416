#include "config/config.hpp"
#include "config/policy.hpp"

#include <catch2/catch.hpp>

using namespace lmharvest;
using namespace std::chrono_literals;

namespace {

// [harvest] defaults plus the rules under test, read from TOML as an admin writes them.
HarvestConfig harvest_from(std::string_view rules) {
    std::string text = R"([groups]
gis = ["alice", "bob"]
cad = ["carol"]

[[servers]]
id = "eng-flex"
adapter = "flexnet"
address = "27000@lic1"

[[servers]]
id = "cae-lmx"
adapter = "lmx"
address = "6200@lmx1"

[harvest]
threshold = 0.8
max_idle = "20m"
)";
    auto config = load_config_string(text + std::string(rules), "policy.toml");
    REQUIRE(config.has_value());
    return std::move(config->harvest);
}

const Groups groups{{"gis", {"alice", "bob"}}, {"cad", {"carol"}}};

} // namespace

TEST_CASE("without a matching rule, [harvest] applies") {
    HarvestConfig harvest = harvest_from(R"([[harvest.rules]]
features = ["MATLAB"]
max_idle = "5m"
)");
    ResolvedPolicy policy = resolve_policy(harvest, "eng-flex", "ARC/INFO", "alice", groups);
    CHECK(policy.enabled);
    CHECK(policy.threshold == 0.8);
    CHECK(policy.max_idle == 20min);
    CHECK(policy.min_session_age == 5min);
    CHECK(policy.max_closes_per_cycle == 5);
    CHECK(policy.method == "save_and_close");
    CHECK(policy.on_no_handler == OnNoHandler::skip);
    CHECK_FALSE(policy.rule_index.has_value());
}

TEST_CASE("a rule's method overrides [harvest]'s; on_no_handler comes from [harvest]") {
    HarvestConfig harvest = harvest_from(R"(method = "suspend"
on_no_handler = "release"
[[harvest.rules]]
features = ["MATLAB"]
method = "release"
)");
    ResolvedPolicy matlab = resolve_policy(harvest, "eng-flex", "MATLAB", "alice", groups);
    CHECK(matlab.method == "release");
    CHECK(matlab.on_no_handler == OnNoHandler::release);
    CHECK(resolve_policy(harvest, "eng-flex", "ARC/INFO", "alice", groups).method == "suspend");
}

TEST_CASE("a matching rule overrides only the numbers it sets") {
    HarvestConfig harvest = harvest_from(R"([[harvest.rules]]
features = ["ArcGIS Pro*"]
max_idle = "15m"
)");
    ResolvedPolicy policy = resolve_policy(harvest, "eng-flex", "ArcGIS Pro Advanced", "x", groups);
    CHECK(policy.rule_index == 0u);
    CHECK(policy.max_idle == 15min);
    CHECK(policy.threshold == 0.8);
}

TEST_CASE("each list a rule sets must match: servers, users, groups") {
    HarvestConfig harvest = harvest_from(R"([[harvest.rules]]
features = ["*"]
servers = ["cae-lmx"]
groups = ["gis"]
max_idle = "1h"
)");
    CHECK(resolve_policy(harvest, "cae-lmx", "F", "bob", groups).max_idle == 1h);
    CHECK(resolve_policy(harvest, "eng-flex", "F", "bob", groups).max_idle == 20min);
    CHECK(resolve_policy(harvest, "cae-lmx", "F", "carol", groups).max_idle == 20min);
}

TEST_CASE("the most specific matching rule wins, wherever it is in the file") {
    HarvestConfig harvest = harvest_from(R"([[harvest.rules]]
features = ["MATLAB"]
users = ["alice"]
servers = ["eng-flex"]
max_idle = "2h"

[[harvest.rules]]
features = ["MAT*"]
max_idle = "10m"

[[harvest.rules]]
features = ["MATLAB"]
groups = ["gis"]
max_idle = "30m"
)");
    // alice on eng-flex: rule 0 sets servers, users and an exact feature (3) over rule 2's (2).
    ResolvedPolicy alice = resolve_policy(harvest, "eng-flex", "MATLAB", "alice", groups);
    CHECK(alice.rule_index == 0u);
    CHECK(alice.max_idle == 2h);
    // bob: rule 2 (group + exact feature) beats the wildcard-only rule 1.
    CHECK(resolve_policy(harvest, "eng-flex", "MATLAB", "bob", groups).rule_index == 2u);
    // carol is in no listed group: only the wildcard rule matches.
    CHECK(resolve_policy(harvest, "eng-flex", "MATLAB", "carol", groups).rule_index == 1u);
    CHECK(resolve_policy(harvest, "eng-flex", "MATLAB_Compiler", "alice", groups).max_idle ==
          10min);
}

TEST_CASE("on a tie the later rule wins, and enabled = false disables harvesting") {
    HarvestConfig harvest = harvest_from(R"([[harvest.rules]]
features = ["SOLVER"]
threshold = 0.5

[[harvest.rules]]
features = ["SOLVER"]
enabled = false
)");
    ResolvedPolicy policy = resolve_policy(harvest, "cae-lmx", "SOLVER", "carol", groups);
    CHECK(policy.rule_index == 1u);
    CHECK_FALSE(policy.enabled);
    CHECK(policy.threshold == 0.8);
}
