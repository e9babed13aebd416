// Adapter instances through the real loader and real test plugins: create, poll, close, and
// every way a plugin can fail without taking the host down.
#include "plugin_test_support.hpp"
#include "plugins/plugin_registry.hpp"

#include <catch2/catch.hpp>

using namespace lmharvest;
using Catch::Matchers::Contains;
using lmharvest::test::settings_for;
using lmharvest::test::test_plugin_dir;

namespace {

constexpr int64_t poll_time = 1'700'000'000;

const char* const test_table = R"(feature = "MATLAB"
vendor = "MLM"
total = 10
users = ["alice", "bob"]
linger = "90s"
version_command = ["/bin/echo", "v11.19.6"]
denied = "carol"
)";

std::shared_ptr<const LoadedPlugin> load(PluginRegistry& registry, const std::string& dir,
                                         const std::string& name) {
    registry.load_directory({test_plugin_dir(dir)});
    auto plugin = registry.find(name);
    REQUIRE(plugin);
    return plugin;
}

std::unique_ptr<AdapterInstance> create_test_adapter(PluginRegistry& registry,
                                                     const char* table = test_table) {
    auto instance = AdapterInstance::create(load(registry, "good", "test_adapter"),
                                            settings_for("test_adapter", table));
    REQUIRE(instance.has_value());
    return std::move(*instance);
}

} // namespace

TEST_CASE("a poll copies every record the plugin reports") {
    PluginRegistry registry;
    const auto instance = create_test_adapter(registry);
    const PollSnapshot snapshot = instance->poll(poll_time);

    REQUIRE(snapshot.ok);
    CHECK(snapshot.error.empty());
    CHECK(snapshot.server_id == "lic-test");
    CHECK(snapshot.poll_time == poll_time);
    CHECK(snapshot.duration_ms >= 0);

    REQUIRE(snapshot.servers.size() == 1);
    CHECK(snapshot.servers[0].host == "27000@lic1");
    CHECK(snapshot.servers[0].state == State::up);
    CHECK(snapshot.servers[0].is_master);
    CHECK(snapshot.servers[0].version == "v11.19.6"); // through the host's run_process
    CHECK(snapshot.servers[0].message.empty());

    REQUIRE(snapshot.vendors.size() == 1);
    CHECK(snapshot.vendors[0].name == "MLM");

    REQUIRE(snapshot.features.size() == 1);
    const FeatureUsage& feature = snapshot.features[0];
    CHECK(feature.vendor == "MLM");
    CHECK(feature.name == "MATLAB");
    CHECK(feature.total == 10);
    CHECK(feature.used == 2);
    CHECK(feature.expiry == "permanent");

    REQUIRE(snapshot.sessions.size() == 2);
    const Session& alice = snapshot.sessions[0];
    CHECK(alice.user == "alice");
    CHECK(alice.host == "ws-alice");
    CHECK(alice.display == ":0");
    CHECK(alice.checkout_time == poll_time - 3600);
    CHECK(alice.linger_seconds == 90);
    CHECK(alice.handle.empty()); // NULL in the record
    CHECK(alice.close_token == "tok-alice");
    CHECK(snapshot.sessions[1].user == "bob");

    REQUIRE(snapshot.denials.size() == 1);
    CHECK(snapshot.denials[0].kind == LH_DENIAL_DENIED);
    CHECK(snapshot.denials[0].user == "carol");
    CHECK(snapshot.denials[0].time == poll_time - 60);

    REQUIRE(snapshot.skipped.size() == 1);
    CHECK(snapshot.skipped[0].line == 7);
    CHECK(snapshot.skipped[0].reason == "not a line this adapter knows");
}

TEST_CASE("a poll makes room for the expected sessions before they arrive") {
    PluginRegistry registry;
    const auto instance = create_test_adapter(registry);
    const PollSnapshot hinted = instance->poll(poll_time, FailedPoll::drop, 5000);
    REQUIRE(hinted.sessions.size() == 2);
    CHECK(hinted.sessions.capacity() >= 5000); // no growth while the records came
    CHECK(hinted.sessions[1].user == "bob");

    // A hint no memory can hold is only a hint: the records still arrive.
    const PollSnapshot huge = instance->poll(poll_time, FailedPoll::drop, SIZE_MAX / 2);
    REQUIRE(huge.ok);
    REQUIRE(huge.sessions.size() == 2);
    CHECK(huge.sessions[0].user == "alice");
}

