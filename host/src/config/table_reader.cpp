#include "config/table_reader.hpp"

#include "config/byte_size.hpp"
#include "config/duration.hpp"
#include "config/nearest_name.hpp"
#include "config/threshold.hpp"

#include <algorithm>
#include <sstream>

namespace lmharvest {

std::string describe_node(const toml::node& node) {
    std::ostringstream out;
    switch (node.type()) {
    case toml::node_type::string:
        out << "string \"" << node.as_string()->get() << "\"";
        break;
    case toml::node_type::integer:
        out << "integer " << node.as_integer()->get();
        break;
    case toml::node_type::floating_point:
        out << "number " << node.as_floating_point()->get();
        break;
    case toml::node_type::boolean:
        out << "boolean " << (node.as_boolean()->get() ? "true" : "false");
        break;
    case toml::node_type::array:
        out << "an array";
        break;
    case toml::node_type::table:
        out << "a table";
        break;
    default:
        out << "a date or time";
        break;
    }
    return out.str();
}

TableReader::TableReader(const toml::table& table, std::string path, ErrorList& errors)
    : table_(table), path_(std::move(path)), errors_(errors) {}

std::string TableReader::key_path(std::string_view key) const {
    return path_.empty() ? std::string(key) : path_ + "." + std::string(key);
}

void TableReader::error_at(const toml::node& node, std::string_view key, std::string_view message) {
    errors_.add(node.source(), key_path(key) + ": " + std::string(message));
}

void TableReader::type_error(const toml::node& node, std::string_view key,
                             std::string_view expected, std::string_view example) {
    error_at(node, key,
             "expected " + std::string(expected) + ", got " + describe_node(node) + "; write " +
                 std::string(key) + " = " + std::string(example));
}

const toml::node* TableReader::accept(std::string_view key) {
    known_.emplace_back(key);
    return table_.get(key);
}

const toml::node* TableReader::find(std::string_view key, Need need, std::string_view example) {
    const toml::node* node = accept(key);
    if (node == nullptr && need == Need::required)
        errors_.add(table_.source(), path_ + ": missing required key '" + std::string(key) +
                                         "'; add " + std::string(key) + " = " +
                                         std::string(example));
    return node;
}

std::optional<std::string> TableReader::get_string(std::string_view key, Need need,
                                                   std::string_view example) {
    const toml::node* node = find(key, need, example);
    if (node == nullptr)
        return std::nullopt;
    if (!node->is_string()) {
        type_error(*node, key, "a string", example);
        return std::nullopt;
    }
    std::string value = node->as_string()->get();
    if (value.empty()) {
        error_at(*node, key, "is empty; write " + std::string(key) + " = " + std::string(example));
        return std::nullopt;
    }
    return value;
}

std::optional<std::string> TableReader::get_choice(std::string_view key,
                                                   const std::vector<std::string>& choices,
                                                   std::string_view default_choice) {
    const std::string example = "\"" + std::string(default_choice) + "\"";
    std::optional<std::string> value = get_string(key, Need::optional, example);
    if (!value || std::find(choices.begin(), choices.end(), *value) != choices.end())
        return value;
    std::string message = "\"" + *value + "\" is not one of ";
    for (size_t i = 0; i < choices.size(); ++i)
        message += (i ? ", " : "") + choices[i];
    if (auto near = nearest_name(*value, choices))
        message += "; did you mean \"" + *near + "\"?";
    else
        message += "; write e.g. " + std::string(key) + " = " + example;
    error_at(*table_.get(key), key, message);
    return std::nullopt;
}

std::optional<bool> TableReader::get_bool(std::string_view key) {
    const toml::node* node = accept(key);
    if (node == nullptr)
        return std::nullopt;
    if (!node->is_boolean()) {
        type_error(*node, key, "true or false", "true");
        return std::nullopt;
    }
    return node->as_boolean()->get();
}

std::optional<int64_t> TableReader::get_int(std::string_view key, int64_t min,
                                            std::string_view example) {
    const toml::node* node = accept(key);
    if (node == nullptr)
        return std::nullopt;
    if (!node->is_integer()) {
        type_error(*node, key, "a whole number", example);
        return std::nullopt;
    }
    int64_t value = node->as_integer()->get();
    if (value < min) {
        error_at(*node, key,
                 std::to_string(value) + " is below " + std::to_string(min) + "; write " +
                     std::to_string(min) + " or more");
        return std::nullopt;
    }
    return value;
}

std::optional<std::chrono::milliseconds> TableReader::get_duration(std::string_view key,
                                                                   const DurationRange& range) {
    const toml::node* node = accept(key);
    if (node == nullptr)
        return std::nullopt;
    if (node->is_integer()) {
        std::string number = std::to_string(node->as_integer()->get());
        error_at(*node, key, number + " has no unit; write \"" + number + "s\"");
        return std::nullopt;
    }
    if (!node->is_string()) {
        type_error(*node, key, "a duration string", "\"60s\"");
        return std::nullopt;
    }
    const std::string& text = node->as_string()->get();
    auto duration = parse_duration(text);
    if (!duration) {
        error_at(*node, key, duration.error());
        return std::nullopt;
    }
    if (*duration < range.min || *duration > range.max) {
        const bool short_ = *duration < range.min;
        error_at(*node, key,
                 "\"" + text + "\" is out of range " + format_range(range) + "; write " +
                     (short_ ? "at least \"" + format_duration(range.min)
                             : "at most \"" + format_duration(range.max)) +
                     "\"");
        return std::nullopt;
    }
    return *duration;
}

std::optional<double> TableReader::get_threshold(std::string_view key) {
    const toml::node* node = accept(key);
    if (node == nullptr)
        return std::nullopt;
    if (!node->is_number() && !node->is_string()) {
        type_error(*node, key, "a share in 0..1 or a percentage", "0.80");
        return std::nullopt;
    }
    Expected<double> threshold = node->is_string()
                                     ? parse_threshold_percent(node->as_string()->get())
                                     : check_threshold(*node->value<double>());
    if (!threshold) {
        error_at(*node, key, threshold.error());
        return std::nullopt;
    }
    return *threshold;
}

std::optional<std::vector<std::string>> TableReader::get_strings(std::string_view key, Need need,
                                                                 std::string_view example) {
    const toml::node* node = find(key, need, example);
    if (node == nullptr)
        return std::nullopt;
    const toml::array* array = node->as_array();
    if (array == nullptr) {
        type_error(*node, key, "an array of strings", example);
        return std::nullopt;
    }
    if (need == Need::required && array->empty()) {
        error_at(*node, key,
                 "is empty; list at least one, e.g. " + std::string(key) + " = " +
                     std::string(example));
        return std::nullopt;
    }
    std::vector<std::string> values;
    for (size_t i = 0; i < array->size(); ++i) {
        const toml::node& element = *array->get(i);
        if (const auto* text = element.as_string())
            values.push_back(text->get());
        else
            errors_.add(element.source(), key_path(key) + "[" + std::to_string(i) +
                                              "]: expected a string, got " +
                                              describe_node(element) + "; put it in quotes");
    }
    return values;
}

const toml::table* TableReader::get_table(std::string_view key) {
    const toml::node* node = accept(key);
    if (node == nullptr)
        return nullptr;
    if (!node->is_table()) {
        type_error(*node, key, "a table", "{ ... } or a [" + key_path(key) + "] section");
        return nullptr;
    }
    return node->as_table();
}

const toml::array* TableReader::get_table_array(std::string_view key, std::string_view example) {
    const toml::node* node = accept(key);
    if (node == nullptr)
        return nullptr;
    const toml::array* array = node->as_array();
    if (array == nullptr) {
        error_at(*node, key,
                 "expected " + std::string(example) + " sections, got " + describe_node(*node) +
                     "; write each entry as a " + std::string(example) + " section");
        return nullptr;
    }
    for (size_t i = 0; i < array->size(); ++i)
        if (!array->get(i)->is_table())
            errors_.add(array->get(i)->source(),
                        key_path(key) + "[" + std::to_string(i) + "]: expected a table, got " +
                            describe_node(*array->get(i)) + "; write each entry as a " +
                            std::string(example) + " section");
    return array;
}

std::vector<std::pair<const toml::key*, const toml::node*>> TableReader::unknown_keys() const {
    std::vector<std::pair<const toml::key*, const toml::node*>> unknown;
    for (const auto& [key, node] : table_)
        if (std::find(known_.begin(), known_.end(), key.str()) == known_.end())
            unknown.emplace_back(&key, &node);
    return unknown;
}

void TableReader::reject_unknown_keys() {
    for (const auto& [key, node] : unknown_keys())
        reject_unknown_key(*key, *node);
}

void TableReader::reject_unknown_key(const toml::key& key, const toml::node& node) {
    const bool is_table = node.is_table() || node.is_array_of_tables();
    const std::string where = path_.empty()          ? "at the top level"
                              : path_.ends_with(']') ? "in " + path_
                                                     : "in [" + path_ + "]";
    std::string message = is_table ? "unknown table [" + key_path(key.str()) + "]"
                                   : "unknown key '" + std::string(key.str()) + "' " + where;
    if (auto near = nearest_name(key.str(), known_)) {
        message += is_table ? "; did you mean [" + key_path(*near) + "]?"
                            : "; did you mean '" + *near + "'?";
    } else {
        message += "; remove it, or use one of: ";
        for (size_t i = 0; i < known_.size(); ++i)
            message += (i ? ", " : "") + known_[i];
    }
    errors_.add(key.source(), message);
}

std::optional<uint64_t> TableReader::get_byte_size(std::string_view key, uint64_t min,
                                                   std::string_view min_text) {
    const toml::node* node = accept(key);
    if (node == nullptr)
        return std::nullopt;
    if (node->is_integer()) {
        const std::string number = std::to_string(node->as_integer()->get());
        error_at(*node, key, number + " has no unit; write \"" + number + "MB\"");
        return std::nullopt;
    }
    if (!node->is_string()) {
        type_error(*node, key, "a size string", "\"64MB\"");
        return std::nullopt;
    }
    const std::string& text = node->as_string()->get();
    const auto size = parse_byte_size(text);
    if (!size) {
        error_at(*node, key, size.error());
        return std::nullopt;
    }
    if (*size < min) {
        error_at(*node, key,
                 "\"" + text + "\" is smaller than " + std::string(min_text) +
                     "; write at least \"" + std::string(min_text) + "\"");
        return std::nullopt;
    }
    return *size;
}

} // namespace lmharvest
