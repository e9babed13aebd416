// Every file in bad/ must be refused with exactly the errors listed here, in file order.
#include "config/config.hpp"
#include "config_messages.hpp"

#include <catch2/catch.hpp>
#include <filesystem>
#include <map>

using namespace lmharvest;

using lmharvest::test::all_messages;

namespace {

struct ExpectedError {
    const char* file;
    int line;
    int column; // 0: not checked (toml++ decides where a syntax error is)
    const char* contains;
};

const ExpectedError expected_errors[] = {
    {"syntax_error.toml", 3, 0, "invalid TOML: "},
    {"unknown_key_suggestion.toml", 3, 1,
     "unknown key 'treshold' in [harvest]; did you mean 'threshold'?"},
    {"unknown_table.toml", 4, 2, "unknown table [harvets]; did you mean [harvest]?"},
    {"unknown_key_no_suggestion.toml", 2, 1,
     "unknown key 'colour' in [host]; remove it, or use one of: state_dir, plugin_dirs"},
    {"duplicate_server_id.toml", 7, 6,
     "servers[1].id: duplicate id \"lic\", already used at line 2; give each server its own id"},
    {"missing_id.toml", 1, 1, "servers[0]: missing required key 'id'; add id = \""},
    {"missing_adapter.toml", 1, 1, "servers[0]: missing required key 'adapter'; add adapter = "},
    {"missing_address.toml", 1, 1, "servers[0]: missing required key 'address'"},
    {"empty_address.toml", 4, 11, "servers[0].address: is empty; write address = \""},
    {"wrong_type_bool.toml", 5, 11,
     "servers[0].enabled: expected true or false, got string \"yes\"; write enabled = true"},
    {"wrong_type_array.toml", 2, 17,
     "harvest.exclude_users: expected an array of strings, got string \"svc-build\""},
    {"duration_bare_integer.toml", 5, 12, "servers[0].interval: 60 has no unit; write \"60s\""},
    {"duration_without_unit.toml", 2, 12, "harvest.max_idle: \"20\" has no unit; write \"20s\""},
    {"duration_bad_unit.toml", 2, 19,
     "harvest.min_session_age: \"5x\" has an unknown unit 'x'; use ms, s, m, h or d"},
    {"interval_too_short.toml", 5, 12,
     "servers[0].interval: \"500ms\" is out of range 1s..1d; write at least \"1s\""},
    {"interval_too_short.toml", 6, 11,
     "servers[0].timeout: \"50ms\" is out of range 100ms..10m; write at least \"100ms\""},
    {"interval_overflow.toml", 5, 12,
     "servers[0].interval: \"9223372036854775807ms\" is out of range 1s..1d; write at most "
     "\"1d\""},
    {"timeout_too_long.toml", 5, 11,
     "servers[0].timeout: \"50d\" is out of range 100ms..10m; write at most \"10m\""},
    {"policy_durations_too_long.toml", 2, 12,
     "harvest.max_idle: \"9223372036854775807ms\" is out of range 0s..30d; write at most "
     "\"30d\""},
    {"policy_durations_too_long.toml", 3, 19,
     "harvest.min_session_age: \"31d\" is out of range 0s..30d"},
    {"server_id_dotdot.toml", 2, 6,
     "servers[0].id: \"..\" is not a usable folder name; write e.g. id = \"eng-flex\""},
    {"server_id_too_long.toml", 2, 6, "servers[0].id: is 65 characters long; use at most 64"},
    {"threshold_above_one.toml", 2, 13,
     "harvest.threshold: 1.5 is out of range 0..1; write a share such as 0.80, or \"80%\""},
    {"threshold_percent_above_100.toml", 2, 13,
     "harvest.threshold: \"150%\" is out of range 0%..100%"},
    {"threshold_not_percent.toml", 2, 13,
     "harvest.threshold: \"0.8\" is not a percentage; write a number such as 0.80 (without "
     "quotes)"},
    {"negative_max_closes.toml", 2, 24,
     "harvest.max_closes_per_cycle: -1 is below 0; write 0 or more"},
    {"bad_log_level.toml", 2, 13,
     "host.log_level: \"warning\" is not one of trace, debug, info, warn, error; write e.g. "
     "log_level = \"info\""},
    {"bad_on_no_handler.toml", 2, 17,
     "harvest.on_no_handler: \"kill\" is not one of skip, release; write e.g. on_no_handler = "
     "\"skip\""},
    {"bad_method.toml", 2, 10,
     "harvest.method: \"kill\" is not one of save_and_close, suspend, release, notify; write "
     "e.g. method = \"save_and_close\""},
    {"rule_bad_method.toml", 3, 10,
     "harvest.rules[0].method: \"close\" is not one of save_and_close, suspend, release, notify"},
    {"busy_cpu_above_100.toml", 2, 12, "harvest.busy_cpu: \"150%\" is out of range 0%..100%"},
    {"bad_trigger.toml", 2, 11,
     "harvest.trigger: \"denials\" is not one of threshold, demand, threshold+demand; write "
     "e.g. trigger = \"threshold\""},
    {"notify_window_too_short.toml", 2, 17,
     "harvest.notify_window: \"30s\" is out of range 1m..7d; write at least \"1m\""},
    {"retry_after_failed_too_short.toml", 2, 22,
     "harvest.retry_after_failed: \"10s\" is out of range 1m..1d; write at least \"1m\""},
    {"report_every_too_short.toml", 2, 16,
     "agents.report_every: \"1s\" is out of range 10s..1h; write at least \"10s\""},
    {"agents_unknown_key.toml", 2, 1,
     "unknown key 'forget' in [agents]; remove it, or use one of: report_every, forget_after"},
    {"bad_listen.toml", 2, 10, "host.listen: \"localhost\" is not host:port"},
    {"bad_encoding.toml", 5, 12,
     "servers[0].encoding: \"windows-1252\" is not one of utf-8, latin1, cp1252, auto; write "
     "e.g. encoding = \"utf-8\""},
    {"bad_server_id.toml", 2, 6,
     "servers[0].id: \"eng flex\" may contain only letters, digits, '_', '.' and '-'; write e.g. "
     "id = \"eng-flex\""},
    {"adapter_table_mismatch.toml", 6, 10,
     "servers[0].lmx: table [servers.lmx] does not match adapter \"flexnet\"; name it "
     "[servers.flexnet]"},
    {"rule_empty_features.toml", 5, 12, "harvest.rules[0].features: is empty; list at least one"},
    {"rule_missing_features.toml", 1, 1, "harvest.rules[0]: missing required key 'features'"},
    {"rule_unknown_group.toml", 6, 18,
     "harvest.rules[0].groups[1]: unknown group \"cad\"; define it in [groups] or remove it"},
    {"rule_unknown_server.toml", 8, 12,
     "harvest.rules[0].servers[0]: unknown server \"eng-flx\"; did you mean \"eng-flex\"?"},
    {"exclude_unknown_group.toml", 5, 19,
     "harvest.exclude_groups[0]: unknown group \"builders\"; define it in [groups]"},
    {"servers_not_array.toml", 1, 11, "servers: expected [[servers]] sections, got string"},
    {"tokens_bad_values.toml", 2, 8,
     "tokens[0].name: \"ops alice\" may contain only letters, digits, '_', '.' and '-'; write "
     "e.g. name = \"ops-alice\""},
    {"tokens_bad_values.toml", 3, 8,
     "tokens[0].role: \"operatr\" is not one of viewer, operator, admin, agent; did you mean "
     "\"operator\"?"},
    {"tokens_bad_values.toml", 4, 10,
     "tokens[0].sha256: \"not-a-hash\" is not 64 hex digits; write the sha256 line that "
     "`lmharvest token add` prints"},
    {"tokens_missing_keys.toml", 1, 1, "tokens[0]: missing required key 'name'; add name = "},
    {"tokens_missing_keys.toml", 1, 1, "tokens[0]: missing required key 'role'; add role = "},
    {"tokens_missing_keys.toml", 1, 1, "tokens[0]: missing required key 'sha256'"},
    {"tokens_duplicates.toml", 7, 8,
     "tokens[1].name: the same as the entry at line 2; give each token its own name"},
    {"tokens_duplicates.toml", 9, 10,
     "tokens[1].sha256: the same as the entry at line 4; one token has one entry"},
    {"tokens_hosts_not_agent.toml", 5, 9,
     "tokens[0].hosts: only agent tokens are bound to hosts; remove hosts, or set role = "
     "\"agent\""},
    {"tokens_hosts_not_agent.toml", 6, 1,
     "unknown key 'colour' in tokens[0]; remove it, or use one of: name, role, sha256, hosts"},
    {"tokens_reserved_name.toml", 2, 8,
     "tokens[0].name: \"local-admin\" is the name of the token in <state_dir>/api-token"},
    {"listen_not_loopback_without_tls.toml", 2, 10,
     "host.listen: \"0.0.0.0\" is not loopback, and without TLS tokens and answers would cross "
     "the network in the clear; set tls_cert and tls_key (PEM files), or insecure = true"},
    {"open_read_not_loopback.toml", 2, 13,
     "host.open_read: true lets anyone who reaches host.listen read without a token, and listen "
     "\"0.0.0.0\" is not loopback; set open_read = false and give readers viewer tokens"},
    {"history_days_zero.toml", 2, 16, "host.history_days: 0 is below 1; write 1 or more"},
    {"history_days_bad_values.toml", 2, 16,
     "host.history_days: expected a whole number, got string"},
    {"history_days_too_many.toml", 2, 16,
     "host.history_days: 5000 is above 3650 (ten years); write 3650 or less"},
    {"several_errors.toml", 3, 13, "host.log_level: \"loud\" is not one of"},
    {"several_errors.toml", 5, 1, "servers[0]: missing required key 'adapter'"},
    {"several_errors.toml", 8, 12, "servers[0].interval: \"1 minute\" has an unknown unit"},
    {"several_errors.toml", 11, 13, "harvest.threshold: 2 is out of range 0..1"},
    {"several_errors.toml", 12, 11, "harvest.dry_run: expected true or false, got string"},
};

} // namespace

