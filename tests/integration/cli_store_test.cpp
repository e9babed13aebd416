// CLI commands that read the store end with a clear message and exit 1 when SQLite fails,
// never with an abort.
#include "harness.hpp"

#include <catch2/catch.hpp>

using namespace lmharvest::testing;

TEST_CASE("sessions reports an SQLite failure with the file and exits 1") {
    TempDir dir;
    const std::string config = dir.write(
        "lmharvest.toml", "[host]\nstate_dir = \"" + (dir / "state").string() +
                              "\"\nplugin_dirs = [\"" + plugin_dir +
                              "\"]\n\n[[servers]]\nid = \"sim1\"\nadapter = \"sim\"\n"
                              "address = \"27000@sim\"\n[servers.sim]\nseed = 7\nusers = 5\n");
    REQUIRE(run_cli({"run", "--once", "--config", config}).exit_code == 0);
    const std::string db = (dir / "state" / "lmharvest.db").string();
    REQUIRE(run_cli({"sessions", "--config", config}).exit_code == 0);
    REQUIRE(run_program({"python3", "-c",
                         "import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); "
                         "c.execute('DROP TABLE sessions'); c.commit()",
                         db})
                .exit_code == 0);
    for (const std::vector<std::string>& args :
         {std::vector<std::string>{"sessions", "--config", config},
          std::vector<std::string>{"sessions", "--config", config, "--by", "feature"}}) {
        const CliRun sessions = run_cli(args);
        INFO(sessions.err);
        CHECK(sessions.exit_code == 1);
        CHECK_THAT(sessions.err, Catch::Contains(db + ": cannot read the sessions"));
        CHECK_THAT(sessions.err, Catch::Contains("no such table"));
    }
}
