#include "config/plugin_table.hpp"

#include "config/duration.hpp"
#include "config/error_list.hpp"

#include <algorithm>
#include <limits>
#include <map>
#include <sstream>
#include <toml++/toml.h>

namespace lmharvest {
namespace {

// Follows a dotted key ("close.argv") through nested tables; nullptr when any part is absent.
const toml::node* walk(const toml::table& table, std::string_view key) {
    const toml::node* node = &table;
    while (node != nullptr) {
        const toml::table* current = node->as_table();
        if (current == nullptr)
            return nullptr;
        size_t dot = key.find('.');
        node = current->get(key.substr(0, dot));
        if (dot == std::string_view::npos)
            return node;
        key.remove_prefix(dot + 1);
    }
    return nullptr;
}

// Calls visit(dotted_key, node, is_leaf) for every key, depth first. Arrays are leaves: reading
// any index of one reads it.
template <class Visit>
void for_each_key(const toml::table& table, const std::string& prefix, Visit&& visit) {
    for (const auto& [key, node] : table) {
        std::string path =
            prefix.empty() ? std::string(key.str()) : prefix + "." + std::string(key.str());
        const toml::table* sub = node.as_table();
        visit(path, node, sub == nullptr);
        if (sub != nullptr)
            for_each_key(*sub, path, visit);
    }
}

} // namespace

struct PluginTable::Impl {
    toml::table table; // never modified after construction, so lookups need no lock
    // "file:line:col" per dotted key, taken from the parsed file: toml++ drops positions on copy.
    std::map<std::string, std::string, std::less<>> locations;
    // Guards read_keys: the plugin may look keys up from several threads at once.
    mutable std::mutex mutex;
    mutable std::set<std::string, std::less<>> read_keys;

    const toml::node* read(std::string_view key) const {
        {
            std::lock_guard lock(mutex);
            read_keys.emplace(key);
        }
        return walk(table, key);
    }
};

namespace {

// A moved-from table has no Impl and behaves as an empty one. (A template, because Impl is a
// private name outside the class.)
template <class ImplPtr> const toml::node* read(const ImplPtr& impl, std::string_view key) {
    return impl ? impl->read(key) : nullptr;
}

// The node at `key` as a T (toml::value<T>, or toml::array): not_found or wrong_type otherwise.
template <class T, class ImplPtr>
Lookup read_as(const ImplPtr& impl, std::string_view key,
               decltype(std::declval<const toml::node&>().as<T>())& out) {
    const toml::node* node = read(impl, key);
    if (node == nullptr)
        return Lookup::not_found;
    out = node->as<T>();
    return out != nullptr ? Lookup::ok : Lookup::wrong_type;
}

} // namespace

PluginTable::PluginTable() : impl_(std::make_unique<Impl>()) {}

PluginTable::PluginTable(const toml::table& table, std::string source)
    : impl_(std::make_unique<Impl>()) {
    impl_->table = table;
    for_each_key(table, "", [&](const std::string& key, const toml::node& node, bool) {
        impl_->locations.emplace(key, format_location(source, node.source()));
    });
}

PluginTable::~PluginTable() = default;
PluginTable::PluginTable(PluginTable&&) noexcept = default;
PluginTable& PluginTable::operator=(PluginTable&&) noexcept = default;

PluginTable::PluginTable(const PluginTable& other) : impl_(std::make_unique<Impl>()) {
    if (!other.impl_)
        return;
    impl_->table = other.impl_->table;
    impl_->locations = other.impl_->locations;
}

PluginTable& PluginTable::operator=(const PluginTable& other) {
    return *this = PluginTable(other);
}

bool PluginTable::operator==(const PluginTable& other) const {
    static const toml::table empty;
    return (impl_ ? impl_->table : empty) == (other.impl_ ? other.impl_->table : empty);
}

Lookup PluginTable::get_string(std::string_view key, const char*& out) const {
    const toml::value<std::string>* text = nullptr;
    Lookup found = read_as<std::string>(impl_, key, text);
    if (found == Lookup::ok)
        out = text->get().c_str();
    return found;
}

Lookup PluginTable::get_int(std::string_view key, int64_t& out) const {
    const toml::value<int64_t>* number = nullptr;
    Lookup found = read_as<int64_t>(impl_, key, number);
    if (found == Lookup::ok)
        out = number->get();
    return found;
}

Lookup PluginTable::get_bool(std::string_view key, bool& out) const {
    const toml::value<bool>* flag = nullptr;
    Lookup found = read_as<bool>(impl_, key, flag);
    if (found == Lookup::ok)
        out = flag->get();
    return found;
}

Lookup PluginTable::get_duration_ms(std::string_view key, int64_t& out) const {
    const toml::node* node = read(impl_, key);
    if (node == nullptr)
        return Lookup::not_found;
    if (const auto* seconds = node->as_integer()) {
        if (seconds->get() < 0 || seconds->get() > std::numeric_limits<int64_t>::max() / 1000)
            return Lookup::wrong_type;
        out = seconds->get() * 1000;
        return Lookup::ok;
    }
    const auto* text = node->as_string();
    if (text == nullptr)
        return Lookup::wrong_type;
    auto duration = parse_duration(text->get());
    if (!duration)
        return Lookup::wrong_type;
    out = duration->count();
    return Lookup::ok;
}

Lookup PluginTable::get_string_at(std::string_view key, uint32_t index, const char*& out) const {
    const toml::array* array = nullptr;
    if (Lookup found = read_as<toml::array>(impl_, key, array); found != Lookup::ok)
        return found;
    if (index >= array->size())
        return Lookup::not_found;
    const auto* text = array->get(index)->as_string();
    if (text == nullptr)
        return Lookup::wrong_type;
    out = text->get().c_str();
    return Lookup::ok;
}

std::vector<std::string> PluginTable::unread_keys() const {
    std::vector<std::string> unread;
    if (!impl_)
        return unread;
    std::vector<std::string> leaves;
    for_each_key(impl_->table, "", [&](const std::string& key, const toml::node&, bool is_leaf) {
        if (is_leaf)
            leaves.push_back(key);
    });
    std::lock_guard lock(impl_->mutex);
    std::copy_if(leaves.begin(), leaves.end(), std::back_inserter(unread),
                 [&](const std::string& key) { return !impl_->read_keys.contains(key); });
    std::sort(unread.begin(), unread.end());
    return unread;
}

std::string PluginTable::location_of(std::string_view key) const {
    if (!impl_)
        return "";
    auto location = impl_->locations.find(key);
    return location == impl_->locations.end() ? "" : location->second;
}

std::string PluginTable::to_toml() const {
    std::ostringstream out;
    out << toml::toml_formatter(impl_->table);
    return out.str();
}

PluginTable PluginTable::from_toml(std::string_view text) {
    try {
        return PluginTable(toml::parse(text), "");
    } catch (const toml::parse_error&) {
        return PluginTable();
    }
}

} // namespace lmharvest
