// Handler plugins through the real loader: a 1.0 handler in C still loads and works, and a
// handler written with the C++ layer (LMHARVEST_HANDLER_PLUGIN) gets every call through the C
// table, with exceptions turned into a status and last_error.
#include "handler_calls.hpp"
#include "plugin_test_support.hpp"
#include "plugins/adapter_instance.hpp"
#include "plugins/loaded_plugin.hpp"

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <set>
#include <unistd.h>

using namespace lmharvest;
using lmharvest::test::HandlerCalls;
using lmharvest::test::table_from;
using lmharvest::test::test_plugin_dir;
using lmharvest::test::TestProcess;

namespace {

std::shared_ptr<const LoadedPlugin> load(const std::string& name) {
    auto plugin = load_plugin(test_plugin_dir(name) / (name + ".so"), run_process);
    if (!plugin)
        FAIL(plugin.error());
    return *plugin;
}

const TestProcess test_app{42, "/opt/test/bin/lh-test-app", "lh-test-app --project p"};
const TestProcess other_app{43, "/usr/bin/xterm", "xterm"};

} // namespace

TEST_CASE("a 1.0 handler in C, built against the 1.0 headers, loads and works") {
    const auto plugin = load("handler_v1_0");
    CHECK(plugin->info.abi_minor == 0);
    CHECK(plugin->info.kinds == LH_KIND_HANDLER);
    CHECK(plugin->info.capabilities == LH_CAP_SAVE_AND_CLOSE);
    CHECK(plugin->descriptor->handler->struct_size == 56);

    HandlerCalls calls(plugin, table_from(""));
    REQUIRE_FALSE(calls.is_v1_1());
    REQUIRE(calls.create() == LH_OK);
    CHECK(calls.match({7, "/opt/hello/lh-hello-app", "lh-hello-app"}) == "HELLO_FEATURE");
    lh_status status = LH_OK;
    CHECK(calls.match(other_app, &status).empty());
    CHECK(status == LH_ERR_NOT_FOUND);
    const auto saved = calls.save(7);
    CHECK(saved.status == LH_OK);
    CHECK(saved.applications == std::vector<std::string>{"Hello App 1.0"});
}

TEST_CASE("the C++ layer fills the 1.1 table from what the class has") {
    const auto plugin = load("test_handler");
    CHECK(plugin->info.name == "test_handler");
    CHECK(plugin->info.version == "1.2.3");
    CHECK(plugin->info.abi_minor == LH_ABI_MINOR);
    CHECK(plugin->info.kinds == LH_KIND_HANDLER);
    CHECK(plugin->info.capabilities == LH_CAP_SAVE_AND_CLOSE);
    const lh_handler_v1& handler = *plugin->descriptor->handler;
    CHECK(handler.struct_size == sizeof(lh_handler_v1));
    CHECK(handler.create_in != nullptr);
    CHECK(handler.features != nullptr);
    CHECK(handler.save_and_close != nullptr);
    CHECK(handler.save_and_close_by != nullptr);
    CHECK(handler.reopen != nullptr);
    CHECK(handler.activity != nullptr);

    SECTION("a class without save_and_close, reopen or activity leaves them NULL") {
        const auto bare = load("throws_in_features");
        CHECK(bare->info.capabilities == 0);
        const lh_handler_v1& table = *bare->descriptor->handler;
        CHECK(table.match != nullptr);
        CHECK(table.features != nullptr);
        CHECK(table.save_and_close == nullptr);
        CHECK(table.save_and_close_by == nullptr);
        CHECK(table.reopen == nullptr);
        CHECK(table.activity == nullptr);
    }
}

TEST_CASE("match and features reach the class with the handler's table") {
    HandlerCalls calls(load("test_handler"),
                       table_from(R"(features = ["MATLAB", "Signal_Toolbox"])"));
    REQUIRE(calls.create() == LH_OK);
    CHECK(calls.match(test_app) == "MATLAB");
    std::vector<std::string> features;
    CHECK(calls.features(test_app, features) == LH_OK);
    CHECK(features == std::vector<std::string>{"MATLAB", "Signal_Toolbox"});

    lh_status status = LH_OK;
    CHECK(calls.match(other_app, &status).empty());
    CHECK(status == LH_ERR_NOT_FOUND);
    std::vector<std::string> none;
    CHECK(calls.features(other_app, none) == LH_ERR_NOT_FOUND);
    CHECK(none.empty());
}

