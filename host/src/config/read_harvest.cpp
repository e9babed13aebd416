#include "config/config_sections.hpp"
#include "config/nearest_name.hpp"
#include "config/system_groups.hpp"

#include <algorithm>
#include <functional>

namespace lmharvest {
namespace {

using namespace std::chrono_literals;

// Idle and age limits beyond a month mean "never" in practice; a bound keeps overflowing values
// ("9223372036854775807ms") out of the policy arithmetic.
constexpr DurationRange policy_age_range{0ms, 24h * 30};
// Denials older than a week say nothing about who is waiting now.
constexpr DurationRange notify_window_range{1min, 24h * 7};
// An agent answers a save-and-close within its own deadline; an hour is no answer.
constexpr DurationRange agent_timeout_range{1s, 1h};
// Retrying a failed close sooner than a minute is the storm the back-off is there to stop; a
// day is "not today".
constexpr DurationRange retry_after_failed_range{1min, 24h};

// The numbers a rule may override; [harvest] sets their defaults.
struct PolicyNumbers {
    std::optional<double> threshold;
    std::optional<std::chrono::milliseconds> max_idle;
    std::optional<std::chrono::milliseconds> min_session_age;
    std::optional<int64_t> max_closes_per_cycle;
    std::optional<std::string> method;
    std::optional<Trigger> trigger;
};

std::optional<Trigger> read_trigger(TableReader& reader) {
    const auto choice =
        reader.get_choice("trigger", {"threshold", "demand", "threshold+demand"}, "threshold");
    if (!choice)
        return std::nullopt;
    if (*choice == "demand")
        return Trigger::demand;
    return *choice == "threshold" ? Trigger::threshold : Trigger::threshold_and_demand;
}

PolicyNumbers read_policy_numbers(TableReader& reader) {
    return {reader.get_threshold("threshold"),
            reader.get_duration("max_idle", policy_age_range),
            reader.get_duration("min_session_age", policy_age_range),
            reader.get_int("max_closes_per_cycle", 0, "5"),
            reader.get_choice("method", harvest_methods, "save_and_close"),
            read_trigger(reader)};
}

// Reports each name in the array at `key` that is not among `defined` ("group", "[groups]")
// and that `elsewhere` (when given) does not know either.
void check_names_exist(TableReader& reader, std::string_view key,
                       const std::vector<std::string>& defined, std::string_view what,
                       std::string_view where_defined,
                       const std::function<bool(const std::string&)>& elsewhere = {}) {
    const toml::node* node = reader.table().get(key);
    const toml::array* array = node ? node->as_array() : nullptr;
    if (array == nullptr)
        return;
    for (size_t i = 0; i < array->size(); ++i) {
        const auto* name = array->get(i)->as_string();
        if (name == nullptr ||
            std::find(defined.begin(), defined.end(), name->get()) != defined.end() ||
            (elsewhere && elsewhere(name->get())))
            continue;
        std::string message = reader.key_path(key) + "[" + std::to_string(i) + "]: unknown " +
                              std::string(what) + " \"" + name->get() + "\"";
        if (auto near = nearest_name(name->get(), defined))
            message += "; did you mean \"" + *near + "\"?";
        else
            message += "; define it in " + std::string(where_defined) + " or remove it";
        reader.errors().add(name->source(), message);
    }
}

struct KnownNames {
    std::vector<std::string> groups;
    std::vector<std::string> servers;
    std::function<bool(const std::string&)> system_group; // set with groups_from = "nss"
};

constexpr std::string_view groups_defined_in = "[groups]";
constexpr std::string_view groups_defined_with_nss = "[groups] (or as a system group)";

HarvestRule read_rule(const toml::table& table, std::string path, ErrorList& errors,
                      const KnownNames& known) {
    TableReader reader(table, std::move(path), errors);
    HarvestRule rule;
    rule.line = static_cast<int>(table.source().begin.line);
    rule.features = reader.get_strings("features", Need::required, "[\"MATLAB\", \"ArcGIS Pro*\"]")
                        .value_or(rule.features);
    rule.servers =
        reader.get_strings("servers", Need::optional, "[\"eng-flex\"]").value_or(rule.servers);
    check_names_exist(reader, "servers", known.servers, "server", "[[servers]]");
    rule.groups = reader.get_strings("groups", Need::optional, "[\"gis\"]").value_or(rule.groups);
    check_names_exist(reader, "groups", known.groups, "group",
                      known.system_group ? groups_defined_with_nss : groups_defined_in,
                      known.system_group);
    rule.users = reader.get_strings("users", Need::optional, "[\"alice\"]").value_or(rule.users);
    rule.enabled = reader.get_bool("enabled").value_or(rule.enabled);
    PolicyNumbers numbers = read_policy_numbers(reader);
    rule.threshold = numbers.threshold;
    rule.max_idle = numbers.max_idle;
    rule.min_session_age = numbers.min_session_age;
    rule.max_closes_per_cycle = numbers.max_closes_per_cycle;
    rule.method = numbers.method;
    rule.trigger = numbers.trigger;
    reader.reject_unknown_keys();
    return rule;
}

KnownNames known_names(const Groups& groups, const std::vector<ServerConfig>& servers,
                       GroupsFrom groups_from) {
    KnownNames known;
    if (groups_from == GroupsFrom::nss)
        known.system_group = system_group_exists;
    for (const auto& [name, users] : groups)
        known.groups.push_back(name);
    for (const ServerConfig& server : servers)
        known.servers.push_back(server.id);
    return known;
}

} // namespace

HarvestConfig read_harvest(TableReader& root, const Groups& groups, GroupsFrom groups_from,
                           const std::vector<ServerConfig>& servers) {
    HarvestConfig harvest;
    const toml::table* table = root.get_table("harvest");
    if (table == nullptr)
        return harvest;
    const KnownNames known = known_names(groups, servers, groups_from);
    TableReader reader(*table, "harvest", root.errors());
    harvest.dry_run = reader.get_bool("dry_run").value_or(harvest.dry_run);
    PolicyNumbers numbers = read_policy_numbers(reader);
    harvest.threshold = numbers.threshold.value_or(harvest.threshold);
    harvest.max_idle = numbers.max_idle.value_or(harvest.max_idle);
    harvest.min_session_age = numbers.min_session_age.value_or(harvest.min_session_age);
    harvest.max_closes_per_cycle =
        numbers.max_closes_per_cycle.value_or(harvest.max_closes_per_cycle);
    harvest.method = numbers.method.value_or(harvest.method);
    harvest.trigger = numbers.trigger.value_or(harvest.trigger);
    harvest.notify_window =
        reader.get_duration("notify_window", notify_window_range).value_or(harvest.notify_window);
    harvest.agent_timeout =
        reader.get_duration("agent_timeout", agent_timeout_range).value_or(harvest.agent_timeout);
    harvest.retry_after_failed = reader.get_duration("retry_after_failed", retry_after_failed_range)
                                     .value_or(harvest.retry_after_failed);
    harvest.busy_cpu = reader.get_threshold("busy_cpu").value_or(harvest.busy_cpu);
    if (auto choice = reader.get_choice("on_no_handler", {"skip", "release"}, "skip"))
        harvest.on_no_handler = *choice == "release" ? OnNoHandler::release : OnNoHandler::skip;
    for (auto [key, list] : {std::pair{"exclude_users", &harvest.exclude_users},
                             std::pair{"exclude_groups", &harvest.exclude_groups},
                             std::pair{"exclude_hosts", &harvest.exclude_hosts}})
        *list = reader.get_strings(key, Need::optional, "[\"svc-build\"]").value_or(*list);
    check_names_exist(reader, "exclude_groups", known.groups, "group",
                      known.system_group ? groups_defined_with_nss : groups_defined_in,
                      known.system_group);
    if (const toml::array* rules = reader.get_table_array("rules", "[[harvest.rules]]"))
        for (size_t i = 0; i < rules->size(); ++i)
            if (const toml::table* rule = rules->get(i)->as_table())
                harvest.rules.push_back(read_rule(*rule, "harvest.rules[" + std::to_string(i) + "]",
                                                  root.errors(), known));
    reader.reject_unknown_keys();
    return harvest;
}

} // namespace lmharvest
