// Handlers in worker processes: the agent gets the same answers as from the handler in its own
// process, and a handler that aborts or hangs costs one call and its worker, never the agent.
#include "../plugins/plugin_test_support.hpp"
#include "agent/handler_instance.hpp"
#include "isolation/handler_worker_client.hpp"
#include "plugins/loaded_plugin.hpp"

#include <catch2/catch.hpp>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <unistd.h>

using namespace lmharvest;
using lmharvest::agent::HandlerActivity;
using lmharvest::agent::HandlerInstance;
using lmharvest::agent::HandlerSettings;
using lmharvest::agent::ProcessFacts;
using lmharvest::test::table_from;
using lmharvest::test::test_plugin_dir;

namespace {

using namespace std::chrono_literals;

std::filesystem::path plugin_file(const std::string& name) {
    return test_plugin_dir(name) / (name + ".so");
}

HandlerSettings settings_for(const std::string& name, std::string_view table) {
    const auto base = std::filesystem::path(LH_BINARY_DIR) / "test-state" /
                      ("handler-worker-" + std::to_string(::getpid())) / name;
    std::filesystem::remove_all(base);
    return {name, table_from(table), base / "state", base / "saved"};
}

enum class Where { here, worker };

Expected<std::unique_ptr<HandlerInstance>> create(Where where, const std::string& name,
                                                  std::string_view table) {
    HandlerSettings settings = settings_for(name, table);
    if (where == Where::worker)
        return isolation::start_handler_worker(plugin_file(name), std::move(settings));
    auto plugin = load_plugin(plugin_file(name), run_process);
    if (!plugin)
        return unexpected(plugin.error());
    return HandlerInstance::create(std::move(*plugin), std::move(settings));
}

std::unique_ptr<HandlerInstance> require(Expected<std::unique_ptr<HandlerInstance>> handler) {
    if (!handler)
        FAIL(handler.error());
    return std::move(*handler);
}

ProcessFacts process(int64_t pid, std::string executable, std::string command_line) {
    return {pid, std::move(executable), std::move(command_line), "alice", ":0"};
}

std::string file_text(const std::filesystem::path& path) {
    std::ifstream file(path);
    std::stringstream text;
    text << file.rdbuf();
    return text.str();
}

} // namespace

TEST_CASE("a handler in a worker answers as the same handler in this process") {
    const Where where = GENERATE(Where::here, Where::worker);
    CAPTURE(where == Where::here ? "here" : "worker");
    auto handler = require(create(where, "test_handler", R"(features = ["MATLAB", "Simulink"])"));
    const ProcessFacts app = process(42, "/opt/test/bin/lh-test-app", "lh-test-app busy");

    CHECK(handler->name() == "test_handler");
    CHECK(handler->features(app) == std::vector<std::string>{"MATLAB", "Simulink"});
    CHECK(handler->features(process(43, "/usr/bin/xterm", "xterm")).empty());
    CHECK(handler->activity(app) == HandlerActivity::busy);
    CHECK(handler->activity(process(42, "/opt/test/bin/lh-test-app", "waiting")) ==
          HandlerActivity::waiting);
    CHECK(handler->can_save());
    CHECK(handler->can_reopen());

    auto saved = handler->save_and_close(42, 10s, "idle 25 min");
    REQUIRE(saved);
    REQUIRE(saved->size() == 1);
    CHECK(saved->front().path.ends_with("/saved/pid-42.proj"));
    CHECK(saved->front().app.starts_with("Test App deadline=7500 reason=idle 25 min"));
    CHECK(saved->front().saved_time == 1700000000);

    auto failed = handler->save_and_close(42, 10s, "time out");
    REQUIRE_FALSE(failed);
    CHECK_THAT(failed.error(), Catch::Contains("no answer within 7500 ms"));

    const SavedProject project{"Test App", saved->front().path, 1700000000};
    REQUIRE(handler->reopen(project));
    CHECK(file_text(project.path) == "Test App\n");
}