TEST_CASE("a constructor that throws fails create with its message") {
    HandlerCalls calls(load("test_handler"), table_from(R"(fail_create = "license.dat missing")"));
    std::string error;
    CHECK(calls.create(&error) == LH_ERR_INVALID_ARGUMENT);
    CHECK(error == "license.dat missing");
}

TEST_CASE("the 1.0 create also builds the class, without folders") {
    HandlerCalls calls(load("test_handler"), table_from(""));
    const lh_handler_v1& handler = calls.handler();
    PluginTable table = table_from("");
    void* instance = nullptr;
    const char* error = nullptr;
    REQUIRE(handler.create(reinterpret_cast<const lh_config*>(&table), &instance, &error) == LH_OK);
    lh_saved_project_sink sink{};
    std::vector<std::string> paths;
    sink.struct_size = sizeof sink;
    sink.user_data = &paths;
    sink.saved = [](void* user_data, const lh_saved_project* project) {
        static_cast<std::vector<std::string>*>(user_data)->emplace_back(project->path);
    };
    CHECK(handler.save_and_close(instance, 7, &sink) == LH_OK);
    CHECK(paths == std::vector<std::string>{"/pid-7.proj"});
    handler.destroy(instance);
}

TEST_CASE("save_and_close_by hands the class the pid, deadline, folder and reason") {
    HandlerCalls calls(load("test_handler"), table_from(""), "/state", "/home/u/saved");
    REQUIRE(calls.create() == LH_OK);

    lh_save_request request{};
    request.struct_size = sizeof request;
    request.pid = 4242;
    request.deadline_ms = 5000;
    request.saved_dir = "/run/saved";
    request.reason = "idle 47 min";
    auto saved = calls.save(4242, &request);
    CHECK(saved.status == LH_OK);
    CHECK(saved.applications ==
          std::vector<std::string>{"Test App deadline=5000 reason=idle 47 min "
                                   "setup_saved_dir=/home/u/saved"});
    CHECK(saved.paths == std::vector<std::string>{"/run/saved/pid-4242.proj"});

    SECTION("the 1.0 save_and_close gets the default deadline and the setup's folder") {
        saved = calls.save(17);
        CHECK(saved.status == LH_OK);
        CHECK(saved.applications == std::vector<std::string>{"Test App deadline=120000 reason= "
                                                             "setup_saved_dir=/home/u/saved"});
        CHECK(saved.paths == std::vector<std::string>{"/home/u/saved/pid-17.proj"});
    }
    SECTION("sdk::Error thrown on failure becomes its status and last_error") {
        request.reason = "time out";
        saved = calls.save(4242, &request);
        CHECK(saved.status == LH_ERR_TIMEOUT);
        CHECK(saved.paths.empty());
        CHECK(calls.last_error() == "no answer within 5000 ms");
    }
}

TEST_CASE("reopen reaches the class; its failure is a status and a message") {
    HandlerCalls calls(load("test_handler"), table_from(""));
    REQUIRE(calls.create() == LH_OK);
    const auto dir = std::filesystem::path(LH_BINARY_DIR) / "test-state" /
                     ("reopen-" + std::to_string(::getpid()));
    std::filesystem::remove_all(dir);
    std::filesystem::create_directories(dir);
    const std::string path = (dir / "work.proj").string();

    lh_saved_project project{};
    project.struct_size = sizeof project;
    project.application = "Test App";
    project.path = path.c_str();
    project.saved_time = 1700000000;
    CHECK(calls.handler().reopen(calls.instance(), &project) == LH_OK);
    std::ifstream file(path);
    std::string line;
    CHECK(std::getline(file, line));
    CHECK(line == "Test App");

    const std::string missing = (dir / "no-such-dir" / "work.proj").string();
    project.path = missing.c_str();
    CHECK(calls.handler().reopen(calls.instance(), &project) == LH_ERR_PERMISSION);
    CHECK(calls.last_error() == "cannot create " + missing);
}