TEST_CASE("each bad file is refused with exactly the expected errors, in file order") {
    std::map<std::string, std::vector<ExpectedError>> by_file;
    for (const ExpectedError& expected : expected_errors)
        by_file[expected.file].push_back(expected);
    REQUIRE(by_file.size() >= 15);

    for (const auto& [file, expected] : by_file) {
        const std::filesystem::path path = std::filesystem::path(LH_BAD_CONFIGS_DIR) / file;
        auto config = load_config(path);
        INFO(file);
        REQUIRE_FALSE(config.has_value());
        const ConfigErrors& errors = config.error();
        INFO(all_messages(errors));
        REQUIRE(errors.size() == expected.size());
        for (size_t i = 0; i < expected.size(); ++i) {
            CHECK(errors[i].file == path.string());
            CHECK(errors[i].line == expected[i].line);
            if (expected[i].column != 0)
                CHECK(errors[i].column == expected[i].column);
            CHECK_THAT(errors[i].message, Catch::Contains(expected[i].contains));
        }
    }
}

TEST_CASE("every file in bad/ is covered by the table") {
    for (const auto& entry : std::filesystem::directory_iterator(LH_BAD_CONFIGS_DIR)) {
        const std::string name = entry.path().filename().string();
        INFO(name);
        CHECK(std::any_of(std::begin(expected_errors), std::end(expected_errors),
                          [&](const ExpectedError& e) { return name == e.file; }));
    }
}

TEST_CASE("an error prints as file:line:col: message") {
    auto config =
        load_config(std::filesystem::path(LH_BAD_CONFIGS_DIR) / "duration_bare_integer.toml");
    REQUIRE_FALSE(config.has_value());
    CHECK(
        config.error().at(0).to_string() ==
        std::string(LH_BAD_CONFIGS_DIR) +
            "/duration_bare_integer.toml:5:12: servers[0].interval: 60 has no unit; write \"60s\"");
}