TEST_CASE("a handler worker refuses what the handler in this process refuses") {
    const Where where = GENERATE(Where::here, Where::worker);
    CAPTURE(where == Where::here ? "here" : "worker");

    SECTION("a key the plugin never read, with its place in the file") {
        auto handler = create(where, "test_handler", "featurs = [\"A\"]");
        REQUIRE_FALSE(handler);
        CHECK_THAT(handler.error(), Catch::Contains("lmharvest.toml:1:11: unknown key 'featurs' "
                                                    "in [handlers.test_handler]"));
    }
    SECTION("a constructor that throws") {
        auto handler = create(where, "test_handler", "fail_create = \"no licence file\"");
        REQUIRE_FALSE(handler);
        CHECK_THAT(handler.error(), Catch::StartsWith("handler 'test_handler': refused its "
                                                      "configuration") &&
                                        Catch::Contains("no licence file"));
    }
    SECTION("a plugin that is no handler") {
        const auto adapter = test_plugin_dir("good") / "test_adapter.so";
        HandlerSettings settings = settings_for("test_adapter", "");
        auto handler = isolation::start_handler_worker(adapter, std::move(settings));
        if (where == Where::here) {
            auto plugin = load_plugin(adapter, run_process);
            REQUIRE(plugin);
            handler = HandlerInstance::create(*plugin, settings_for("test_adapter", ""));
        }
        REQUIRE_FALSE(handler);
        CHECK_THAT(handler.error(), Catch::Contains("is not a handler"));
    }
}

TEST_CASE("a handler that aborts in save_and_close costs its worker, not the agent") {
    auto handler = require(create(Where::worker, "faulty_handler", ""));
    const ProcessFacts app = process(42, "/usr/bin/octave-cli", "octave-cli");
    REQUIRE(handler->features(app) == std::vector<std::string>{"FAULTY"});

    auto saved = handler->save_and_close(42, 10s, "idle");
    REQUIRE_FALSE(saved);
    CHECK_THAT(saved.error(), Catch::Contains("worker died: SIGABRT in save_and_close") &&
                                  Catch::Contains("the app was left as it is"));
    // The next call starts a new worker, which answers as the first did.
    CHECK(handler->features(app) == std::vector<std::string>{"FAULTY"});
}

TEST_CASE("a handler that hangs in features is killed after 5 s; the next call gets a new one") {
    auto handler = require(create(Where::worker, "faulty_handler", "hang_pid = 7"));
    const auto started = std::chrono::steady_clock::now();
    CHECK(handler->features(process(7, "/usr/bin/octave-cli", "octave-cli")).empty());
    const auto waited = std::chrono::steady_clock::now() - started;
    CHECK(waited >= 5s);
    CHECK(waited < 15s); // a bound on the behaviour (killed at its limit), not a benchmark
    CHECK(handler->features(process(42, "/usr/bin/octave-cli", "octave-cli")) ==
          std::vector<std::string>{"FAULTY"});
}

TEST_CASE("an app a handler worker reopens inherits no limit the agent does not have") {
    rlimit own{};
    ::getrlimit(RLIMIT_AS, &own);
    const std::string own_address_space =
        own.rlim_cur == RLIM_INFINITY ? "unlimited" : std::to_string(own.rlim_cur);
    const std::string own_privs = std::to_string(::prctl(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0));
    const auto project_path = std::filesystem::path(LH_BINARY_DIR) / "test-state" /
                              ("reopened-" + std::to_string(::getpid()) + ".txt");

    auto handler = require(create(Where::worker, "faulty_handler", ""));
    REQUIRE(handler->reopen({"Faulty", project_path.string(), 0}));
    CHECK(file_text(project_path) ==
          "address_space=" + own_address_space + " no_new_privs=" + own_privs + "\n");

    if (isolation::address_space_limited) {
        // The adapters' worker settings would limit it: the check above can tell.
        auto limited = isolation::start_handler_worker(plugin_file("faulty_handler"),
                                                       settings_for("faulty_handler", ""), {});
        REQUIRE(limited);
        REQUIRE((*limited)->reopen({"Faulty", project_path.string(), 0}));
        CHECK(file_text(project_path) ==
              "address_space=" + std::to_string(512u << 20) + " no_new_privs=1\n");
    }
}
