// The `lmharvest` command line as an admin uses it: parse saved captures, check configs,
// inspect plugins, run the demo once.
#include "harness.hpp"

#include <catch2/catch.hpp>
#include <lmharvest/version.h>
#include <map>

using namespace lmharvest::testing;
namespace fs = std::filesystem;

namespace {

// Per feature name, summed over the JSON features as fixtures/README.md defines it: error
// features left out, "uncounted" where the output says so.
std::map<std::string, nlohmann::json> sums(const nlohmann::json& features, const char* field) {
    std::map<std::string, nlohmann::json> totals;
    for (const nlohmann::json& f : features) {
        if (!f.at("error").is_null())
            continue;
        const std::string name = f.at("feature");
        if (f.at("uncounted").get<bool>()) {
            totals[name] = "uncounted";
            continue;
        }
        const nlohmann::json& value = f.at(field);
        if (totals[name].is_number())
            totals[name] = totals[name].get<int64_t>() + value.get<int64_t>();
        else
            totals[name] = value;
    }
    return totals;
}

std::map<std::string, nlohmann::json> expected_map(const nlohmann::json& object) {
    std::map<std::string, nlohmann::json> map;
    for (const auto& [name, value] : object.items())
        map[name] = value;
    return map;
}

// Every capture of an adapter's fixture folder through `lmharvest parse ADAPTER FILE --json`.
void check_captures(const std::string& adapter) {
    const std::string folder = fixtures_dir + "/" + adapter;
    const auto expect = nlohmann::json::parse(read_file(folder + "/expect.json"));
    int checked = 0;
    for (const auto& [file, facts] : expect.items()) {
        if (facts.contains("lmstat_i_rows"))
            continue; // lmstat -i listings: not lmstat -a output
        DYNAMIC_SECTION(file) {
            const CliRun run = run_cli(
                {"parse", adapter, folder + "/" + file, "--json", "--now", "2024-06-01T12:00"});
            INFO(run.err);
            // A capture that is no whole answer (an excerpt, a cut capture) is refused as a
            // poll, with the reason, and still shows what was read.
            const auto json = nlohmann::json::parse(run.out);
            if (json.contains("error")) {
                CHECK(run.exit_code == 1);
                CHECK_THAT(run.err, Catch::Contains(json.at("error").get<std::string>()));
            } else {
                CHECK(run.exit_code == 0);
            }
            CHECK(json.at("features").size() == facts.at("features").get<std::size_t>());
            CHECK(json.at("sessions").size() == facts.at("sessions").get<std::size_t>());
            CHECK(sums(json.at("features"), "used") == expected_map(facts.at("used")));
            CHECK(sums(json.at("features"), "total") == expected_map(facts.at("total")));
            // Well-formed output skips nothing. (Files that are not well-formed are checked
            // line by line in the adapters' unit tests: some hold only real lines.)
            if (facts.at("well_formed").get<bool>())
                CHECK(json.at("skipped").empty());
        }
        ++checked;
    }
    CHECK(checked >= 3);
}

} // namespace

TEST_CASE("parse flexnet agrees with every lmstat capture's expected facts") {
    check_captures("flexnet");
}

TEST_CASE("parse lmx agrees with every lmxendutil capture's expected facts") {
    check_captures("lmx");
}

TEST_CASE("parse names why an output is no poll's answer, and exits 1") {
    const std::string flexnet = fixtures_dir + "/flexnet/";
    const CliRun excerpt =
        run_cli({"parse", "flexnet", flexnet + "22-alliance-abaqus-egrep-queued.txt", "--now",
                 "2024-06-01T12:00"});
    CHECK(excerpt.exit_code == 1);
    CHECK_THAT(excerpt.err, Catch::Contains("no license server status"));
    // SOURCES.md: "capture truncated after feature2's 'floating license' line".
    const CliRun cut =
        run_cli({"parse", "flexnet", flexnet + "09-flexlm-exporter-triad-one-server-down.txt",
                 "--now", "2024-06-01T12:00"});
    CHECK(cut.exit_code == 1);
    CHECK_THAT(cut.err, Catch::Contains("cut in feature 'feature2'"));
    CHECK_THAT(cut.out, Catch::Contains("feature2")); // what was read is still shown
    const CliRun fragment =
        run_cli({"parse", "lmx", fixtures_dir + "/lmx/04-raysearch-fragment.txt", "--now",
                 "2024-06-01T12:00"});
    CHECK(fragment.exit_code == 1);
    CHECK_THAT(fragment.err, Catch::Contains("no server status"));
    const CliRun whole = run_cli({"parse", "flexnet", flexnet + "02-flexlm-exporter-app2-triad.txt",
                                  "--now", "2024-06-01T12:00"});
    CHECK(whole.exit_code == 0);
    CHECK_THAT(whole.err, !Catch::Contains("no usable answer"));
}

