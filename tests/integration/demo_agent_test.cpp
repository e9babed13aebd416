// The README's walkthrough, as a newcomer runs it: `lmharvest demo` on config/demo.toml, and
// `scripts/demo-agent --private-desktop` beside it (the real agent, matlab.so, a real Octave in
// an xterm on a private Xvfb, dunst). The demo's own seat (demo-desk, the sim plugin's visitor)
// is this user's; left idle it is saved, closed and released, and the pop-up's Reopen brings
// Octave back. Only max_idle is shortened (1 min in the demo, 10 s here).
#include "harness.hpp"

#include <catch2/catch.hpp>

using namespace lmharvest::testing;
using namespace std::chrono_literals;

namespace {

// The step `step` of the close of the demo-desk seat in the host's audit log ({} if none).
nlohmann::json desk_close_step(int port, const std::string& step) {
    const nlohmann::json actions = get_json(port, "/api/v1/actions");
    if (actions.is_array())
        for (const nlohmann::json& action : actions)
            if (action.value("server_id", "") == "demo-desk")
                for (const nlohmann::json& s : action.value("steps", nlohmann::json::array()))
                    if (s.value("step", "") == step)
                        return s;
    return nlohmann::json::object();
}

} // namespace

TEST_CASE("the README's walkthrough: scripts/demo-agent beside the demo has your idle Octave "
          "saved, closed and released, and reopens it from the pop-up") {
    TempDir dir;
    const int port = free_port();
    const std::string config = demo_config(
        dir, {{"listen", "\"127.0.0.1:" + std::to_string(port) + "\""}, {"max_idle", "\"10s\""}});
    RunningHost demo(config, {}, dir / "demo.log", {}, "demo");
    REQUIRE(eventually([&] {
        const nlohmann::json seat = get_json(port, "/api/v1/sessions?server=demo-desk");
        return seat.is_array() && seat.size() == 1;
    }));

    const CliRun walkthrough =
        run_program({source_dir + "/scripts/demo-agent", "--private-desktop",
                     "--host=http://127.0.0.1:" + std::to_string(port),
                     "--dir=" + (dir / "agent").string(), "--build=" + std::string(LH_BINARY_DIR)},
                    180s);
    INFO(walkthrough.out << walkthrough.err << "\n--- the demo's log:\n" << demo.log());
    CHECK(walkthrough.exit_code == 0);
    CHECK_THAT(walkthrough.err, Catch::Contains("the saved workspace holds: x = 42, s = hello"));
    CHECK_THAT(walkthrough.err, Catch::Contains("Octave is back"));
    CHECK_THAT(read_file(dir / "agent" / "agent.log"),
               Catch::Contains("pop-up clicked: reopening"));

    // The host's side: the harvest asked the real agent (its handler is matlab.so, not the
    // demo's scripted stand-in), which saved; the license was released and the poll confirmed it.
    const nlohmann::json asked = desk_close_step(port, "agent_command");
    REQUIRE(asked.contains("message"));
    CHECK_THAT(asked.value("message", ""), Catch::Contains("matlab pid"));
    CHECK(desk_close_step(port, "agent_result").value("outcome", "") == "saved_and_closed");
    CHECK(desk_close_step(port, "release").value("outcome", "") == "released");
    CHECK(eventually(
        [&] { return desk_close_step(port, "confirm").value("outcome", "") == "confirmed"; }, 20s));
}
