// The real host with the real flexnet plugin, polling the lmutil emulator (which prints a real
// capture and honours lmremove), closing a session through the host, and surviving a hung tool.
#include "host_fixture.hpp"

#include <catch2/catch.hpp>
#include <fstream>
#include <set>

using namespace lmharvest::testing;

namespace {

const std::string capture = "02-flexlm-exporter-app2-triad.txt";

std::size_t expected_sessions() {
    const auto expect = nlohmann::json::parse(read_file(fixtures_dir + "/flexnet/expect.json"));
    return expect.at(capture).at("sessions").get<std::size_t>();
}

// A host whose one server is the emulator with a copy of the capture as its state;
// `server_keys` are more keys of its [[servers]] entry.
struct FlexnetHost {
    explicit FlexnetHost(const std::string& server_keys = "")
        : fixture{"[[servers]]\nid = \"eng-flex\"\nadapter = \"flexnet\"\n"
                  "address = \"27000@host1,27000@host2,27000@host3\"\n"
                  "interval = \"1s\"\ntimeout = \"500ms\"\n" +
                      server_keys + "[servers.flexnet]\nlmutil = \"" + emulator_dir_path() +
                      "/lmutil\"\n",
                  {{"LMUTIL_EMULATOR_STATE", state}}} {}

    TempDir emulator_dir;
    std::string state =
        emulator_dir.write("lmstat.txt", read_file(fixtures_dir + "/flexnet/" + capture));
    HostFixture fixture;

    static std::string emulator_dir_path() { return lmharvest::testing::emulator_dir; }
    void set_mode(const std::string& mode) const { emulator_dir.write("lmstat.txt.mode", mode); }
};

} // namespace

TEST_CASE("the host polls lmutil, closes a session through the host, and the next poll no "
          "longer shows it") {
    FlexnetHost flex;
    HostFixture& host = flex.fixture;
    const std::size_t count = expected_sessions();
    REQUIRE(host.wait_for_sessions(count));

    const nlohmann::json victim = host.sessions().at(0);
    const int64_t id = victim.at("id");
    const std::string user = victim.at("user");
    const CliRun close = run_cli(
        {"close", "--config", host.config(), std::to_string(id), "--actor", "operator:it-test"});
    INFO(close.out << close.err);
    CHECK(close.exit_code == 0);
    CHECK_THAT(close.out, Catch::Contains("closed"));

    // The emulator really lost the checkout, and the next poll agrees: had it still seen
    // the checkout, the session would be open again.
    CHECK(read_file(flex.state).find(victim.at("handle").get<std::string>() + ")") ==
          std::string::npos);
    REQUIRE(host.wait_for_next_poll("eng-flex"));
    CHECK(host.sessions().size() == count - 1);
    for (const nlohmann::json& session : host.sessions())
        CHECK(session.at("id") != id);

    // Audited, with who asked and what the adapter said.
    const nlohmann::json actions = get_json(host.port(), "/api/v1/actions");
    REQUIRE(actions.is_array());
    REQUIRE(actions.size() == 1);
    CHECK(actions[0].at("actor") == "operator:it-test");
    CHECK(actions[0].at("outcome") == "closed");
    CHECK(actions[0].at("session_id") == id);
    CHECK(actions[0].at("user") == user);

    // Closing it again is refused, and audited nowhere (nothing was asked of the server).
    const CliRun again = run_cli({"close", "--config", host.config(), std::to_string(id)});
    CHECK(again.exit_code == 1);
    CHECK_THAT(again.out, Catch::Contains("already_closed"));
}

TEST_CASE("a hung lmutil is killed at the timeout, the server shows stale, then recovers") {
    FlexnetHost flex;
    HostFixture& host = flex.fixture;
    const std::size_t count = expected_sessions();
    REQUIRE(host.wait_for_sessions(count));
    CHECK(host.server("eng-flex").at("state") == "up");

    flex.set_mode("hang");
    REQUIRE(eventually([&] { return host.server("eng-flex").at("state") == "stale"; }));
    const nlohmann::json stale = host.server("eng-flex");
    CHECK_THAT(stale.at("error").get<std::string>(),
               Catch::Contains("LH_ERR_TIMEOUT") && Catch::Contains("killed"));
    // A failed poll is no proof that the sessions ended: they stay open.
    CHECK(host.sessions().size() == count);
    CHECK(host.host().alive());

    flex.set_mode("normal");
    CHECK(eventually([&] { return host.server("eng-flex").at("state") == "up"; },
                     std::chrono::seconds(60)));
    CHECK(host.sessions().size() == count);
    CHECK(host.host().stop() == 0);
}