TEST_CASE("without a hint, a poll makes room for the last good poll's sessions") {
    std::string users;
    for (int i = 0; i < 100; ++i)
        users += (i ? ", \"user" : "\"user") + std::to_string(i) + '"';
    const std::string table = "feature = \"MATLAB\"\nusers = [" + users + "]\n";
    PluginRegistry registry;
    const auto instance = create_test_adapter(registry, table.c_str());
    REQUIRE(instance->poll(poll_time).sessions.size() == 100);
    const PollSnapshot next = instance->poll(poll_time + 60);
    REQUIRE(next.sessions.size() == 100);
    // Made once for all 100 (growing one by one ends at a power of two, 128).
    CHECK(next.sessions.capacity() == 100);
}

TEST_CASE("an uncounted feature has no total; a down server says why") {
    PluginRegistry registry;
    const auto instance = create_test_adapter(registry, R"(feature = "ARC/INFO"
down = true
)");
    const PollSnapshot snapshot = instance->poll(poll_time);
    REQUIRE(snapshot.ok);
    REQUIRE(snapshot.features.size() == 1);
    CHECK_FALSE(snapshot.features[0].total.has_value());
    CHECK(snapshot.features[0].vendor == "testd");
    CHECK(snapshot.sessions.empty());
    REQUIRE(snapshot.servers.size() == 1);
    CHECK(snapshot.servers[0].state == State::down);
    CHECK(snapshot.servers[0].message == "not answering");
}

TEST_CASE("create makes the state directory") {
    PluginRegistry registry;
    InstanceSettings settings = settings_for("test_adapter", test_table);
    const auto state_dir = settings.state_dir / "nested";
    settings.state_dir = state_dir;
    REQUIRE_FALSE(std::filesystem::exists(state_dir));
    REQUIRE(AdapterInstance::create(load(registry, "good", "test_adapter"), std::move(settings))
                .has_value());
    CHECK(std::filesystem::is_directory(state_dir));
}

TEST_CASE("close frees a session, then reports it gone") {
    PluginRegistry registry;
    const auto instance = create_test_adapter(registry);

    const CloseResult closed = instance->close("tok-alice");
    CHECK(closed.status == LH_OK);
    CHECK(closed.freed());
    const PollSnapshot after = instance->poll(poll_time);
    REQUIRE(after.sessions.size() == 1);
    CHECK(after.sessions[0].user == "bob");

    const CloseResult again = instance->close("tok-alice");
    CHECK(again.status == LH_ERR_ALREADY_GONE);
    CHECK(again.freed());
    CHECK(again.message == "session already ended");
}

TEST_CASE("close reports a refusal with its message and retry time") {
    PluginRegistry registry;
    const auto instance = create_test_adapter(registry);

    const CloseResult busy = instance->close("busy");
    CHECK(busy.status == LH_ERR_TOO_SOON);
    CHECK_FALSE(busy.freed());
    CHECK(busy.message == "removed too recently");
    CHECK(busy.retry_after_ms == 60000);

    const CloseResult unknown = instance->close("tok-zed");
    CHECK(unknown.status == LH_ERR_NOT_FOUND);
    CHECK(unknown.message == "no session with close token 'tok-zed'");
}

TEST_CASE("close on an adapter without CLOSE_SESSION is unsupported") {
    PluginRegistry registry;
    auto instance = AdapterInstance::create(load(registry, "throws_in_poll", "throws_in_poll"),
                                            settings_for("throws_in_poll", ""));
    REQUIRE(instance.has_value());
    const CloseResult result = (*instance)->close("anything");
    CHECK(result.status == LH_ERR_UNSUPPORTED);
    CHECK(result.message ==
          "adapter 'throws_in_poll' cannot close sessions (no capability CLOSE_SESSION)");
}

TEST_CASE("a failing create is refused with the plugin's message") {
    PluginRegistry registry;
    const auto refused = AdapterInstance::create(load(registry, "create_fails", "create_fails"),
                                                 settings_for("create_fails", "", "eng-flex"));
    REQUIRE_FALSE(refused.has_value());
    CHECK(refused.error() == "server 'eng-flex': adapter 'create_fails' refused its "
                             "configuration: address must look like port@host");
}

TEST_CASE("an exception in the C++ layer's create is refused with its text") {
    PluginRegistry registry;
    const auto refused = AdapterInstance::create(load(registry, "good", "test_adapter"),
                                                 settings_for("test_adapter", "total = 3\n"));
    REQUIRE_FALSE(refused.has_value());
    CHECK(refused.error() == "server 'lic-test': adapter 'test_adapter' refused its "
                             "configuration: key 'feature' is required");
}

