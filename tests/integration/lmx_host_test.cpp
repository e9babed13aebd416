// The real host with the real lmx plugin, polling the lmxendutil emulator (XML), closing a
// session through the host with the configured close command.
#include "host_fixture.hpp"

#include <catch2/catch.hpp>

using namespace lmharvest::testing;

TEST_CASE("the host polls lmxendutil, closes a session with close_command, gone on next poll") {
    TempDir emulator_state;
    const std::string state = emulator_state.write(
        "state.xml", read_file(std::string(LH_TESTS_SOURCE_DIR) +
                               "/unit/lmx/data/01-omnivector-altair-hyperworks.reconstructed.xml"));
    const std::string tool = emulator_dir + "/lmxendutil";
    HostFixture host("[[servers]]\nid = \"cae-lmx\"\nadapter = \"lmx\"\n"
                     "address = \"6200@licserv0013.com\"\ninterval = \"1s\"\ntimeout = \"5s\"\n"
                     "[servers.lmx]\nlmxendutil = \"" +
                         tool + "\"\nclose_command = [\"" + tool +
                         "\", \"-remove\", \"-host\", \"{server_host}\", \"-port\", \"{port}\", "
                         "\"-feature\", \"{feature}\", \"-user\", \"{user}\", \"-clienthost\", "
                         "\"{host}\"]\n",
                     {{"LMXENDUTIL_EMULATOR_STATE", state}});
    const auto expect = nlohmann::json::parse(read_file(fixtures_dir + "/lmx/expect.json"));
    const std::size_t count =
        expect.at("01-omnivector-altair-hyperworks.txt").at("sessions").get<std::size_t>();
    REQUIRE(host.wait_for_sessions(count));

    const nlohmann::json hyperworks = host.sessions("?feature=HyperWorks");
    REQUIRE(hyperworks.size() == 1);
    const int64_t id = hyperworks[0].at("id");
    CHECK(hyperworks[0].at("host_ip") == "138.106.154.220");
    const CliRun close = run_cli({"close", "--config", host.config(), std::to_string(id)});
    INFO(close.out << close.err);
    CHECK(close.exit_code == 0);
    CHECK_THAT(close.out, Catch::Contains("closed"));

    REQUIRE(host.wait_for_next_poll("cae-lmx"));
    CHECK(host.sessions().size() == count - 1);
    CHECK(host.sessions("?feature=HyperWorks").empty());
    const nlohmann::json features = get_json(host.port(), "/api/v1/features?server=cae-lmx");
    REQUIRE(features.is_array());
    for (const nlohmann::json& feature : features)
        if (feature.at("feature") == "HyperWorks")
            CHECK(feature.at("used") == 0);
}

TEST_CASE("lmxendutil output cut short makes the server stale with the reason; its sessions "
          "stay open; the next good poll recovers") {
    TempDir emulator_state;
    const std::string state = emulator_state.write(
        "state.xml", read_file(std::string(LH_TESTS_SOURCE_DIR) +
                               "/unit/lmx/data/01-omnivector-altair-hyperworks.reconstructed.xml"));
    HostFixture host("[[servers]]\nid = \"cae-lmx\"\nadapter = \"lmx\"\n"
                     "address = \"6200@licserv0013.com\"\ninterval = \"1s\"\ntimeout = \"5s\"\n"
                     "[servers.lmx]\nlmxendutil = \"" +
                         emulator_dir + "/lmxendutil\"\n",
                     {{"LMXENDUTIL_EMULATOR_STATE", state}});
    const auto expect = nlohmann::json::parse(read_file(fixtures_dir + "/lmx/expect.json"));
    const std::size_t count =
        expect.at("01-omnivector-altair-hyperworks.txt").at("sessions").get<std::size_t>();
    REQUIRE(host.wait_for_sessions(count));

    emulator_state.write("state.xml.mode", "cut\n");
    REQUIRE(eventually([&] {
        const nlohmann::json server = host.server("cae-lmx");
        return server.at("state") == "stale" &&
               server.at("error").get<std::string>().find("malformed XML") != std::string::npos;
    }));
    CHECK(host.sessions().size() == count);

    std::filesystem::remove(state + ".mode");
    CHECK(eventually([&] { return host.server("cae-lmx").at("state") == "up"; },
                     std::chrono::seconds(60)));
    CHECK(host.sessions().size() == count);
}
