// A plugin that reports records the host cannot use (test-plugins/bad_records): the running
// host stores only the good ones and counts the others as skipped lines.
#include "harness.hpp"

#include <catch2/catch.hpp>

using namespace lmharvest::testing;

TEST_CASE("records with an empty user, an empty name or a negative count are skipped and counted") {
    TempDir dir;
    const int port = free_port();
    const std::string config =
        dir.write("lmharvest.toml",
                  "[host]\nstate_dir = \"" + (dir / "state").string() + "\"\nplugin_dirs = [\"" +
                      std::string(LH_BINARY_DIR) +
                      "/test-plugins/bad_records\"]\nlisten = \"127.0.0.1:" + std::to_string(port) +
                      "\"\nopen_read = true\n\n[[servers]]\nid = \"bad\"\nadapter = "
                      "\"bad_records\"\naddress = \"1@x\"\n");
    RunningHost host(config, {}, dir / "host.log");
    const std::string counter = "lmharvest_skipped_lines_total{server=\"bad\"} 7";
    INFO(host.log());
    REQUIRE(
        eventually([&] { return get_text(port, "/metrics").find(counter) != std::string::npos; }));
    const nlohmann::json sessions = get_json(port, "/api/v1/sessions");
    REQUIRE(sessions.is_array());
    REQUIRE(sessions.size() == 1);
    CHECK(sessions[0].at("user") == "alice");
}
