// Which plugin files the host runs code from: only the enabled plugins' files, and none that
// another user could have written. The marker plugin writes to $LH_TEST_MARKER when its
// constructor or entry point runs, so each test sees whether a real `lmharvest` opened it.
#include "harness.hpp"

#include <catch2/catch.hpp>
#include <cstdlib>
#include <sys/stat.h>
#include <unistd.h>

using namespace lmharvest::testing;
namespace fs = std::filesystem;

namespace {

// A plugin folder holding sim.so and marker.so, and a config of one sim server using it.
struct TrustSetup {
    TempDir dir;
    fs::path plugins = dir / "plugins";
    fs::path marker = dir / "marker.txt";

    TrustSetup() {
        fs::create_directories(plugins);
        fs::copy_file(plugin_dir + "/sim.so", plugins / "sim.so");
        fs::copy_file(std::string(LH_BINARY_DIR) + "/test-plugins/marker/marker.so",
                      plugins / "marker.so");
        ::setenv("LH_TEST_MARKER", marker.c_str(), 1);
    }
    ~TrustSetup() {
        ::unsetenv("LH_TEST_MARKER");
        ::unsetenv("LH_TEST_MARKER_PARENTS");
    }

    std::string config(const std::string& host_extra, const std::string& plugin_dirs = "") const {
        const std::string dirs = plugin_dirs.empty() ? plugins.string() : plugin_dirs;
        return dir.write("lmharvest.toml", "[host]\nstate_dir = \"" + (dir / "state").string() +
                                               "\"\nplugin_dirs = [\"" + dirs + "\"]\n" +
                                               host_extra +
                                               "\n[[servers]]\nid = \"s\"\nadapter = \"sim\"\n"
                                               "address = \"1@x\"\n");
    }
    bool marker_opened() const { return fs::exists(marker); }
};

} // namespace

TEST_CASE("run and check-config open only the plugins the config enables") {
    TrustSetup setup;
    for (const std::string host_extra : {"", "plugins = [\"sim\"]\n"}) {
        INFO("host: " << host_extra);
        const std::string config = setup.config(host_extra);
        const CliRun check = run_cli({"check-config", config});
        INFO(check.err);
        CHECK(check.exit_code == 0);
        const CliRun once = run_cli({"run", "--config", config, "--once"});
        INFO(once.err);
        CHECK(once.exit_code == 0);
        CHECK_THAT(once.err, Catch::Contains("poll ok server=s"));
        CHECK_FALSE(setup.marker_opened());
    }
}

TEST_CASE("plugins list opens what it is asked to, and says so") {
    TrustSetup setup;
    const CliRun enabled = run_cli({"plugins", "list", "--config", setup.config("")});
    CHECK(enabled.exit_code == 0);
    CHECK_THAT(enabled.out,
               Catch::Contains("loaded only the files of the plugins the config enables (sim"));
    CHECK_FALSE(setup.marker_opened());

    const CliRun all = run_cli({"plugins", "list", "--plugin-dir", setup.plugins.string()});
    CHECK(all.exit_code == 0);
    CHECK_THAT(all.out, Catch::Contains("loaded every *.so in these folders"));
    CHECK_THAT(all.out, Catch::Contains("marker"));
    CHECK(read_file(setup.marker) == "constructor\nentry\n");
}

TEST_CASE("a configured plugin folder that does not exist is a config error") {
    TrustSetup setup;
    const std::string missing = (setup.dir / "no-such-plugins").string();
    const std::string config = setup.config("", missing);
    for (const std::vector<std::string>& args :
         std::vector<std::vector<std::string>>{{"check-config", config},
                                               {"run", "--config", config, "--once"},
                                               {"plugins", "list", "--config", config}}) {
        const CliRun run = run_cli(args);
        INFO(args[0]);
        CHECK(run.exit_code != 0);
        CHECK_THAT(run.err, Catch::Contains(config + ":3:"));
        CHECK_THAT(run.err, Catch::Contains(": plugin folder '" + missing +
                                            "' does not exist; create it, or fix or remove "
                                            "that entry"));
    }
    const CliRun parse = run_cli({"parse", "sim", config, "--plugin-dir", missing});
    CHECK(parse.exit_code == 1);
    CHECK_THAT(parse.err, Catch::Contains("--plugin-dir: plugin folder '" + missing + "'"));
}

