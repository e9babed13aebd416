// agent.toml through the real binary: `lmharvest check-config` tells it from a host config by
// its [agent] table, and reports every problem as file:line:col; `lmharvest agent` refuses to
// start on the same problems.
#include "harness.hpp"

#include <catch2/catch.hpp>

using namespace lmharvest::testing;

namespace {

const std::string handler_plugin =
    std::string(LH_BINARY_DIR) + "/test-plugins/handlers/sleep_handler.so";

std::string handler_entry(const std::string& table) {
    return "[[handlers]]\nname = \"sleep_handler\"\nplugin = \"" + handler_plugin +
           "\"\n[handlers.sleep_handler]\n" + table;
}

} // namespace

TEST_CASE("check-config: a good agent.toml is OK with its handler loaded and created") {
    TempDir dir;
    const std::string file =
        dir.write("agent.toml", "[agent]\nhost = \"https://lmharvest.example.com:8940\"\n"
                                "state_dir = \"state\"\nsaved_dir = \"saved\"\n" +
                                    handler_entry("marker = \"1\"\n"));
    const CliRun run = run_cli({"check-config", file});
    INFO(run.err);
    CHECK(run.exit_code == 0);
    CHECK(run.out == file + ": OK (agent, 1 handler)\n");
    // The handler's folders are the user's own.
    CHECK((std::filesystem::status(dir / "state" / "handlers" / "sleep_handler").permissions() &
           std::filesystem::perms::all) == std::filesystem::perms::owner_all);
}

TEST_CASE("check-config: every problem of an agent.toml, each at its place") {
    TempDir dir;
    const std::string file = dir.write("agent.toml", "[agent]\n"
                                                     "host = \"http://10.1.2.3:8940\"\n"
                                                     "report_every = \"1s\"\n"
                                                     "colour = \"blue\"\n" +
                                                         handler_entry("marker = \"1\"\n") +
                                                         "[[handlers]]\nplugin = \"x.so\"\n");
    const CliRun run = run_cli({"check-config", "--schema-only", file});
    CHECK(run.exit_code == 1);
    CHECK(run.err.find(file + ":2:8: agent.host: \"http://10.1.2.3:8940\" is plain HTTP to another "
                              "machine") != std::string::npos);
    CHECK(run.err.find(file + ":3:16: agent.report_every:") != std::string::npos);
    CHECK(run.err.find(file + ":4:1: unknown key 'colour' in [agent]") != std::string::npos);
    CHECK(run.err.find("handlers[1]: missing required key 'name'") != std::string::npos);
    INFO(run.err);
}

TEST_CASE("insecure = true allows plain HTTP to another machine; a handler table with a key the "
          "plugin never reads is refused with its place") {
    TempDir dir;
    const std::string file =
        dir.write("agent.toml", "[agent]\nhost = \"http://10.1.2.3:8940\"\ninsecure = true\n"
                                "state_dir = \"state\"\nsaved_dir = \"saved\"\n" +
                                    handler_entry("marker = \"1\"\nmarkr = \"2\"\n"));
    const CliRun schema = run_cli({"check-config", "--schema-only", file});
    INFO(schema.err);
    CHECK(schema.exit_code == 0);
    const CliRun full = run_cli({"check-config", file});
    CHECK(full.exit_code == 1);
    CHECK(full.err.find(file + ":11:9: unknown key 'markr' in [handlers.sleep_handler]") !=
          std::string::npos);
    INFO(full.err);
}

TEST_CASE("a handler plugin is created in a worker: one that dies loading is a refusal, not a "
          "crash of check-config; isolation is checked in [agent] and in each handler") {
    TempDir dir;
    const std::string crashing =
        std::string(LH_BINARY_DIR) + "/test-plugins/crashes_when_loaded/crashes_when_loaded.so";
    const std::string file =
        dir.write("agent.toml", "[agent]\nhost = \"https://lmharvest.example.com:8940\"\n"
                                "state_dir = \"state\"\nsaved_dir = \"saved\"\n"
                                "[[handlers]]\nname = \"vendor\"\nplugin = \"" +
                                    crashing + "\"\n");
    const CliRun run = run_cli({"check-config", file});
    INFO(run.err);
    CHECK(run.exit_code == 1);
    CHECK(run.err.find(file + ":5:1: handler 'vendor': worker died: ") != std::string::npos);
    CHECK(run.err.find(" in create") != std::string::npos);

    const std::string wrong =
        dir.write("wrong.toml", "[agent]\nhost = \"https://lmharvest.example.com:8940\"\n"
                                "isolation = \"threads\"\n" +
                                    handler_entry("") + "");
    const CliRun refused = run_cli({"check-config", "--schema-only", wrong});
    CHECK(refused.exit_code == 1);
    CHECK(refused.err.find(wrong + ":3:13: agent.isolation:") != std::string::npos);
    INFO(refused.err);

    const std::string none = dir.write(
        "none.toml", "[agent]\nhost = \"https://lmharvest.example.com:8940\"\n"
                     "state_dir = \"state\"\nsaved_dir = \"saved\"\n"
                     "[[handlers]]\nname = \"sleep_handler\"\nplugin = \"" +
                         handler_plugin +
                         "\"\nisolation = \"none\"\n[handlers.sleep_handler]\nmarker = \"1\"\n");
    const CliRun in_process = run_cli({"check-config", none});
    INFO(in_process.err);
    CHECK(in_process.exit_code == 0);
}

TEST_CASE("lmharvest agent refuses a config with errors and a token file others can read") {
    TempDir dir;
    const std::string bad = dir.write("bad.toml", "[agent]\nhost = \"ftp://x\"\n");
    const CliRun refused = run_cli({"agent", "--config", bad});
    CHECK(refused.exit_code == 1);
    CHECK(refused.err.find(bad + ":2:8: agent.host: \"ftp://x\" is not a host URL") !=
          std::string::npos);

    const std::string token = dir.write("token", "secret\n");
    std::filesystem::permissions(token, std::filesystem::perms::others_read,
                                 std::filesystem::perm_options::add);
    const std::string open = dir.write("open.toml", "[agent]\nhost = \"http://127.0.0.1:1\"\n"
                                                    "token_file = \"token\"\nstate_dir = \"s\"\n");
    const CliRun leaked = run_cli({"agent", "--config", open});
    CHECK(leaked.exit_code == 1);
    CHECK(leaked.err.find("readable by others; chmod 600") != std::string::npos);
}

TEST_CASE("the example config/agent.toml passes the schema check") {
    const CliRun run =
        run_cli({"check-config", "--schema-only", source_dir + "/config/agent.toml"});
    INFO(run.err);
    CHECK(run.exit_code == 0);
    CHECK(run.out.find("OK (agent, 0 handlers)") != std::string::npos);
}
