// Shared by the loader's tests: where the built test plugins are, and config tables from text.
#pragma once

#include "config/plugin_table.hpp"
#include "plugins/adapter_instance.hpp"

#include <filesystem>
#include <string>
#include <string_view>
#include <toml++/toml.h>
#include <unistd.h>

namespace lmharvest::test {

/// test-plugins/<name>/ in the build tree (see tests/plugins/CMakeLists.txt).
inline std::filesystem::path test_plugin_dir(const std::string& name) {
    return std::filesystem::path(LH_BINARY_DIR) / "test-plugins" / name;
}

inline PluginTable table_from(std::string_view text) {
    return PluginTable(toml::parse(text, std::string_view("servers.toml")), "lmharvest.toml");
}

/// Settings for server `server_id` with a fresh state_dir under the build tree.
inline InstanceSettings settings_for(const std::string& adapter, std::string_view table_text,
                                     const std::string& server_id = "lic-test") {
    InstanceSettings settings;
    settings.server_id = server_id;
    settings.adapter = adapter;
    settings.address = "27000@lic1";
    settings.timeout = std::chrono::milliseconds(5000);
    settings.state_dir = std::filesystem::path(LH_BINARY_DIR) / "test-state" /
                         (server_id + "-" + std::to_string(::getpid()));
    std::filesystem::remove_all(settings.state_dir);
    settings.table = table_from(table_text);
    return settings;
}

} // namespace lmharvest::test