TEST_CASE("a plugin file others may write is refused, with the fix") {
    TrustSetup setup;
    const fs::path sim = setup.plugins / "sim.so";
    REQUIRE(::chmod(sim.c_str(), 0757) == 0);
    const CliRun check = run_cli({"check-config", setup.config("")});
    CHECK(check.exit_code == 1);
    CHECK_THAT(check.err, Catch::Contains("no plugin 'sim' is loaded"));
    const CliRun list = run_cli({"plugins", "list", "--plugin-dir", setup.plugins.string()});
    CHECK_THAT(list.out, Catch::Contains(sim.string() +
                                         ": unsafe plugin file: writable by others "
                                         "(mode 0757); run chmod go-w " +
                                         sim.string()));
}

// Each line of $LH_TEST_MARKER_PARENTS is the parent of the process the marker's code ran in:
// this test for `lmharvest` itself (run_cli starts it), `lmharvest` for one of its workers.
TEST_CASE("a plugin's code runs in a worker unless the config runs a server in the host") {
    TrustSetup setup;
    const fs::path parents = setup.dir / "parents.txt";
    ::setenv("LH_TEST_MARKER_PARENTS", parents.c_str(), 1);
    const std::string this_test = std::to_string(::getpid()) + "\n";
    const auto ran_in_lmharvest = [&] {
        const std::string lines = read_file(parents);
        fs::remove(parents);
        return lines.find(this_test) != std::string::npos;
    };

    const CliRun inspect = run_cli({"plugins", "inspect", (setup.plugins / "marker.so").string()});
    INFO(inspect.err);
    CHECK(inspect.exit_code == 0);
    CHECK_THAT(inspect.out, Catch::Contains("its code ran in a worker process, not in this one") &&
                                Catch::Contains("marker"));
    REQUIRE(fs::exists(parents));
    CHECK_FALSE(ran_in_lmharvest());

    for (const std::string isolation : {"process", "none"}) {
        INFO("isolation " << isolation);
        const std::string config =
            setup.config("plugins = [\"sim\", \"marker\"]\nisolation = \"" + isolation + "\"\n");
        const CliRun list = run_cli({"plugins", "list", "--config", config});
        CHECK(list.exit_code == 0);
        CHECK_THAT(list.out, Catch::Contains("marker 1.0"));
        const CliRun check = run_cli({"check-config", config});
        CHECK(check.exit_code == 0);
        const CliRun once = run_cli({"run", "--config", config, "--once"});
        CHECK(once.exit_code == 0);
        CHECK_THAT(once.err, Catch::Contains("poll ok server=s"));
        REQUIRE(fs::exists(parents));
        CHECK(ran_in_lmharvest() == (isolation == "none"));
    }
}

TEST_CASE("a plugin that crashes when opened costs a refusal with the reason, not lmharvest") {
    const std::string crashing =
        std::string(LH_BINARY_DIR) + "/test-plugins/crashes_when_loaded/crashes_when_loaded.so";
    const CliRun inspect = run_cli({"plugins", "inspect", crashing});
    CHECK(inspect.exit_code == 1);
    CHECK_THAT(inspect.err, Catch::Contains(crashing + ": the worker that loaded it died: "));
#if !defined(__SANITIZE_ADDRESS__) // the sanitizer turns the SIGSEGV into a report and exit 1
    CHECK_THAT(inspect.err, Catch::Contains("died: SIGSEGV"));
#endif
    const CliRun list =
        run_cli({"plugins", "list", "--plugin-dir", fs::path(crashing).parent_path().string()});
    CHECK(list.exit_code == 0);
    CHECK_THAT(list.out, Catch::Contains("loaded (0):") && Catch::Contains("refused (1):") &&
                             Catch::Contains("the worker that loaded it died: "));
}
