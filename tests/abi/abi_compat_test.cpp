// A host and a plugin of different ABI minors read each other's structs (see CMakeLists.txt):
// built once as the real host loading test_adapter built with the next minor's headers, and once
// as the host's plugin code built with those headers loading test_adapter built from the frozen
// 1.0 copy. Every record, the run_process request and result, and the close result must cross.
#include "../unit/plugins/handler_calls.hpp"
#include "../unit/plugins/plugin_test_support.hpp"
#include "plugins/abi_sizes.hpp"
#include "plugins/loaded_plugin.hpp"

#include <catch2/catch.hpp>

using namespace lmharvest;

namespace {

#ifdef LH_COMPAT_HOST_IS_NEXT
// The point of this build: the host's structs are longer than the plugin's.
static_assert(sizeof(lh_session) > size_v1_0<lh_session> &&
              sizeof(lh_process_request) > size_v1_0<lh_process_request> &&
              sizeof(lh_close_result) > offsetof(lh_close_result, retry_after_ms) + 8);
#else
// ... and here the plugin's are longer than the host's, whose adapter records are still 1.0's.
static_assert(LH_ABI_MINOR < LH_COMPAT_PLUGIN_MINOR && sizeof(lh_session) == size_v1_0<lh_session>);
#endif
constexpr uint32_t plugin_minor = LH_COMPAT_PLUGIN_MINOR;

const char* const table = R"(feature = "MATLAB"
vendor = "MLM"
total = 10
users = ["alice", "bob"]
version_command = ["/bin/echo", "v11.19.6"]
denied = "carol"
)";

std::unique_ptr<AdapterInstance> create_instance() {
    const auto file = test::test_plugin_dir(LH_COMPAT_PLUGIN_CASE) / "test_adapter.so";
    auto plugin = load_plugin(file, run_process);
    REQUIRE(plugin.has_value());
    CHECK((*plugin)->info.abi_minor == plugin_minor);
    auto instance =
        AdapterInstance::create(*plugin, test::settings_for("test_adapter", table, "abi-compat"));
    REQUIRE(instance.has_value());
    return std::move(*instance);
}

} // namespace

TEST_CASE("every record of a plugin of another minor is read") {
    const auto instance = create_instance();
    const PollSnapshot snapshot = instance->poll(1'700'000'000);
    REQUIRE(snapshot.ok);
    // Only the plugin's own skipped line: no record was refused for its struct_size.
    REQUIRE(snapshot.skipped.size() == 1);
    CHECK(snapshot.skipped[0].reason == "not a line this adapter knows");

    REQUIRE(snapshot.servers.size() == 1);
    CHECK(snapshot.servers[0].version == "v11.19.6"); // run_process request and result crossed
    REQUIRE(snapshot.vendors.size() == 1);
    CHECK(snapshot.vendors[0].name == "MLM");
    REQUIRE(snapshot.features.size() == 1);
    CHECK(snapshot.features[0].name == "MATLAB");
    CHECK(snapshot.features[0].total == 10);
    CHECK(snapshot.features[0].used == 2);
    REQUIRE(snapshot.sessions.size() == 2);
    CHECK(snapshot.sessions[0].user == "alice");
    CHECK(snapshot.sessions[1].close_token == "tok-bob"); // the last 1.0 field
    REQUIRE(snapshot.denials.size() == 1);
    CHECK(snapshot.denials[0].count == 1); // the last 1.0 field
}

TEST_CASE("the close result crosses between minors") {
    const auto instance = create_instance();
    const CloseResult busy = instance->close("busy");
    CHECK(busy.status == LH_ERR_TOO_SOON);
    CHECK(busy.retry_after_ms == 60000);
    CHECK(instance->close("tok-alice").freed());
}

#ifdef LH_COMPAT_HOST_IS_NEXT
TEST_CASE("a host of the next minor loads and calls a 1.0 handler") {
    auto plugin = load_plugin(test::test_plugin_dir("abi_v1_0") / "handler_v1_0.so", run_process);
    REQUIRE(plugin.has_value());
    CHECK((*plugin)->info.abi_minor == 0);
    test::HandlerCalls calls(*plugin, test::table_from(""));
    REQUIRE_FALSE(calls.is_v1_1()); // so create, match and save_and_close of 1.0
    REQUIRE(calls.create() == LH_OK);
    CHECK(calls.match({7, "/opt/hello/lh-hello-app", ""}) == "HELLO_FEATURE");
    CHECK(calls.save(7).applications == std::vector<std::string>{"Hello App 1.0"});
}
#else
TEST_CASE("the host loads and calls a handler of the next minor") {
    auto plugin = load_plugin(test::test_plugin_dir("abi_next") / "test_handler.so", run_process);
    REQUIRE(plugin.has_value());
    CHECK((*plugin)->info.abi_minor == plugin_minor);
    CHECK((*plugin)->descriptor->handler->struct_size > sizeof(lh_handler_v1));
    test::HandlerCalls calls(*plugin, test::table_from(R"(features = ["A", "B"])"));
    REQUIRE(calls.create() == LH_OK);
    std::vector<std::string> features;
    CHECK(calls.features({3, "/bin/lh-test-app", ""}, features) == LH_OK);
    CHECK(features == std::vector<std::string>{"A", "B"});
    lh_save_request request{};
    request.struct_size = sizeof request;
    request.pid = 3;
    request.deadline_ms = 900;
    request.saved_dir = "/saved";
    request.reason = "idle";
    const auto saved = calls.save(3, &request);
    CHECK(saved.status == LH_OK);
    CHECK(saved.paths == std::vector<std::string>{"/saved/pid-3.proj"});
}
#endif
