// One plugin instance's own TOML table (e.g. [servers.flexnet] of one [[servers]] entry), with
// the typed, dotted-key lookups that back lh_host_api's config_get_* functions.
//
// It remembers which keys were read, so that after the plugin's create() the host can refuse
// keys the plugin never looked at (a typo must not silently disable a setting).
#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace toml {
inline namespace v3 {
class table;
}
} // namespace toml

namespace lmharvest {

enum class Lookup { ok, not_found, wrong_type };

class PluginTable {
public:
    /// An empty table (the server has no [servers.<adapter>] table).
    PluginTable();
    /// A copy of `table`; `source` is the config file, for messages.
    PluginTable(const toml::table& table, std::string source);
    ~PluginTable();
    PluginTable(PluginTable&&) noexcept;
    PluginTable& operator=(PluginTable&&) noexcept;
    /// The same values and locations, with no key read yet (each instance tracks its own).
    PluginTable(const PluginTable& other);
    PluginTable& operator=(const PluginTable& other);

    /// Same keys and values (positions in the file do not count): a reload keeps the instance.
    bool operator==(const PluginTable& other) const;

    // Each lookup takes a dotted key ("close.argv"). Strings stay valid while the table lives.
    Lookup get_string(std::string_view key, const char*& out) const;
    Lookup get_int(std::string_view key, int64_t& out) const;
    Lookup get_bool(std::string_view key, bool& out) const;
    /// A duration string ("90s", "20m", "1h30m") or an integer of seconds, in milliseconds.
    Lookup get_duration_ms(std::string_view key, int64_t& out) const;
    /// Element `index` of an array of strings; not_found past its end or when absent.
    Lookup get_string_at(std::string_view key, uint32_t index, const char*& out) const;

    /// Dotted keys of every leaf value in the table that no lookup has asked for, sorted.
    std::vector<std::string> unread_keys() const;
    /// Where each key is, "file:line:col", for error messages ("" when unknown).
    std::string location_of(std::string_view key) const;

    /// The values as TOML text, for an adapter worker (isolation/); positions are not kept.
    std::string to_toml() const;
    /// A table of to_toml()'s text; an empty table when the text is not TOML.
    static PluginTable from_toml(std::string_view text);

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

} // namespace lmharvest
