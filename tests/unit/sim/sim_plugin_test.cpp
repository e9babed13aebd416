// Loads the built sim.so the way the host does (dlopen, the one entry symbol, the C vtable) with
// a minimal host API written here, so the plugin is tested across the real ABI boundary.
#include "simulated_server.hpp"

#include <catch2/catch.hpp>
#include <chrono>
#include <dlfcn.h>
#include <lmharvest/plugin.h>
#include <map>
#include <pwd.h>
#include <set>
#include <string>
#include <unistd.h>
#include <variant>
#include <vector>

namespace {

constexpr int64_t plugin_start_time = 1739181960; // the plugin's clock at the start of a test
const char* const triad = "27000@lic1,27000@lic2,27000@lic3";

using Value = std::variant<int64_t, bool, std::string>;

// The plugin's TOML table, and the keys it asked for.
struct FakeTable {
    std::map<std::string, Value> values;
    mutable std::set<std::string> asked;
};

// Looks `key` up as a T and hands it out converted to what the C API returns.
template <class T, class Out, class Convert>
lh_status lookup(const lh_config* config, const char* key, Out* out, Convert convert) {
    const auto& table = *reinterpret_cast<const FakeTable*>(config);
    table.asked.insert(key);
    const auto found = table.values.find(key);
    if (found == table.values.end())
        return LH_ERR_NOT_FOUND;
    const T* value = std::get_if<T>(&found->second);
    if (!value)
        return LH_ERR_WRONG_TYPE;
    *out = convert(*value);
    return LH_OK;
}

lh_host_api make_host_api() {
    lh_host_api api{};
    api.struct_size = sizeof api;
    api.abi_major = LH_ABI_MAJOR;
    api.abi_minor = LH_ABI_MINOR;
    api.host_version = "sim-test";
    api.log = [](const lh_host_api*, int32_t, const char*) {};
    api.config_get_string = [](const lh_host_api*, const lh_config* config, const char* key,
                               const char** out) {
        return lookup<std::string>(config, key, out,
                                   [](const std::string& v) { return v.c_str(); });
    };
    api.config_get_int = [](const lh_host_api*, const lh_config* config, const char* key,
                            int64_t* out) {
        return lookup<int64_t>(config, key, out, [](int64_t v) { return v; });
    };
    api.config_get_bool = [](const lh_host_api*, const lh_config* config, const char* key,
                             int32_t* out) {
        return lookup<bool>(config, key, out, [](bool v) { return v ? 1 : 0; });
    };
    api.monotonic_ms = [](const lh_host_api*) -> int64_t {
        using namespace std::chrono;
        return duration_cast<milliseconds>(steady_clock::now().time_since_epoch()).count();
    };
    return api;
}

// Loaded once and never unloaded, as the host does.
const lh_plugin* sim_plugin() {
    static const lh_host_api api = make_host_api();
    static const lh_plugin* plugin = [] {
        void* library = dlopen(LH_PLUGIN_BUILD_DIR "/sim.so", RTLD_NOW | RTLD_LOCAL);
        INFO("dlopen: " << (library ? "" : dlerror()));
        REQUIRE(library);
        auto entry = reinterpret_cast<lh_plugin_entry_fn>(dlsym(library, LH_PLUGIN_ENTRY_NAME));
        REQUIRE(entry);
        return entry(&api);
    }();
    return plugin;
}

struct PolledServer {
    std::string host;
    int32_t state;
    int32_t is_master;
};

// Copies of what a poll reported; the records' strings are only borrowed.
struct Polled {
    std::vector<PolledServer> servers;
    std::vector<std::string> vendors;
    std::vector<std::string> features;
    std::vector<lmharvest::sim::SimSession> sessions;
};

std::string text(const char* value) {
    return value ? value : "";
}

lh_poll_sink sink_into(Polled& polled) {
    lh_poll_sink sink{};
    sink.struct_size = sizeof sink;
    sink.user_data = &polled;
    sink.server = [](void* data, const lh_server_status* record) {
        static_cast<Polled*>(data)->servers.push_back(
            {text(record->host), record->state, record->is_master});
    };
    sink.vendor = [](void* data, const lh_vendor_status* record) {
        static_cast<Polled*>(data)->vendors.push_back(text(record->name));
    };
    sink.feature = [](void* data, const lh_feature* record) {
        static_cast<Polled*>(data)->features.push_back(text(record->name));
    };
    sink.session = [](void* data, const lh_session* record) {
        lmharvest::sim::SimSession session;
        session.feature = text(record->feature);
        session.version = text(record->version);
        session.user = text(record->user);
        session.host = text(record->host);
        session.display = text(record->display);
        session.host_ip = text(record->host_ip);
        session.count = record->count;
        session.checkout_time = record->checkout_time;
        session.borrow_expiry = record->borrow_expiry;
        session.pid = record->pid;
        session.server = text(record->server);
        session.handle = text(record->handle);
        session.close_token = text(record->close_token);
        static_cast<Polled*>(data)->sessions.push_back(session);
    };
    return sink;
}

// One instance of the plugin on one fake [[servers]] entry.
class PluginInstance {
public:
    explicit PluginInstance(std::map<std::string, Value> values, const char* address = triad) {
        table_.values = std::move(values);
        config_.struct_size = sizeof config_;
        config_.server_id = "sim-test";
        config_.address = address;
        config_.config = reinterpret_cast<const lh_config*>(&table_);
        const char* error = nullptr;
        status_ = adapter().create(&config_, &instance_, &error);
        error_ = text(error);
    }
    ~PluginInstance() {
        if (instance_)
            adapter().destroy(instance_);
    }
    PluginInstance(const PluginInstance&) = delete;
    PluginInstance& operator=(const PluginInstance&) = delete;

