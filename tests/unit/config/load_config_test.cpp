#include "config/config.hpp"
#include "config_messages.hpp"

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>

using namespace lmharvest;
using namespace std::chrono_literals;

using lmharvest::test::all_messages;

namespace {

Config load_ok(const std::filesystem::path& path) {
    auto config = load_config(path);
    INFO((config ? "" : all_messages(config.error())));
    REQUIRE(config.has_value());
    return std::move(config).value();
}

std::string plugin_string(const PluginTable& table, std::string_view key) {
    const char* value = nullptr;
    REQUIRE(table.get_string(key, value) == Lookup::ok);
    return value;
}

} // namespace

namespace {

// The 1-based number of the first line of `file` that is `text`, 0 when none is.
int first_line_of(const std::filesystem::path& file, const std::string& text) {
    std::ifstream in(file);
    std::string line;
    for (int number = 1; std::getline(in, line); ++number)
        if (line == text)
            return number;
    return 0;
}

} // namespace

TEST_CASE("the documented example loads with every section filled in") {
    const std::filesystem::path dir = LH_CONFIG_DIR;
    Config config = load_ok(dir / "lmharvest.toml");

    CHECK(config.host.state_dir == "/var/lib/lmharvest");
    CHECK(config.host.plugins == std::vector<std::string>{"flexnet", "lmx"});
    CHECK(config.host.listen_host == "127.0.0.1");
    CHECK(config.host.listen_port == 8940);
    CHECK(config.host.allowed_hosts.empty());

    REQUIRE(config.servers.size() == 2);
    const ServerConfig& flex = config.servers[0];
    CHECK(flex.id == "eng-flex");
    CHECK(flex.adapter == "flexnet");
    CHECK(flex.address == "27000@lic1,27000@lic2,27000@lic3");
    CHECK(flex.interval == 60s);
    CHECK(flex.timeout == 20s);
    CHECK(flex.encoding == text::Encoding::utf8);
    CHECK(plugin_string(flex.plugin_table, "lmutil") == "/opt/flexnet/lmutil");
    CHECK(flex.location.ends_with(
        "lmharvest.toml:" + std::to_string(first_line_of(dir / "lmharvest.toml", "[[servers]]")) +
        ":1"));
    const ServerConfig& lmx = config.servers[1];
    CHECK(lmx.interval == 2min);
    CHECK(plugin_string(lmx.plugin_table, "lmxendutil") == "/opt/lmx/lmxendutil");

    CHECK(config.groups.at("gis") == std::vector<std::string>{"alice", "bob"});
    CHECK(config.harvest.dry_run);
    CHECK(config.harvest.exclude_groups == std::vector<std::string>{"build"});
    REQUIRE(config.harvest.rules.size() == 3);
    CHECK(config.harvest.rules[0].threshold == 0.90);
    CHECK(config.harvest.rules[1].max_idle == 15min);
    CHECK_FALSE(config.harvest.rules[2].enabled);
}

TEST_CASE("the demo loads, with paths relative to its own folder") {
    const std::filesystem::path dir = LH_CONFIG_DIR;
    Config config = load_ok(dir / "demo.toml");
    CHECK(config.host.state_dir == (dir / "../build/demo-state").lexically_normal().string());
    CHECK(config.host.plugin_dirs ==
          std::vector<std::string>{(dir / "../build/plugins").lexically_normal().string()});
    REQUIRE(config.servers.size() == 3);
    CHECK(config.servers[0].adapter == "sim");
    CHECK(config.servers[0].interval == 5s);
    int64_t seed = 0;
    REQUIRE(config.servers[1].plugin_table.get_int("seed", seed) == Lookup::ok);
    CHECK(seed == 2);
    // demo-desk, the seat of whoever runs it, harvested after a minute idle
    CHECK(config.servers[2].id == "demo-desk");
    const char* visitor = nullptr;
    REQUIRE(config.servers[2].plugin_table.get_string("visitor", visitor) == Lookup::ok);
    CHECK(std::string(visitor) == "MATLAB");
    REQUIRE(config.harvest.rules.size() == 1);
    CHECK(config.harvest.rules[0].max_idle == 1min);
    CHECK_FALSE(config.harvest.dry_run); // the demo harvests for real (lmharvest demo)
}

