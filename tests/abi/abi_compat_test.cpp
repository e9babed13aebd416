// A host and a plugin of different ABI minors read each other's structs (see CMakeLists.txt):
// built once as the real host loading test_adapter built with the 1.1 headers, and once as the
// host's plugin code built with the 1.1 headers loading test_adapter built from the frozen 1.0
// copy. Every record, the run_process request and result, and the close result must cross.
#include "../unit/plugins/plugin_test_support.hpp"
#include "plugins/abi_sizes.hpp"
#include "plugins/loaded_plugin.hpp"

#include <catch2/catch.hpp>

using namespace lmharvest;

namespace {

#ifdef LH_COMPAT_HOST_IS_1_1
// The point of this build: the host's structs are longer than the plugin's.
static_assert(LH_ABI_MINOR == 1 && sizeof(lh_session) > size_v1_0<lh_session> &&
              sizeof(lh_process_request) > size_v1_0<lh_process_request> &&
              sizeof(lh_close_result) > offsetof(lh_close_result, retry_after_ms) + 8);
constexpr uint32_t plugin_minor = 0;
#else
static_assert(LH_ABI_MINOR == 0 && sizeof(lh_session) == size_v1_0<lh_session>);
constexpr uint32_t plugin_minor = 1;
#endif

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