TEST_CASE("parse prints one JSON object of the documented shape") {
    const CliRun run = run_cli({"parse", "flexnet",
                                fixtures_dir + "/flexnet/05-flexlm-exporter-app5-matlab-pid.txt",
                                "--json", "--now", "2024-06-01T12:00"});
    REQUIRE(run.exit_code == 0);
    const auto json = nlohmann::json::parse(run.out);
    for (const char* key : {"servers", "vendors", "features", "sessions", "skipped"})
        CHECK(json.contains(key));
    const nlohmann::json& session = json.at("sessions").at(0);
    for (const char* key : {"vendor", "feature", "version", "user", "host", "display", "count",
                            "checkout_time", "handle", "server", "linger_seconds"})
        CHECK(session.contains(key));
    // ISO 8601 with the offset (ctest runs with TZ=UTC); the capture's own header date gives
    // the year, 2025.
    const std::string checkout = session.at("checkout_time");
    CHECK(checkout.size() == 25);
    CHECK(checkout.starts_with("2025-"));
    CHECK(checkout.ends_with("+00:00"));
}

TEST_CASE("check-config accepts the documented example and refuses a bad file with positions") {
    const CliRun good = run_cli({"check-config", source_dir + "/config/lmharvest.toml"});
    INFO(good.err);
    CHECK(good.exit_code == 0);
    CHECK_THAT(good.out, Catch::Contains("OK"));

    TempDir dir;
    const std::string bad =
        dir.write("bad.toml", "[host]\nstate_dir = \"/tmp/x\"\n\n[harvest]\ntreshold = 0.8\n"
                              "max_idle = 20\n");
    const CliRun run = run_cli({"check-config", bad});
    CHECK(run.exit_code == 1);
    CHECK_THAT(run.err, Catch::Contains(bad + ":5:1: unknown key 'treshold' in [harvest]; did "
                                              "you mean 'threshold'?"));
    CHECK_THAT(run.err, Catch::Contains(bad + ":6:"));
    CHECK_THAT(run.err, Catch::Contains("2 errors"));
}

TEST_CASE("check-config warns of harvest rules that never apply, at their line, and passes") {
    const std::string file = source_dir + "/tests/unit/config/warn/rule_shadowed.toml";
    const CliRun run = run_cli({"check-config", "--schema-only", file});
    INFO(run.err);
    CHECK(run.exit_code == 0);
    CHECK_THAT(run.err, Catch::Contains(file + ":11: warning: harvest.rules[0] never applies: "
                                               "harvest.rules[1] at line 15 matches all it"));
    CHECK_THAT(run.err, Catch::Contains(file + ":19: warning: harvest.rules[2] never applies"));
    CHECK_THAT(run.out, Catch::Contains(file + ": OK (1 server, 3 warnings)"));

    const CliRun example =
        run_cli({"check-config", "--schema-only", source_dir + "/config/lmharvest.toml"});
    CHECK(example.exit_code == 0);
    CHECK_THAT(example.err, !Catch::Contains("warning"));
}

TEST_CASE("check-config refuses keys a plugin does not read") {
    TempDir dir;
    const std::string file = dir.write(
        "typo.toml", "[host]\nstate_dir = \"" + (dir / "state").string() + "\"\nplugin_dirs = [\"" +
                         plugin_dir +
                         "\"]\n\n[[servers]]\nid = \"s\"\nadapter = \"sim\"\naddress = \"1@x\"\n"
                         "[servers.sim]\nseeed = 3\n");
    const CliRun run = run_cli({"check-config", file});
    CHECK(run.exit_code == 1);
    CHECK_THAT(run.err, Catch::Contains("unknown key 'seeed'"));
    CHECK_THAT(run.err, Catch::Contains(file + ":10:"));
}