TEST_CASE("keys the plugin never read are refused, all in one message") {
    PluginRegistry registry;
    const auto refused = AdapterInstance::create(
        load(registry, "good", "test_adapter"),
        settings_for("test_adapter", "feature = \"MATLAB\"\nlmutill = \"/x\"\nnested.typo = 1\n",
                     "eng-flex"));
    REQUIRE_FALSE(refused.has_value());
    CHECK(refused.error() ==
          "lmharvest.toml:2:11: unknown key 'lmutill' in [servers.test_adapter] of server "
          "'eng-flex': the test_adapter plugin does not read it\n"
          "lmharvest.toml:3:15: unknown key 'nested.typo' in [servers.test_adapter] of server "
          "'eng-flex': the test_adapter plugin does not read it");
}

TEST_CASE("an exception in poll becomes a failed snapshot") {
    PluginRegistry registry;
    auto instance = AdapterInstance::create(load(registry, "throws_in_poll", "throws_in_poll"),
                                            settings_for("throws_in_poll", ""));
    REQUIRE(instance.has_value());
    const PollSnapshot snapshot = (*instance)->poll(poll_time);
    CHECK_FALSE(snapshot.ok);
    CHECK(snapshot.error == "LH_ERR_GENERIC: lmstat printed nothing");
    CHECK(snapshot.poll_time == poll_time);
    // The instance is still usable.
    CHECK_FALSE((*instance)->poll(poll_time + 60).ok);
}

TEST_CASE("an error status from poll becomes a failed snapshot without partial records") {
    PluginRegistry registry;
    auto instance =
        AdapterInstance::create(load(registry, "returns_error_in_poll", "returns_error_in_poll"),
                                settings_for("returns_error_in_poll", ""));
    REQUIRE(instance.has_value());
    const PollSnapshot snapshot = (*instance)->poll(poll_time);
    CHECK_FALSE(snapshot.ok);
    CHECK(snapshot.error == "LH_ERR_UNAVAILABLE: license server lic1 is not reachable");
    CHECK(snapshot.features.empty());
}

TEST_CASE("records the host cannot use are skipped with their reason, never kept") {
    PluginRegistry registry;
    auto instance = AdapterInstance::create(load(registry, "bad_records", "bad_records"),
                                            settings_for("bad_records", ""));
    REQUIRE(instance.has_value());
    const PollSnapshot snapshot = (*instance)->poll(poll_time);
    REQUIRE(snapshot.ok);
    REQUIRE(snapshot.features.size() == 1);
    CHECK(snapshot.features[0].name == "GOOD");
    CHECK_FALSE(snapshot.features[0].total.has_value()); // -1: unknown, kept
    REQUIRE(snapshot.sessions.size() == 1);
    CHECK(snapshot.sessions[0].user == "alice");

    std::vector<std::string> reasons;
    for (const SkippedLine& skipped : snapshot.skipped)
        reasons.push_back(skipped.reason);
    CHECK(reasons ==
          std::vector<std::string>{
              "record not kept: feature of vendor 'testd' with an empty name",
              "record not kept: feature 'NEGATIVE_USED' of vendor 'testd': used is -2, which is "
              "negative",
              "record not kept: feature 'NEGATIVE_TOTAL' of vendor 'testd': total is -7, which "
              "is negative and not -1 (unknown)",
              "record not kept: session of user 'bob' on feature 'GOOD': count is -1, which is "
              "negative",
              "record not kept: session of user '' on feature 'GOOD': the user is empty",
              "record not kept: session of user '' on feature 'GOOD': the user is empty",
              "record not kept: session of user 'carol' on feature '': the feature is empty"});
}

TEST_CASE("a failing tool run inside poll fails only that poll") {
    PluginRegistry registry;
    const auto instance = create_test_adapter(registry, R"(feature = "MATLAB"
version_command = ["/no/such/lmutil"]
)");
    const PollSnapshot snapshot = instance->poll(poll_time);
    CHECK_FALSE(snapshot.ok);
    CHECK_THAT(snapshot.error, Contains("LH_ERR_SPAWN: version_command did not run"));
}

TEST_CASE("an instance keeps its plugin loaded after the registry is gone") {
    std::unique_ptr<AdapterInstance> instance;
    {
        PluginRegistry registry;
        instance = create_test_adapter(registry);
    }
    const PollSnapshot snapshot = instance->poll(poll_time);
    CHECK(snapshot.ok);
    CHECK(snapshot.sessions.size() == 2);
}