TEST_CASE("an empty file gives every default") {
    auto config = load_config_string("", "empty.toml");
    REQUIRE(config.has_value());
    const HostConfig& host = config->host;
    CHECK(host.state_dir == "/var/lib/lmharvest");
    CHECK(host.plugin_dirs == std::vector<std::string>{"/usr/lib/lmharvest/plugins"});
    CHECK_FALSE(host.plugins.has_value());
    CHECK(host.listen_host == "127.0.0.1");
    CHECK(host.listen_port == 8940);
    CHECK(host.log_level == "info");
    CHECK_FALSE(host.open_read);
    CHECK(host.history_days == 90);
    CHECK(config->tokens.empty());
    CHECK(config->servers.empty());
    const HarvestConfig& harvest = config->harvest;
    CHECK(harvest.dry_run);
    CHECK(harvest.threshold == 0.80);
    CHECK(harvest.max_idle == 20min);
    CHECK(harvest.min_session_age == 5min);
    CHECK(harvest.max_closes_per_cycle == 5);
    CHECK(harvest.on_no_handler == OnNoHandler::skip);
    CHECK(harvest.rules.empty());
}

TEST_CASE("tokens are read with their role, a lower-case hash and agent host patterns") {
    const std::string hash(64, 'A');
    auto config = load_config_string("[host]\nopen_read = true\nlisten = \"[::1]:8940\"\n"
                                     "[[tokens]]\nname = \"ops.alice\"\nrole = \"operator\"\n"
                                     "sha256 = \"" +
                                         hash +
                                         "\"\n"
                                         "[[tokens]]\nname = \"ws-agents\"\nrole = \"agent\"\n"
                                         "sha256 = \"" +
                                         std::string(64, '0') +
                                         "\"\n"
                                         "hosts = [\"ws-*\"]\n",
                                     "tokens.toml");
    REQUIRE(config.has_value());
    CHECK(config->host.open_read);
    REQUIRE(config->tokens.size() == 2);
    CHECK(config->tokens[0].name == "ops.alice");
    CHECK(config->tokens[0].role == Role::operator_);
    CHECK(config->tokens[0].sha256 == std::string(64, 'a'));
    CHECK(config->tokens[1].role == Role::agent);
    CHECK(config->tokens[1].hosts == std::vector<std::string>{"ws-*"});
}

TEST_CASE("a minimal server gets its defaults and an empty plugin table") {
    auto config = load_config_string(R"([[servers]]
id = "a"
adapter = "sim"
address = "1@x"
)",
                                     "/etc/lmharvest/x.toml");
    REQUIRE(config.has_value());
    const ServerConfig& server = config->servers.at(0);
    CHECK(server.interval == 60s);
    CHECK(server.timeout == 20s);
    CHECK(server.enabled);
    CHECK(server.encoding == text::Encoding::utf8);
    CHECK(server.plugin_table.unread_keys().empty());
    const char* value = nullptr;
    CHECK(server.plugin_table.get_string("anything", value) == Lookup::not_found);
}

TEST_CASE("a server's encoding is read by its name") {
    for (const std::string& name : text::encoding_names()) {
        auto config = load_config_string(
            "[[servers]]\nid = \"a\"\nadapter = \"sim\"\naddress = \"1@x\"\nencoding = \"" + name +
                "\"\n",
            "x.toml");
        REQUIRE(config.has_value());
        CHECK(config->servers.at(0).encoding == text::encoding_from_name(name));
    }
}

