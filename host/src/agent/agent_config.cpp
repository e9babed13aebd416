#include "agent/agent_config.hpp"

#include "agent/host_url.hpp"
#include "config/config_file.hpp"
#include "config/config_sections.hpp"
#include "config/error_list.hpp"
#include "config/loopback.hpp"
#include "config/safe_name.hpp"
#include "config/table_reader.hpp"
#include "config/tls_files.hpp"

#include <cstdlib>
#include <map>

namespace lmharvest::agent {
namespace {

using namespace std::chrono_literals;

// More often than every 5 s only loads the host; past an hour the host calls the agent silent.
constexpr DurationRange report_every_range{5s, 1h};

std::string home_dir() {
    const char* home = std::getenv("HOME");
    return home && *home ? home : "/tmp";
}

// $NAME when set to an absolute path (the XDG rule), else ~/`fallback`.
std::string xdg_dir(const char* name, const char* fallback) {
    const char* value = std::getenv(name);
    if (value && *value == '/')
        return value;
    return home_dir() + "/" + fallback;
}

void read_host_url(TableReader& reader, AgentConfig& config) {
    const toml::table& table = reader.table();
    auto text = reader.get_string("host", Need::required, "\"https://lmharvest.corp:8940\"");
    if (auto insecure = reader.get_bool("insecure"))
        config.insecure = *insecure;
    if (!text)
        return;
    auto url = parse_host_url(*text);
    if (!url)
        return reader.error_at(*table.get("host"), "host", url.error());
    config.host_url = url->origin();
    if (!url->https && !config.insecure && !is_loopback_name(url->host))
        reader.error_at(*table.get("host"), "host",
                        "\"" + *text +
                            "\" is plain HTTP to another machine: the agent's token and the "
                            "user's projects would cross the network in the clear; write "
                            "https://, or set insecure = true to accept plain HTTP");
}

void read_agent_table(TableReader& root, AgentConfig& config, const std::filesystem::path& base) {
    const toml::table* table = root.get_table("agent");
    if (table == nullptr)
        return root.errors().add(root.table().source(),
                                 "agent: missing table [agent]; add it with at least "
                                 "host = \"https://lmharvest.corp:8940\"");
    TableReader reader(*table, "agent", root.errors());
    read_host_url(reader, config);
    config.token_file = resolve_config_path(
        base, reader.get_string("token_file", Need::optional, "\"~/.config/lmharvest/agent-token\"")
                  .value_or(xdg_dir("XDG_CONFIG_HOME", ".config") + "/lmharvest/agent-token"));
    config.report_every =
        reader.get_duration("report_every", report_every_range).value_or(config.report_every);
    if (auto dir = reader.get_string("saved_dir", Need::optional, "\"~/lmharvest-saved\""))
        config.saved_dir = resolve_config_path(base, *dir);
    if (auto dir = reader.get_string("state_dir", Need::optional, "\"~/.local/state/lmharvest\""))
        config.state_dir = resolve_config_path(base, *dir);
    if (auto ca = reader.get_string("ca_file", Need::optional, "\"/etc/lmharvest/ca.pem\"")) {
        config.ca_file = resolve_config_path(base, *ca);
        if (auto problem = tls_file_problem(config.ca_file, TlsFile::certificate))
            reader.error_at(*table->get("ca_file"), "ca_file", *problem);
    }
    if (auto isolation = read_isolation(reader))
        config.isolation = *isolation;
    reader.reject_unknown_keys();
}

// Like a server's adapter table: the one sub-table named after the handler goes to the plugin.
HandlerConfig read_handler(const toml::table& table, std::string path, ErrorList& errors,
                           const std::filesystem::path& base, Isolation isolation) {
    TableReader reader(table, std::move(path), errors);
    HandlerConfig handler;
    handler.isolation = read_isolation(reader).value_or(isolation);
    handler.location = format_location(errors.file(), table.source());
    if (auto name = reader.get_string("name", Need::required, "\"matlab\"")) {
        if (auto safe = check_safe_name(*name, "name"); !safe)
            reader.error_at(*table.get("name"), "name", safe.error());
        handler.name = *name;
    }
    if (auto plugin =
            reader.get_string("plugin", Need::required, "\"/usr/lib/lmharvest/plugins/matlab.so\""))
        handler.plugin = resolve_config_path(base, *plugin);
    if (!handler.name.empty())
        if (const toml::table* own = reader.get_table(handler.name))
            handler.table = PluginTable(*own, errors.file());
    for (const auto& [key, node] : reader.unknown_keys()) {
        if (node->is_table() && !handler.name.empty())
            errors.add(key->source(), reader.key_path(key->str()) + ": table [handlers." +
                                          std::string(key->str()) + "] does not match name \"" +
                                          handler.name + "\"; name it [handlers." + handler.name +
                                          "]");
        else if (!node->is_table())
            reader.reject_unknown_key(*key, *node);
    }
    return handler;
}

void read_handlers(TableReader& root, AgentConfig& config, const std::filesystem::path& base) {
    const toml::array* array = root.get_table_array("handlers", "[[handlers]]");
    if (array == nullptr)
        return;
    std::map<std::string, uint32_t, std::less<>> first_line_of;
    for (size_t i = 0; i < array->size(); ++i) {
        const toml::table* table = array->get(i)->as_table();
        if (table == nullptr)
            continue;
        const std::string path = "handlers[" + std::to_string(i) + "]";
        HandlerConfig handler = read_handler(*table, path, root.errors(), base, config.isolation);
        if (!handler.name.empty()) {
            const toml::node& name = *table->get("name");
            auto [first, inserted] = first_line_of.emplace(handler.name, name.source().begin.line);
            if (!inserted)
                root.errors().add(name.source(), path + ".name: duplicate name \"" + handler.name +
                                                     "\", already used at line " +
                                                     std::to_string(first->second) +
                                                     "; list each handler once");
        }
        config.handlers.push_back(std::move(handler));
    }
}

} // namespace

std::string default_saved_dir() {
    return xdg_dir("XDG_DATA_HOME", ".local/share") + "/lmharvest/saved";
}

std::string default_state_dir() {
    return xdg_dir("XDG_STATE_HOME", ".local/state") + "/lmharvest";
}

namespace {

Expected<AgentConfig, ConfigErrors> load_text(std::string_view text, std::string source_name,
                                              const std::filesystem::path& base) {
    ErrorList errors(source_name);
    std::optional<toml::table> root = parse_config_toml(text, source_name, errors);
    if (!root)
        return unexpected(errors.take());
    TableReader reader(*root, "", errors);
    AgentConfig config;
    config.saved_dir = default_saved_dir();
    config.state_dir = default_state_dir();
    read_agent_table(reader, config, base);
    read_handlers(reader, config, base);
    reader.reject_unknown_keys();
    if (!errors.empty())
        return unexpected(errors.take());
    return config;
}

} // namespace

Expected<AgentConfig, ConfigErrors> load_agent_config_string(std::string_view text,
                                                             std::string source_name) {
    const std::filesystem::path base = std::filesystem::path(source_name).parent_path();
    return load_text(text, std::move(source_name), base);
}

Expected<AgentConfig, ConfigErrors> load_agent_config(const std::filesystem::path& file) {
    auto text = read_config_file(file);
    if (!text)
        return unexpected(std::move(text.error()));
    return load_text(text->text, file.string(), text->base_dir);
}

bool is_agent_config_file(const std::filesystem::path& file) {
    auto text = read_config_file(file);
    if (!text)
        return false;
    try {
        return toml::parse(text->text).contains("agent");
    } catch (const toml::parse_error&) {
        return false;
    }
}

} // namespace lmharvest::agent