TEST_CASE("activity reaches the class and writes only what the agent's struct holds") {
    HandlerCalls calls(load("test_handler"), table_from(""));
    REQUIRE(calls.create() == LH_OK);
    auto ask = [&](const std::string& command_line, uint32_t struct_size) {
        const TestProcess process{5, "/bin/lh-test-app", command_line};
        const lh_process_info info = process.info(); // borrows process's strings
        lh_app_activity out{};
        out.struct_size = struct_size;
        out.state = 99;
        REQUIRE(calls.handler().activity(calls.instance(), &info, &out) == LH_OK);
        return out.state;
    };
    CHECK(ask("lh-test-app --busy", sizeof(lh_app_activity)) == LH_ACTIVITY_BUSY);
    CHECK(ask("lh-test-app --waiting", sizeof(lh_app_activity)) == LH_ACTIVITY_WAITING);
    CHECK(ask("lh-test-app", sizeof(lh_app_activity)) == LH_ACTIVITY_UNKNOWN);
    CHECK(ask("lh-test-app --busy", 4) == 99);
}

TEST_CASE("feature names from match stay valid until destroy") {
    HandlerCalls calls(load("test_handler"), table_from("per_pid = true"));
    REQUIRE(calls.create() == LH_OK);
    std::vector<const char*> lent;
    for (int64_t pid = 1; pid <= 300; ++pid) {
        lent.push_back(calls.match_pointer({pid, "/bin/lh-test-app", ""}));
        REQUIRE(lent.back());
    }
    // Asking again lends the same text, not a new copy per call.
    CHECK(calls.match_pointer({1, "/bin/lh-test-app", ""}) == lent.front());
    for (int64_t pid = 1; pid <= 300; ++pid)
        CHECK(std::string(lent[pid - 1]) == "PID_" + std::to_string(pid));
}

TEST_CASE("a handler that throws in features is contained: a status and its message") {
    HandlerCalls calls(load("throws_in_features"), table_from(""));
    REQUIRE(calls.create() == LH_OK);
    lh_status status = LH_OK;
    CHECK(calls.match({9, "/bin/anything", ""}, &status).empty());
    CHECK(status == LH_ERR_GENERIC);
    CHECK(calls.last_error() == "features exploded on pid 9");
    std::vector<std::string> features;
    CHECK(calls.features({10, "/bin/anything", ""}, features) == LH_ERR_GENERIC);
    CHECK(features.empty());
    CHECK(calls.last_error() == "features exploded on pid 10");
}

TEST_CASE("one plugin can be both an adapter and a handler") {
    const auto plugin = load("adapter_and_handler");
    CHECK(plugin->info.kinds == (LH_KIND_ADAPTER | LH_KIND_HANDLER));
    CHECK(plugin->info.capabilities == (LH_CAP_POLL | LH_CAP_SAVE_AND_CLOSE));

    auto adapter = AdapterInstance::create(plugin, test::settings_for("adapter_and_handler", ""));
    REQUIRE(adapter.has_value());
    const PollSnapshot snapshot = (*adapter)->poll(1'700'000'000);
    REQUIRE(snapshot.ok);
    REQUIRE(snapshot.servers.size() == 1);
    CHECK(snapshot.servers.front().host == "27000@lic1");

    HandlerCalls calls(plugin, table_from(""));
    REQUIRE(calls.create() == LH_OK);
    CHECK(calls.match({3, "/opt/both/lh-both-app", ""}) == "BOTH_FEATURE");
    CHECK(calls.match({4, "/opt/both/other", ""}).empty());
}

TEST_CASE(
    "a process whose strings are NULL (an unreadable /proc entry) reaches the class as empty") {
    HandlerCalls calls(load("test_handler"), table_from(""));
    REQUIRE(calls.create() == LH_OK);
    lh_process_info process{};
    process.struct_size = sizeof process;
    process.pid = 11;
    const char* feature = nullptr;
    CHECK(calls.handler().match(calls.instance(), &process, &feature) == LH_ERR_NOT_FOUND);
    lh_app_activity activity{sizeof(lh_app_activity), 99};
    CHECK(calls.handler().activity(calls.instance(), &process, &activity) == LH_OK);
    CHECK(activity.state == LH_ACTIVITY_UNKNOWN);
}
