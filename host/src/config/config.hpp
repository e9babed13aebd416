// The host's configuration (DESIGN §6), read from TOML and checked against the schema.
//
// Every problem in a file is reported, each as `file:line:col: what is wrong; how to fix`, so an
// admin fixes a file in one pass. Unknown keys are errors (a typo must not silently disable a
// policy), except inside a server's adapter table, which goes to the plugin as a PluginTable.
#pragma once

#include "common/expected.hpp"
#include "config/plugin_table.hpp"
#include "text/encoding.hpp"

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <sys/types.h>
#include <vector>

namespace lmharvest {

struct ConfigError {
    std::string file;
    int line = 0;   ///< 1-based; 0 when the error has no position (e.g. unreadable file)
    int column = 0; ///< 1-based; 0 when unknown
    std::string message;

    /// `file:line:col: message`, or `file: message` without a position.
    std::string to_string() const;
};

/// Where users' groups come from besides [groups]: nowhere else, or NSS (getgrouplist).
enum class GroupsFrom { config, nss };

/// Where adapter plugins run: each instance in a worker process of its own (a crash, hang or
/// leak costs one server), or in the host (debugging, the benchmark). See docs/isolation.md.
enum class Isolation { none, process };

struct HostConfig {
    /// Where the SQLite file lives; a relative path is resolved against the config file's folder.
    std::string state_dir = "/var/lib/lmharvest";
    /// Folders searched for plugins; relative paths resolved like state_dir.
    std::vector<std::string> plugin_dirs{"/usr/lib/lmharvest/plugins"};
    /// `file:line:col` of plugin_dirs; empty when the file does not set it (then the default
    /// and the folders next to the binary are searched, see plugin_search_path()).
    std::string plugin_dirs_location;
    /// When set, load only the plugins with these names.
    std::optional<std::vector<std::string>> plugins;
    std::string listen_host = "127.0.0.1";
    uint16_t listen_port = 8940;
    /// Host header names the API answers besides host.listen (and localhost on loopback).
    std::vector<std::string> allowed_hosts;
    std::string log_level = "info"; ///< trace, debug, info, warn or error
    /// true: the read routes answer without a token (only allowed on a loopback listen).
    bool open_read = false;
    /// Days of usage history and closed sessions kept; older ones are deleted.
    int history_days = 90;
    /// PEM certificate (chain) and private key for HTTPS; both or neither, paths resolved like
    /// state_dir. A non-loopback listen needs them, or `insecure`.
    std::string tls_cert;
    std::string tls_key;
    /// true: plain HTTP on a non-loopback listen is allowed (the log warns at every start).
    bool insecure = false;
    /// "nss": a user is also in the groups the system gives them (LDAP, SSSD, /etc/group).
    GroupsFrom groups_from = GroupsFrom::config;
    /// How long a user's system groups are reused before NSS is asked again.
    std::chrono::milliseconds groups_ttl{std::chrono::minutes(5)};
    /// Where the servers' adapters run unless a server says otherwise: a worker process each.
    Isolation isolation = Isolation::process;
    /// The address space of one adapter worker (RLIMIT_AS).
    uint64_t worker_memory = 512u << 20;
    /// CPU time one call into a worker may use (RLIMIT_CPU from where it stands); 0: as much
    /// as the call's wall-clock deadline (timeout x 2 + 5 s).
    std::chrono::milliseconds worker_cpu{0};
    /// A worker is replaced after this many polls (0: never), so that slow leaks never add up.
    int64_t worker_polls = 1440;
    /// Workers run as this user when set (the host must be root to switch): its uid and gid,
    /// resolved when the config is read.
    std::string worker_user;
    uid_t worker_uid = 0;
    gid_t worker_gid = 0;
};

struct ServerConfig {
    std::string id;
    std::string adapter;
    std::string address;
    std::chrono::milliseconds interval{std::chrono::seconds(60)};
    std::chrono::milliseconds timeout{std::chrono::seconds(20)};
    /// Bytes one tool run may print (stdout and stderr); past it the host kills the tool.
    uint64_t max_output = 64u << 20;
    bool enabled = true;
    /// The code page the server's tools print names in; the host decodes names after each poll.
    text::Encoding encoding = text::Encoding::utf8;
    /// Where this server's adapter runs; set to host.isolation by load_config when unset.
    std::optional<Isolation> isolation;
    /// The [servers.<adapter>] table, empty when absent; the plugin's own settings.
    PluginTable plugin_table;
    /// `file:line:col` of this [[servers]] entry, for later messages about it.
    std::string location;
};

enum class OnNoHandler { skip, release };

/// When a pool is harvested: above its threshold, for the users waiting (denied or queued within
/// notify_window), or whichever of the two needs more licenses.
enum class Trigger { threshold, demand, threshold_and_demand };

/// An override of [harvest] for some features (and optionally servers, users, groups).
struct HarvestRule {
    std::vector<std::string> features; ///< glob patterns with * and ?; never empty
    std::vector<std::string> servers;  ///< server ids; empty = any
    std::vector<std::string> groups;   ///< group names; empty = any
    std::vector<std::string> users;    ///< user names; empty = any
    bool enabled = true;               ///< false: never harvest what this rule matches
    std::optional<double> threshold;
    std::optional<std::chrono::milliseconds> max_idle;
    std::optional<std::chrono::milliseconds> min_session_age;
    std::optional<int64_t> max_closes_per_cycle;
    std::optional<std::string> method;
    std::optional<Trigger> trigger;
    int line = 0; ///< where its [[harvest.rules]] table starts, for check-config's warnings
};

/// How a harvest close frees a license: the names `method` takes in the config.
inline const std::vector<std::string> harvest_methods{"save_and_close", "suspend", "release",
                                                      "notify"};

struct HarvestConfig {
    bool dry_run = true;
    double threshold = 0.80; ///< share of a feature's licenses that may stay in use
    std::chrono::milliseconds max_idle{std::chrono::minutes(20)};
    std::chrono::milliseconds min_session_age{std::chrono::minutes(5)};
    int64_t max_closes_per_cycle = 5;
    OnNoHandler on_no_handler = OnNoHandler::skip;
    std::string method = "save_and_close"; ///< one of harvest_methods
    Trigger trigger = Trigger::threshold;
    /// How far back a denial or queued request counts as someone still waiting.
    std::chrono::milliseconds notify_window{std::chrono::minutes(60)};
    /// How long a close sequence waits for the agent's answer before it ends, releasing nothing.
    std::chrono::milliseconds agent_timeout{std::chrono::minutes(2)};
    /// How long a session is no candidate after a close of it ended without a release; doubled
    /// for each further one in a row, up to 4 h (harvest/close_backoff.hpp).
    std::chrono::milliseconds retry_after_failed{std::chrono::minutes(15)};
    /// Share of one core above which an app's process tree counts as busy (computing is not idle).
    double busy_cpu = 0.05;
    std::vector<std::string> exclude_users;
    std::vector<std::string> exclude_groups;
    std::vector<std::string> exclude_hosts;
    std::vector<HarvestRule> rules; ///< in file order
};

/// [agents]: what the host asks of the workstation agents, and how long it remembers them.
struct AgentsConfig {
    /// How often an agent reports (the answer's report_every_s); an agent without a report for 3
    /// of these is silent, its apps "no data".
    std::chrono::milliseconds report_every{std::chrono::seconds(60)};
    /// An agent without a report this long is forgotten: its row and its apps are deleted (by
    /// the history keeper, hourly).
    std::chrono::milliseconds forget_after{std::chrono::hours(24 * 7)};
};

/// What an API token may do; docs/api.md lists the role each route needs.
enum class Role { viewer, operator_, admin, agent };

/// "viewer", "operator", "admin", "agent", as the config writes them.
const char* to_string(Role role);
/// The role a config writes as `name`, nullopt for any other word.
std::optional<Role> role_from_name(std::string_view name);

/// One [[tokens]] entry: an API token, known to the host only by the SHA-256 of its secret.
struct TokenConfig {
    std::string name; ///< the actor the audit log records
    Role role = Role::viewer;
    std::string sha256;             ///< 64 lower-case hex digits
    std::vector<std::string> hosts; ///< agent tokens: glob patterns of the hosts it may report for
};

/// The name under which the token in <state_dir>/api-token acts (an implicit admin token); no
/// [[tokens]] entry may take it.
inline constexpr std::string_view api_token_file_name = "local-admin";

/// Group name -> its users.
using Groups = std::map<std::string, std::vector<std::string>, std::less<>>;

struct Config {
    HostConfig host;
    std::vector<ServerConfig> servers;
    HarvestConfig harvest;
    AgentsConfig agents;
    Groups groups;
    std::vector<TokenConfig> tokens;
};

using ConfigErrors = std::vector<ConfigError>;

/// Reads and checks a config file. A missing or unreadable file is one error without position.
Expected<Config, ConfigErrors> load_config(const std::filesystem::path& file);

/// Checks config text; `source_name` names it in errors, and its folder anchors relative paths.
Expected<Config, ConfigErrors> load_config_string(std::string_view text, std::string source_name);

} // namespace lmharvest