TEST_CASE("lmutil output that is no answer makes the server stale with the reason; its "
          "sessions stay open; the next good poll recovers") {
    FlexnetHost flex;
    HostFixture& host = flex.fixture;
    const std::size_t count = expected_sessions();
    REQUIRE(host.wait_for_sessions(count));
    for (const auto& [mode, reason] :
         {std::pair{"empty", "no output"}, std::pair{"cut", "cut in feature 'feature7'"}}) {
        INFO(mode);
        flex.set_mode(mode);
        REQUIRE(eventually(
            [&, reason = reason] {
                const nlohmann::json server = host.server("eng-flex");
                return server.at("state") == "stale" &&
                       server.at("error").get<std::string>().find(reason) != std::string::npos;
            },
            std::chrono::seconds(30)));
        CHECK(host.sessions().size() == count);
    }
    flex.set_mode("normal");
    CHECK(eventually([&] { return host.server("eng-flex").at("state") == "up"; },
                     std::chrono::seconds(60)));
    CHECK(host.sessions().size() == count);
    CHECK(host.host().stop() == 0);
}

TEST_CASE("an lmutil printing without end is killed at the server's max_output") {
    FlexnetHost flex("max_output = \"1MB\"\n");
    HostFixture& host = flex.fixture;
    const std::size_t count = expected_sessions();
    REQUIRE(host.wait_for_sessions(count));
    flex.set_mode("endless");
    REQUIRE(eventually([&] { return host.server("eng-flex").at("state") == "stale"; }));
    CHECK_THAT(host.server("eng-flex").at("error").get<std::string>(),
               Catch::Contains("max_output (1 MB)"));
    CHECK(host.sessions().size() == count);
    CHECK(host.host().alive());
    CHECK(host.host().stop() == 0);
}

TEST_CASE("denials from the vendor daemon's debug log are served by the API") {
    TempDir emulator;
    const std::string state =
        emulator.write("lmstat.txt", read_file(fixtures_dir + "/flexnet/" + capture));
    const std::string log_name = "12-parteklm-v11.4-nci-denied-unsupported.log";
    const std::string log = read_file(fixtures_dir + "/flexnet/debuglog/" + log_name);
    const std::string debug_log = emulator.write("parteklm.log", log);
    HostFixture host("[[servers]]\nid = \"eng-flex\"\nadapter = \"flexnet\"\n"
                     "address = \"27000@host2\"\ninterval = \"1s\"\n[servers.flexnet]\n"
                     "lmutil = \"" +
                         emulator_dir + "/lmutil\"\ndebug_log = \"" + debug_log +
                         "\"\ndebug_log_from_start = true\n",
                     {{"LMUTIL_EMULATOR_STATE", state}});
    nlohmann::json denials;
    REQUIRE(eventually([&] {
        denials = get_json(host.port(), "/api/v1/denials?limit=1000");
        return denials.is_array() && !denials.empty();
    }));
    const auto expect =
        nlohmann::json::parse(read_file(fixtures_dir + "/flexnet/debuglog/expect.json"));
    // Identical lines of the same second are one denial in the store.
    CHECK(denials.size() <= expect.at(log_name).at("denied").get<std::size_t>() +
                                expect.at(log_name).at("unsupported").get<std::size_t>());
    std::set<std::string> kinds;
    for (const nlohmann::json& denial : denials) {
        kinds.insert(denial.at("kind").get<std::string>());
        CHECK(log.find(denial.at("user").get<std::string>() + "@" +
                       denial.at("host").get<std::string>()) != std::string::npos);
    }
    CHECK(kinds == std::set<std::string>{"denied", "unsupported"});
}