TEST_CASE("relative paths of a config string are resolved against its source's folder") {
    auto config = load_config_string(R"([host]
state_dir = "state"
plugin_dirs = ["../plugins", "/abs/plugins"]
listen = "[::1]:9000"
)",
                                     "/etc/lmharvest/lmharvest.toml");
    REQUIRE(config.has_value());
    CHECK(config->host.state_dir == "/etc/lmharvest/state");
    CHECK(config->host.plugin_dirs == std::vector<std::string>{"/etc/plugins", "/abs/plugins"});
    CHECK(config->host.listen_host == "::1");
    CHECK(config->host.listen_port == 9000);
}

TEST_CASE(
    "method, busy_cpu, trigger, notify_window: defaults, [harvest] values, and a rule's method") {
    auto defaults = load_config_string("", "t.toml");
    REQUIRE(defaults.has_value());
    CHECK(defaults->harvest.method == "save_and_close");
    CHECK(defaults->harvest.busy_cpu == Approx(0.05));
    CHECK(defaults->harvest.trigger == Trigger::threshold);
    CHECK(defaults->harvest.notify_window == 60min);
    auto config = load_config_string("[harvest]\nmethod = \"suspend\"\nbusy_cpu = \"10%\"\n"
                                     "trigger = \"threshold+demand\"\nnotify_window = \"2h\"\n"
                                     "[[harvest.rules]]\nfeatures = [\"MATLAB\"]\n"
                                     "method = \"notify\"\ntrigger = \"demand\"\n",
                                     "t.toml");
    REQUIRE(config.has_value());
    CHECK(config->harvest.method == "suspend");
    CHECK(config->harvest.busy_cpu == Approx(0.10));
    CHECK(config->harvest.rules.at(0).method == "notify");
    CHECK(config->harvest.trigger == Trigger::threshold_and_demand);
    CHECK(config->harvest.notify_window == 2h);
    CHECK(config->harvest.rules.at(0).trigger == Trigger::demand);
}

TEST_CASE("retry_after_failed: 15 min by default, a duration string in [harvest]") {
    auto defaults = load_config_string("", "t.toml");
    REQUIRE(defaults.has_value());
    CHECK(defaults->harvest.retry_after_failed == 15min);
    auto config = load_config_string("[harvest]\nretry_after_failed = \"1h30m\"\n", "t.toml");
    REQUIRE(config.has_value());
    CHECK(config->harvest.retry_after_failed == 90min);
}

TEST_CASE("[agents] report_every and forget_after: 60 s and 7 days by default, durations") {
    auto defaults = load_config_string("", "t.toml");
    REQUIRE(defaults.has_value());
    CHECK(defaults->agents.report_every == 60s);
    CHECK(defaults->agents.forget_after == 24h * 7);
    auto config =
        load_config_string("[agents]\nreport_every = \"30s\"\nforget_after = \"30d\"\n", "t.toml");
    REQUIRE(config.has_value());
    CHECK(config->agents.report_every == 30s);
    CHECK(config->agents.forget_after == 24h * 30);
}

TEST_CASE("threshold may be a percentage and on_no_handler may release") {
    auto config = load_config_string(
        "[harvest]\nthreshold = \"87.5%\"\non_no_handler = \"release\"\n", "t.toml");
    REQUIRE(config.has_value());
    CHECK(config->harvest.threshold == Approx(0.875));
    CHECK(config->harvest.on_no_handler == OnNoHandler::release);
}

TEST_CASE("keys inside the adapter table are the plugin's, not checked by the host") {
    auto config = load_config_string(R"([[servers]]
id = "a"
adapter = "flexnet"
address = "1@x"
[servers.flexnet]
anything_goes = 1
nested.deep = "x"
)",
                                     "p.toml");
    REQUIRE(config.has_value());
    CHECK(config->servers[0].plugin_table.unread_keys() ==
          std::vector<std::string>{"anything_goes", "nested.deep"});
    CHECK(config->servers[0].plugin_table.location_of("nested.deep") == "p.toml:7:15");
}