TEST_CASE("plugins inspect describes each built plugin without enabling it") {
    for (const std::string name : {"sim", "flexnet", "lmx"}) {
        const CliRun run = run_cli({"plugins", "inspect", plugin_dir + "/" + name + ".so"});
        INFO(name << run.err);
        CHECK(run.exit_code == 0);
        CHECK_THAT(run.out, Catch::Contains("name:         " + name));
        CHECK_THAT(run.out, Catch::Contains("abi:          1." + std::to_string(LH_ABI_MINOR)));
        CHECK_THAT(run.out, Catch::Contains("kinds:        adapter"));
        CHECK_THAT(run.out, Catch::Contains("poll, close_session"));
    }
    const CliRun wrong = run_cli({"plugins", "inspect",
                                  std::string(LH_BINARY_DIR) + "/test-plugins/wrong_major/"
                                                               "wrong_major.so"});
    CHECK(wrong.exit_code == 1);
    CHECK_THAT(wrong.err, Catch::Contains("wrong_major.so"));
    CHECK_THAT(wrong.err, Catch::Contains("got 2, supported 1"));
}

TEST_CASE("plugins list shows loaded and refused plugins with reasons") {
    const CliRun run = run_cli(
        {"plugins", "list", "--plugin-dir", std::string(LH_BINARY_DIR) + "/test-plugins/mixed"});
    CHECK(run.exit_code == 0);
    CHECK_THAT(run.out, Catch::Contains("loaded ("));
    CHECK_THAT(run.out, Catch::Contains("test_adapter"));
    CHECK_THAT(run.out, Catch::Contains("only_v2.so: needs ABI 2"));
    CHECK_THAT(run.out, Catch::Contains("not_a_library.so"));
}

TEST_CASE("--version and --help answer on every subcommand") {
    const CliRun version = run_cli({"--version"});
    CHECK(version.exit_code == 0);
    CHECK_THAT(version.out, Catch::Contains("lmharvest 0.1.0 (plugin ABI 1.0)"));
    for (const std::vector<std::string>& args :
         std::vector<std::vector<std::string>>{{"--help"},
                                               {"run", "--help"},
                                               {"check-config", "--help"},
                                               {"plugins", "--help"},
                                               {"plugins", "list", "--help"},
                                               {"plugins", "inspect", "--help"},
                                               {"parse", "--help"},
                                               {"sessions", "--help"},
                                               {"close", "--help"},
                                               {"harvest", "--help"},
                                               {"harvest", "plan", "--help"}}) {
        const CliRun run = run_cli(args);
        CHECK(run.exit_code == 0);
        CHECK_THAT(run.out, Catch::Contains("Usage"));
    }
}

TEST_CASE("the demo configuration runs on the sim plugin and shows sessions") {
    TempDir dir;
    const std::string config = demo_config(dir);
    const CliRun once = run_cli({"run", "--config", config, "--once"});
    INFO(once.err);
    REQUIRE(once.exit_code == 0);
    CHECK_THAT(once.err, Catch::Contains("poll ok server=demo-flex"));
    CHECK_THAT(once.err, Catch::Contains("session open"));

    const CliRun sessions = run_cli({"sessions", "--config", config});
    CHECK(sessions.exit_code == 0);
    CHECK_THAT(sessions.out, Catch::Contains("demo-flex"));
    CHECK_THAT(sessions.out, Catch::Contains("open sessions"));

    const CliRun by_feature =
        run_cli({"sessions", "--config", config, "--by", "feature", "--json"});
    REQUIRE(by_feature.exit_code == 0);
    const auto rows = nlohmann::json::parse(by_feature.out);
    REQUIRE_FALSE(rows.empty());
    int64_t licenses = 0;
    for (const nlohmann::json& row : rows)
        licenses += row.at("licenses").get<int64_t>();
    CHECK(licenses >= static_cast<int64_t>(rows.size()));
}
