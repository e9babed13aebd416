// The real flexnet.so, loaded through the host's loader with the host's own API (its config
// lookups on a real TOML table, its process runner spawning the lmutil emulator as a real process
// and killing it at timeouts).
#include "built_plugin.hpp"
#include "config/plugin_table.hpp"
#include "plugins/host_api.hpp"

#include <catch2/catch.hpp>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <lmharvest/plugin.h>
#include <string>
#include <toml++/toml.h>
#include <unistd.h>
#include <vector>

namespace fs = std::filesystem;

namespace {

const lh_plugin& plugin() {
    static const auto loaded = lmharvest::test::load_built_plugin("flexnet");
    return *loaded->descriptor;
}

// The output limit of every tool run, smaller than the host's 64 MB default: an endless tool
// hits it sooner. Set per call as AdapterInstance does.
constexpr std::size_t max_output = 1 << 20;

struct Polled {
    std::vector<std::pair<int32_t, std::string>> servers; // state, message
    std::vector<std::string> tokens;
    size_t features = 0, skipped = 0;
    std::vector<std::string> denials;
};

// A workspace: the emulator's state file (a copy of a capture) and the instance's state dir.
struct Workspace {
    fs::path dir;
    std::string state;
    toml::table config; // [servers.flexnet]
    explicit Workspace(const std::string& fixture) {
        std::string pattern = (fs::temp_directory_path() / "lh-flexnet-XXXXXX").string();
        dir = ::mkdtemp(pattern.data());
        state = (dir / "state.txt").string();
        fs::copy_file(std::string(LH_FIXTURES_DIR) + "/flexnet/" + fixture, state);
        ::setenv("LMUTIL_EMULATOR_STATE", state.c_str(), 1);
        config.insert_or_assign("lmutil", LMUTIL_EMULATOR);
    }
    ~Workspace() { fs::remove_all(dir); }
    void mode(const std::string& word) const { std::ofstream(state + ".mode") << word << '\n'; }
};

class Instance {
public:
    Instance(const Workspace& workspace, uint32_t timeout_ms = 10000)
        : table_(workspace.config, "lmharvest.toml") {
        const std::string state_dir = workspace.dir.string();
        lh_instance_config settings{};
        settings.struct_size = sizeof settings;
        settings.server_id = "test-flex";
        settings.address = "27000@myserver-GIS";
        settings.timeout_ms = timeout_ms;
        settings.state_dir = state_dir.c_str();
        settings.config = reinterpret_cast<const lh_config*>(&table_);
        const char* error = nullptr;
        REQUIRE(plugin().adapter->create(&settings, &instance_, &error) == LH_OK);
    }
    ~Instance() { plugin().adapter->destroy(instance_); }

    lh_status poll(Polled& polled) {
        lh_poll_sink sink{};
        sink.struct_size = sizeof sink;
        sink.user_data = &polled;
        sink.server = [](void* p, const lh_server_status* r) {
            static_cast<Polled*>(p)->servers.emplace_back(r->state, r->message ? r->message : "");
        };
        sink.feature = [](void* p, const lh_feature*) { ++static_cast<Polled*>(p)->features; };
        sink.session = [](void* p, const lh_session* r) {
            static_cast<Polled*>(p)->tokens.emplace_back(r->close_token);
        };
        sink.skipped = [](void* p, const lh_skipped_line*) { ++static_cast<Polled*>(p)->skipped; };
        sink.denial = [](void* p, const lh_denial* r) {
            static_cast<Polled*>(p)->denials.push_back(std::string(r->user) + " " + r->feature);
        };
        lh_poll_request request{};
        request.struct_size = sizeof request;
        request.poll_time = 1563000000;
        const lmharvest::ProcessLimitScope limit(max_output);
        return plugin().adapter->poll(instance_, &request, &sink);
    }
    lh_status close(const std::string& token, int64_t* retry_after = nullptr) {
        lh_close_result result{};
        result.struct_size = sizeof result;
        const lmharvest::ProcessLimitScope limit(max_output);
        const lh_status status = plugin().adapter->close_session(instance_, token.c_str(), &result);
        if (retry_after)
            *retry_after = result.retry_after_ms;
        return status;
    }
    std::string last_error() const { return plugin().adapter->last_error(instance_); }

private:
    lmharvest::PluginTable table_; // read by the plugin while the instance lives
    void* instance_ = nullptr;
};

} // namespace

TEST_CASE("flexnet.so declares polling, closing and denials") {
    CHECK(std::string(plugin().name) == "flexnet");
    CHECK(plugin().capabilities == (LH_CAP_POLL | LH_CAP_CLOSE_SESSION | LH_CAP_DENIALS));
}

TEST_CASE("poll, close by handle, poll again: the session is gone") {
    Workspace workspace("14-wildsong-arcgis-garbled-display.txt");
    Instance instance(workspace);
    Polled before;
    REQUIRE(instance.poll(before) == LH_OK);
    CHECK(before.features == 11);
    CHECK(before.skipped == 1);
    REQUIRE(before.tokens.size() == 3);
    REQUIRE(instance.close(before.tokens[0]) == LH_OK);
    Polled after;
    REQUIRE(instance.poll(after) == LH_OK);
    CHECK(after.tokens == std::vector<std::string>(before.tokens.begin() + 1, before.tokens.end()));
    CHECK(instance.close(before.tokens[0]) == LH_ERR_ALREADY_GONE);
    CHECK(instance.close("not a token") == LH_ERR_INVALID_ARGUMENT);
}