    lh_status create_status() const { return status_; }
    const std::string& create_error() const { return error_; }
    const std::set<std::string>& keys_asked() const { return table_.asked; }

    lh_status poll(int64_t poll_time, Polled& polled) {
        lh_poll_request request{};
        request.struct_size = sizeof request;
        request.poll_time = poll_time;
        const lh_poll_sink sink = sink_into(polled);
        return adapter().poll(instance_, &request, &sink);
    }
    lh_status close(const std::string& token) {
        lh_close_result result{};
        result.struct_size = sizeof result;
        return adapter().close_session(instance_, token.c_str(), &result);
    }
    std::string last_error() const { return adapter().last_error(instance_); }

private:
    static const lh_adapter_v1& adapter() { return *sim_plugin()->adapter; }

    FakeTable table_;
    lh_instance_config config_{};
    void* instance_ = nullptr;
    lh_status status_ = LH_ERR_GENERIC;
    std::string error_;
};

} // namespace

TEST_CASE("sim.so describes itself as an adapter that polls and closes sessions") {
    const lh_plugin* plugin = sim_plugin();
    REQUIRE(plugin);
    CHECK(plugin->struct_size == sizeof(lh_plugin));
    CHECK(plugin->abi_major == 1);
    CHECK(plugin->abi_minor == LH_ABI_MINOR);
    CHECK(std::string(plugin->name) == "sim");
    CHECK_FALSE(std::string(plugin->version).empty());
    CHECK(plugin->kinds == LH_KIND_ADAPTER);
    CHECK(plugin->capabilities == (LH_CAP_POLL | LH_CAP_CLOSE_SESSION));
    REQUIRE(plugin->adapter);
    CHECK(plugin->handler == nullptr);
    CHECK(plugin->adapter->struct_size == sizeof(lh_adapter_v1));
    CHECK(plugin->adapter->create);
    CHECK(plugin->adapter->destroy);
    CHECK(plugin->adapter->poll);
    CHECK(plugin->adapter->close_session);
    CHECK(plugin->adapter->last_error);
}

TEST_CASE("sim.so reads every key of its table when an instance is created") {
    PluginInstance instance({});
    REQUIRE(instance.create_status() == LH_OK);
    CHECK(instance.keys_asked() == std::set<std::string>{"seed", "features", "users", "churn",
                                                         "vendor", "fail_every", "down",
                                                         "visitor"});
}

TEST_CASE("a poll through the C vtable reports what the generator holds") {
    PluginInstance instance({{"seed", int64_t{7}},
                             {"vendor", std::string("MLM")},
                             {"features", int64_t{5}},
                             {"users", int64_t{40}}});
    REQUIRE(instance.create_status() == LH_OK);
    Polled polled;
    REQUIRE(instance.poll(plugin_start_time, polled) == LH_OK);

    lmharvest::sim::SimSettings settings;
    settings.seed = 7;
    settings.vendor = "MLM";
    settings.features = 5;
    settings.users = 40;
    settings.address = triad;
    lmharvest::sim::SimulatedServer expected(settings);
    expected.step_to(plugin_start_time);

    REQUIRE(polled.servers.size() == 3);
    CHECK(polled.servers[0].host == "lic1");
    CHECK(polled.servers[2].host == "lic3");
    CHECK(polled.servers[0].is_master == 1);
    CHECK(polled.servers[0].state == LH_STATE_UP);
    CHECK(polled.vendors == std::vector<std::string>{"MLM"});
    CHECK(polled.features.size() == 5);
    REQUIRE_FALSE(polled.sessions.empty());
    CHECK(polled.sessions == expected.snapshot().sessions);

    SECTION("close_session frees a session once, then reports it already gone") {
        const std::string token = polled.sessions.front().close_token;
        CHECK(instance.close(token) == LH_OK);
        CHECK(instance.close(token) == LH_ERR_ALREADY_GONE);
        CHECK_THAT(instance.last_error(), Catch::Contains(token));
        Polled again;
        REQUIRE(instance.poll(plugin_start_time, again) == LH_OK);
        CHECK(again.sessions.size() == polled.sessions.size() - 1);
    }
}