TEST_CASE("a missing file is one clear error without a position") {
    const std::filesystem::path missing = std::filesystem::path(LH_CONFIG_DIR) / "no-such.toml";
    auto config = load_config(missing);
    REQUIRE_FALSE(config.has_value());
    REQUIRE(config.error().size() == 1);
    CHECK(config.error()[0].line == 0);
    CHECK(config.error()[0].to_string() ==
          missing.string() +
              ": cannot open: No such file or directory; check the path, or pass another file");
}

TEST_CASE("a folder given as the config file is refused") {
    auto config = load_config(LH_CONFIG_DIR);
    REQUIRE_FALSE(config.has_value());
    CHECK_THAT(config.error().at(0).message, Catch::Contains("is a folder"));
}

TEST_CASE("isolation is read from [host] and per server; a bad value names its key") {
    auto config = load_config_string("[host]\nisolation = \"none\"\nworker_memory = \"256MB\"\n"
                                     "[[servers]]\nid = \"a\"\nadapter = \"flexnet\"\n"
                                     "address = \"1@a\"\n"
                                     "[[servers]]\nid = \"b\"\nadapter = \"flexnet\"\n"
                                     "address = \"1@b\"\nisolation = \"process\"\n",
                                     "iso.toml");
    INFO((config ? "" : all_messages(config.error())));
    REQUIRE(config.has_value());
    CHECK(config->host.isolation == Isolation::none);
    CHECK(config->host.worker_memory == (256u << 20));
    CHECK(config->servers.at(0).isolation == Isolation::none); // [host]'s
    CHECK(config->servers.at(1).isolation == Isolation::process);

    const auto defaults = load_config_string("", "empty.toml");
    REQUIRE(defaults.has_value());
    CHECK(defaults->host.isolation == Isolation::process);
    CHECK(defaults->host.worker_memory == (512u << 20));

    const auto bad = load_config_string("[host]\nisolation = \"fork\"\n", "bad.toml");
    REQUIRE_FALSE(bad.has_value());
    CHECK_THAT(all_messages(bad.error()), Catch::Contains("isolation"));
    const auto small = load_config_string("[host]\nworker_memory = \"1MB\"\n", "small.toml");
    REQUIRE_FALSE(small.has_value());
    CHECK_THAT(all_messages(small.error()), Catch::Contains("worker_memory"));
}

TEST_CASE("worker_polls and worker_user are read; an unknown user is an error at its line") {
    const auto defaults = load_config_string("", "empty.toml");
    REQUIRE(defaults.has_value());
    CHECK(defaults->host.worker_polls == 1440);
    CHECK(defaults->host.worker_cpu == std::chrono::milliseconds(0));
    const auto cpu = load_config_string("[host]\nworker_cpu = \"90s\"\n", "cpu.toml");
    REQUIRE(cpu.has_value());
    CHECK(cpu->host.worker_cpu == std::chrono::seconds(90));
    CHECK(defaults->host.worker_user.empty());

    // root is the one account every system has, with uid and gid 0.
    const auto set =
        load_config_string("[host]\nworker_polls = 0\nworker_user = \"root\"\n", "set.toml");
    INFO((set ? "" : all_messages(set.error())));
    REQUIRE(set.has_value());
    CHECK(set->host.worker_polls == 0);
    CHECK(set->host.worker_user == "root");
    CHECK(set->host.worker_uid == 0);
    CHECK(set->host.worker_gid == 0);

    const auto unknown = load_config_string(
        "[host]\nlog_level = \"info\"\nworker_user = \"no-such-user-lh\"\n", "unknown.toml");
    REQUIRE_FALSE(unknown.has_value());
    CHECK_THAT(all_messages(unknown.error()), Catch::Contains("unknown.toml:3:") &&
                                                  Catch::Contains("worker_user") &&
                                                  Catch::Contains("no user \"no-such-user-lh\""));
    const auto negative = load_config_string("[host]\nworker_polls = -1\n", "negative.toml");
    REQUIRE_FALSE(negative.has_value());
    CHECK_THAT(all_messages(negative.error()), Catch::Contains("worker_polls"));
}