TEST_CASE("lmremove refusals map to their statuses") {
    Workspace workspace("08-flexlm-exporter-app8-saltd.txt");
    Instance instance(workspace);
    Polled polled;
    REQUIRE(instance.poll(polled) == LH_OK);
    REQUIRE_FALSE(polled.tokens.empty());
    int64_t retry = 0;
    workspace.mode("too_soon");
    CHECK(instance.close(polled.tokens[0], &retry) == LH_ERR_TOO_SOON);
    CHECK(retry == 120000);
    workspace.mode("not_admin");
    CHECK(instance.close(polled.tokens[0]) == LH_ERR_PERMISSION);
    CHECK(instance.last_error().find("not a license administrator") != std::string::npos);
    workspace.mode("linger");
    CHECK(instance.close(polled.tokens[0]) == LH_ERR_LINGERING);
}

TEST_CASE("a down server is a status; a failing or hung lmutil fails the poll") {
    Workspace workspace("08-flexlm-exporter-app8-saltd.txt");
    Instance instance(workspace, 700);
    workspace.mode("down");
    Polled down;
    REQUIRE(instance.poll(down) == LH_OK);
    REQUIRE(down.servers.size() == 1);
    CHECK(down.servers[0].first == LH_STATE_DOWN);
    CHECK(down.servers[0].second.find("Connection refused") != std::string::npos);
    workspace.mode("fail");
    Polled failed;
    CHECK(instance.poll(failed) == LH_ERR_GENERIC);
    CHECK_THAT(instance.last_error(), Catch::Contains("no output") &&
                                          Catch::Contains("exited with status 1") &&
                                          Catch::Contains("emulated failure"));
    workspace.mode("hang");
    Polled hung;
    CHECK(instance.poll(hung) == LH_ERR_TIMEOUT);
    CHECK(instance.last_error().find("killed") != std::string::npos);
    workspace.mode("normal");
    Polled back;
    REQUIRE(instance.poll(back) == LH_OK);
    CHECK(back.tokens.size() == 4);
}

TEST_CASE("output that is no answer fails the poll with the reason; the next good one recovers") {
    Workspace workspace("08-flexlm-exporter-app8-saltd.txt");
    Instance instance(workspace, 3000);
    const std::vector<std::pair<std::string, std::string>> modes = {
        {"empty", "no output"},
        {"header", "no license server status"},
        {"random", "no license server status"},
        {"cut", "cut in feature 'msimhdlsim'"},
        {"cut_line", "cut in the middle of line"},
        {"endless", "stopped by the host"}};
    for (const auto& [mode, reason] : modes) {
        INFO(mode);
        workspace.mode(mode);
        Polled polled;
        CHECK(instance.poll(polled) == LH_ERR_GENERIC);
        CHECK_THAT(instance.last_error(), Catch::Contains(reason));
    }
    workspace.mode("normal");
    Polled back;
    REQUIRE(instance.poll(back) == LH_OK);
    CHECK(back.tokens.size() == 4);
}

TEST_CASE("a missing lmutil is a spawn error") {
    Workspace workspace("08-flexlm-exporter-app8-saltd.txt");
    workspace.config.insert_or_assign("lmutil", (workspace.dir / "no-such-lmutil").string());
    Instance instance(workspace);
    Polled polled;
    CHECK(instance.poll(polled) == LH_ERR_SPAWN);
}

TEST_CASE("denials come from new debug-log lines, each once") {
    Workspace workspace("08-flexlm-exporter-app8-saltd.txt");
    const std::string log = (workspace.dir / "saltd.log").string();
    std::ofstream(log) << "10:00:00 (saltd) TIMESTAMP 7/13/2019\n"
                          "10:00:01 (saltd) DENIED: \"msimhdlsim\" ann@ws1  (Licensed number of "
                          "users already reached. (-4,342))\n";
    workspace.config.insert_or_assign("debug_log", log);
    workspace.config.insert_or_assign("debug_log_from_start", true);
    {
        Instance instance(workspace);
        Polled first;
        REQUIRE(instance.poll(first) == LH_OK);
        CHECK(first.denials == std::vector<std::string>{"ann msimhdlsim"});
        Polled second;
        REQUIRE(instance.poll(second) == LH_OK);
        CHECK(second.denials.empty());
    }
    std::ofstream(log, std::ios::app)
        << "10:05:00 (saltd) OUT: \"msimhdlsim\" bob@ws2\n"
           "10:05:02 (saltd) DENIED: \"msimhdlsim\" cy@ws3  (Licensed number of users already "
           "reached. (-4,342))\n";
    Instance restarted(workspace);
    Polled third;
    REQUIRE(restarted.poll(third) == LH_OK);
    CHECK(third.denials == std::vector<std::string>{"cy msimhdlsim"});
}