TEST_CASE("fail_every makes every Nth poll fail as an unavailable server") {
    PluginInstance instance({{"fail_every", int64_t{2}}});
    REQUIRE(instance.create_status() == LH_OK);
    Polled first, second, third;
    CHECK(instance.poll(plugin_start_time, first) == LH_OK);
    CHECK(instance.poll(plugin_start_time + 60, second) == LH_ERR_UNAVAILABLE);
    CHECK_THAT(instance.last_error(), Catch::Contains("fail_every = 2"));
    CHECK(second.sessions.empty());
    CHECK(instance.poll(plugin_start_time + 120, third) == LH_OK);
    CHECK_FALSE(third.sessions.empty());
}

TEST_CASE("down = true reports every server down") {
    PluginInstance instance({{"down", true}});
    REQUIRE(instance.create_status() == LH_OK);
    Polled polled;
    REQUIRE(instance.poll(plugin_start_time, polled) == LH_OK);
    REQUIRE(polled.servers.size() == 3);
    for (const PolledServer& server : polled.servers)
        CHECK(server.state == LH_STATE_DOWN);
    CHECK(polled.features.empty());
    CHECK(polled.sessions.empty());
}

TEST_CASE("create refuses a wrongly typed or impossible setting with a message") {
    SECTION("a key of the wrong type") {
        PluginInstance instance({{"seed", std::string("seven")}});
        CHECK(instance.create_status() == LH_ERR_WRONG_TYPE);
        CHECK_THAT(instance.create_error(), Catch::Contains("'seed'"));
    }
    SECTION("a value the simulation cannot honour") {
        PluginInstance instance({{"vendor", std::string("NOPE")}});
        CHECK(instance.create_status() == LH_ERR_INVALID_ARGUMENT);
        CHECK_THAT(instance.create_error(), Catch::Contains("unknown vendor 'NOPE'"));
    }
    SECTION("an int too large for the setting") {
        PluginInstance instance({{"users", int64_t{1} << 40}});
        CHECK(instance.create_status() == LH_ERR_INVALID_ARGUMENT);
        CHECK_THAT(instance.create_error(), Catch::Contains("'users'"));
    }
    SECTION("a negative fail_every") {
        PluginInstance instance({{"fail_every", int64_t{-1}}});
        CHECK(instance.create_status() == LH_ERR_INVALID_ARGUMENT);
        CHECK_THAT(instance.create_error(), Catch::Contains("fail_every"));
    }
}

TEST_CASE("visitor = FEATURE: one license of it, held by the user running the plugin on this "
          "machine from the first poll; closed, it stays free") {
    PluginInstance instance({{"visitor", std::string("MATLAB")}}, "27000@sim-desk");
    REQUIRE(instance.create_status() == LH_OK);
    Polled first;
    REQUIRE(instance.poll(plugin_start_time, first) == LH_OK);
    CHECK(first.vendors == std::vector<std::string>{"MLM"});
    CHECK(first.features == std::vector<std::string>{"MATLAB"});
    REQUIRE(first.sessions.size() == 1);
    const lmharvest::sim::SimSession& seat = first.sessions[0];
    CHECK(seat.user == ::getpwuid(::geteuid())->pw_name);
    char host[256] = {};
    ::gethostname(host, sizeof host - 1);
    CHECK(seat.host == host);
    CHECK(seat.checkout_time == plugin_start_time);
    CHECK(seat.server == "sim-desk/27000");

    Polled later;
    REQUIRE(instance.poll(plugin_start_time + 3600, later) == LH_OK);
    CHECK(later.sessions == first.sessions); // the visitor keeps it: no churn

    CHECK(instance.close(seat.close_token) == LH_OK);
    CHECK(instance.close(seat.close_token) == LH_ERR_ALREADY_GONE);
    Polled closed;
    REQUIRE(instance.poll(plugin_start_time + 3660, closed) == LH_OK);
    CHECK(closed.features == std::vector<std::string>{"MATLAB"});
    CHECK(closed.sessions.empty());
}

TEST_CASE("a visitor's server is one host of a known vendor") {
    PluginInstance triad_server({{"visitor", std::string("MATLAB")}});
    CHECK(triad_server.create_status() == LH_ERR_INVALID_ARGUMENT);
    CHECK_THAT(triad_server.create_error(), Catch::Contains("one host"));
    PluginInstance unknown({{"visitor", std::string("MATLAB")}, {"vendor", std::string("XYZ")}},
                           "27000@sim-desk");
    CHECK(unknown.create_status() == LH_ERR_INVALID_ARGUMENT);
    CHECK_THAT(unknown.create_error(), Catch::Contains("XYZ"));
    PluginInstance empty({{"visitor", std::string("")}}, "27000@sim-desk");
    CHECK(empty.create_status() == LH_ERR_INVALID_ARGUMENT);
}
