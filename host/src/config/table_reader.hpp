// Reads one table of the config schema. Each getter declares a key as known, checks its type and
// value, and reports problems with the key's path ("servers[1].interval") and a fix; afterwards
// reject_unknown_keys() reports every key no getter asked for, with a "did you mean".
#pragma once

#include "config/duration.hpp"
#include "config/error_list.hpp"

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <toml++/toml.h>
#include <vector>

namespace lmharvest {

enum class Need { optional, required };

class TableReader {
public:
    /// `path` is the table's place in the file: "" for the root, "harvest", "servers[1]".
    TableReader(const toml::table& table, std::string path, ErrorList& errors);

    // `example` is a valid value as written in TOML (`"27000@lic1"`, `true`), shown in fixes.
    /// A non-empty string.
    std::optional<std::string> get_string(std::string_view key, Need need,
                                          std::string_view example);
    /// One of `choices`; `default_choice` is shown as the example.
    std::optional<std::string> get_choice(std::string_view key,
                                          const std::vector<std::string>& choices,
                                          std::string_view default_choice);
    std::optional<bool> get_bool(std::string_view key);
    std::optional<int64_t> get_int(std::string_view key, int64_t min, std::string_view example);
    /// A duration string within `range`; outside it, the error names the range.
    std::optional<std::chrono::milliseconds> get_duration(std::string_view key,
                                                          const DurationRange& range);
    /// A number in 0..1 or a percentage string ("80%").
    std::optional<double> get_threshold(std::string_view key);
    /// A size string ("64MB") of at least `min` bytes, `min_text` as the config writes it.
    std::optional<uint64_t> get_byte_size(std::string_view key, uint64_t min,
                                          std::string_view min_text);
    /// An array of strings; bad elements are reported and left out.
    std::optional<std::vector<std::string>> get_strings(std::string_view key, Need need,
                                                        std::string_view example);
    /// A sub-table, or nullptr when absent or of another type (then reported).
    const toml::table* get_table(std::string_view key);
    /// An array whose elements are tables ([[key]]), or nullptr when absent or of another type.
    const toml::array* get_table_array(std::string_view key, std::string_view example);

    /// Declares `key` known without reading it, and returns its node (nullptr when absent).
    const toml::node* accept(std::string_view key);
    /// Keys present in the table that no getter or accept() has asked for.
    std::vector<std::pair<const toml::key*, const toml::node*>> unknown_keys() const;
    /// Reports each unknown key, suggesting the nearest known one.
    void reject_unknown_keys();
    /// Reports one unknown key as reject_unknown_keys() does.
    void reject_unknown_key(const toml::key& key, const toml::node& node);

    /// Reports `message` at `node`, prefixed with the path of `key` in this table.
    void error_at(const toml::node& node, std::string_view key, std::string_view message);
    /// "servers[1].interval" for key "interval".
    std::string key_path(std::string_view key) const;
    const toml::table& table() const { return table_; }
    const std::string& path() const { return path_; }
    ErrorList& errors() { return errors_; }

private:
    /// accept(), and reports a missing key when `need` is required.
    const toml::node* find(std::string_view key, Need need, std::string_view example);
    void type_error(const toml::node& node, std::string_view key, std::string_view expected,
                    std::string_view example);

    const toml::table& table_;
    std::string path_;
    ErrorList& errors_;
    std::vector<std::string> known_;
};

/// "integer 60", "string \"yes\"", "a table": what a node holds, for messages.
std::string describe_node(const toml::node& node);

} // namespace lmharvest
