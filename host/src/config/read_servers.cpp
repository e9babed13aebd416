#include "config/config_sections.hpp"
#include "config/safe_name.hpp"

#include <algorithm>
#include <map>

namespace lmharvest {
namespace {

using namespace std::chrono_literals;

// Polling more than once a second only loads the license server; a day is the longest gap
// that still keeps "who holds what" meaningful.
constexpr DurationRange interval_range{1s, 24h};
// One tool run: long enough for a slow triad, short enough that a hung tool is noticed (and
// it must fit the ABI's 32-bit timeout_ms).
constexpr DurationRange timeout_range{100ms, 10min};
// The id names the server's state folder (<state_dir>/servers/<id>), so it must stay a plain
// file name; it also goes into logs, URLs and the store (safe_name.hpp).
void check_id(TableReader& reader, const std::string& id) {
    const toml::node& node = *reader.table().get("id");
    if (id == "." || id == "..")
        return reader.error_at(node, "id",
                               "\"" + id +
                                   "\" is not a usable folder name; write e.g. id = "
                                   "\"eng-flex\"");
    if (auto safe = check_safe_name(id, "id"); !safe)
        reader.error_at(node, "id", safe.error());
}

// The only sub-table a server may have is the one named after its adapter; it goes to the plugin.
void read_adapter_table(TableReader& reader, ServerConfig& server) {
    if (!server.adapter.empty())
        if (const toml::table* table = reader.get_table(server.adapter))
            server.plugin_table = PluginTable(*table, reader.errors().file());
    for (const auto& [key, node] : reader.unknown_keys()) {
        if (node->is_table() && !server.adapter.empty())
            reader.errors().add(key->source(), reader.key_path(key->str()) + ": table [servers." +
                                                   std::string(key->str()) +
                                                   "] does not match adapter \"" + server.adapter +
                                                   "\"; name it [servers." + server.adapter + "]");
        else if (!node->is_table())
            reader.reject_unknown_key(*key, *node);
    }
}

ServerConfig read_server(const toml::table& table, std::string path, ErrorList& errors) {
    TableReader reader(table, std::move(path), errors);
    ServerConfig server;
    server.location = format_location(errors.file(), table.source());
    if (auto id = reader.get_string("id", Need::required, "\"eng-flex\"")) {
        check_id(reader, *id);
        server.id = *id;
    }
    server.adapter = reader.get_string("adapter", Need::required, "\"flexnet\"").value_or("");
    server.address = reader.get_string("address", Need::required, "\"27000@lic1\"").value_or("");
    server.interval = reader.get_duration("interval", interval_range).value_or(server.interval);
    server.timeout = reader.get_duration("timeout", timeout_range).value_or(server.timeout);
    server.max_output = reader.get_byte_size("max_output", 1024, "1KB").value_or(server.max_output);
    server.enabled = reader.get_bool("enabled").value_or(server.enabled);
    if (auto name = reader.get_choice("encoding", text::encoding_names(), "utf-8"))
        server.encoding = *text::encoding_from_name(*name);
    server.isolation = read_isolation(reader);
    read_adapter_table(reader, server);
    return server;
}

} // namespace

std::vector<ServerConfig> read_servers(TableReader& root) {
    std::vector<ServerConfig> servers;
    const toml::array* array = root.get_table_array("servers", "[[servers]]");
    if (array == nullptr)
        return servers;
    std::map<std::string, uint32_t, std::less<>> first_line_of_id;
    for (size_t i = 0; i < array->size(); ++i) {
        const toml::table* table = array->get(i)->as_table();
        if (table == nullptr)
            continue;
        const std::string path = "servers[" + std::to_string(i) + "]";
        ServerConfig server = read_server(*table, path, root.errors());
        if (!server.id.empty()) {
            const toml::node& id_node = *table->get("id");
            auto [first, inserted] =
                first_line_of_id.emplace(server.id, id_node.source().begin.line);
            if (!inserted)
                root.errors().add(id_node.source(), path + ".id: duplicate id \"" + server.id +
                                                        "\", already used at line " +
                                                        std::to_string(first->second) +
                                                        "; give each server its own id");
        }
        servers.push_back(std::move(server));
    }
    return servers;
}

} // namespace lmharvest
