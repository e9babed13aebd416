// check-config's warnings on [[harvest.rules]] that can never apply: every file in warn/ loads
// (warnings are not errors) and gives exactly the warnings listed here, at the rule's line.
#include "config/config.hpp"
#include "config/rule_warnings.hpp"

#include <catch2/catch.hpp>
#include <filesystem>
#include <map>

using namespace lmharvest;

namespace {

struct ExpectedWarning {
    const char* file;
    int line;
    const char* message;
};

const ExpectedWarning expected_warnings[] = {
    {"rule_matches_nobody.toml", 15,
     "harvest.rules[0] matches nobody who can be harvested: everyone it names is excluded by "
     "[harvest] (alice is in exclude_users, svc-ci is in excluded group build)"},
    {"rule_matches_nobody.toml", 20,
     "harvest.rules[1] matches nobody who can be harvested: everyone it names is excluded by "
     "[harvest] (svc-build is in excluded group build, svc-ci is in excluded group build)"},
    {"rule_matches_nobody.toml", 25,
     "harvest.rules[2] matches nobody who can be harvested: its groups have no members"},
    {"rule_matches_nobody.toml", 30,
     "harvest.rules[3] matches nobody who can be harvested: none of its users is in its groups"},
    {"rule_shadowed.toml", 11,
     "harvest.rules[0] never applies: harvest.rules[1] at line 15 matches all it matches and, "
     "as specific and later, wins"},
    {"rule_shadowed.toml", 19,
     "harvest.rules[2] never applies: harvest.rules[3] at line 24 matches all it matches and, "
     "as specific and later, wins"},
    {"rule_shadowed.toml", 29,
     "harvest.rules[4] never applies: harvest.rules[5] at line 34 matches all it matches and, "
     "as specific and later, wins"},
    {"rule_pool_settings_per_user.toml", 11,
     "harvest.rules[0] sets threshold, trigger in vain: threshold, trigger and "
     "max_closes_per_cycle are pool settings, decided only by rules without users or groups; "
     "move them to such a rule"},
    {"rule_pool_settings_per_user.toml", 17,
     "harvest.rules[1] sets max_closes_per_cycle in vain: threshold, trigger and "
     "max_closes_per_cycle are pool settings"},
    {"rule_disables_everything.toml", 11,
     "harvest.rules[0] turns harvesting off for every feature, server and user no other rule "
     "decides; to stop harvesting, set [harvest] dry_run = true instead"},
};

std::string all_messages(const std::vector<RuleWarning>& warnings) {
    std::string text;
    for (const RuleWarning& w : warnings)
        text += std::to_string(w.line) + ": " + w.message + "\n";
    return text;
}

std::vector<RuleWarning> warnings_of(const std::filesystem::path& path) {
    auto config = load_config(path);
    if (!config)
        FAIL(path.string() << " is refused: " << config.error().at(0).to_string());
    return rule_warnings(config->harvest, config->groups);
}

} // namespace

TEST_CASE("each warn/ file loads and gives exactly the expected warnings, in rule order") {
    std::map<std::string, std::vector<ExpectedWarning>> by_file;
    for (const ExpectedWarning& expected : expected_warnings)
        by_file[expected.file].push_back(expected);
    for (const auto& [file, expected] : by_file) {
        INFO(file);
        const auto warnings = warnings_of(std::filesystem::path(LH_WARN_CONFIGS_DIR) / file);
        INFO(all_messages(warnings));
        REQUIRE(warnings.size() == expected.size());
        for (size_t i = 0; i < expected.size(); ++i) {
            CHECK(warnings[i].line == expected[i].line);
            CHECK_THAT(warnings[i].message, Catch::StartsWith(expected[i].message));
        }
    }
}

TEST_CASE("every file in warn/ is covered by the table") {
    for (const auto& entry : std::filesystem::directory_iterator(LH_WARN_CONFIGS_DIR)) {
        const std::string name = entry.path().filename().string();
        INFO(name);
        CHECK(std::any_of(std::begin(expected_warnings), std::end(expected_warnings),
                          [&](const ExpectedWarning& e) { return name == e.file; }));
    }
}

TEST_CASE("the shipped example configs have no rule warnings") {
    for (const char* file : {"lmharvest.toml", "demo.toml"}) {
        INFO(file);
        const auto warnings = warnings_of(std::filesystem::path(LH_CONFIG_DIR) / file);
        INFO(all_messages(warnings));
        CHECK(warnings.empty());
    }
}

TEST_CASE("rules that differ in what they match, or in how specific they are, warn of nothing") {
    auto config = load_config_string(R"([groups]
gis = ["alice", "bob"]

[[servers]]
id = "eng-flex"
adapter = "flexnet"
address = "27000@lic1"

[[harvest.rules]]
features = ["MATLAB"]
max_idle = "30m"

[[harvest.rules]]
features = ["MATLAB*"]
max_idle = "40m"

[[harvest.rules]]
features = ["MATLAB"]
users = ["carol"]
max_idle = "45m"

[[harvest.rules]]
features = ["MATLAB"]
groups = ["gis"]
max_idle = "1h"

[[harvest.rules]]
features = ["*"]
servers = ["eng-flex"]
enabled = false
)",
                                     "distinct.toml");
    REQUIRE(config.has_value());
    const auto warnings = rule_warnings(config->harvest, config->groups);
    INFO(all_messages(warnings));
    CHECK(warnings.empty());
}
