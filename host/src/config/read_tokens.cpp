#include "config/config_sections.hpp"
#include "config/safe_name.hpp"

#include <algorithm>
#include <array>
#include <map>

namespace lmharvest {
namespace {

constexpr std::array roles{Role::viewer, Role::operator_, Role::admin, Role::agent};

bool is_sha256_hex(const std::string& text) {
    return text.size() == 64 && std::all_of(text.begin(), text.end(), [](char c) {
               return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
           });
}

std::string lower(std::string text) {
    std::transform(text.begin(), text.end(), text.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return text;
}

void read_name(TableReader& reader, TokenConfig& token) {
    auto name = reader.get_string("name", Need::required, "\"ops-alice\"");
    if (!name)
        return;
    const toml::node& node = *reader.table().get("name");
    if (auto safe = check_safe_name(*name, "name"); !safe)
        return reader.error_at(node, "name", safe.error());
    if (*name == api_token_file_name)
        return reader.error_at(node, "name",
                               "\"" + *name +
                                   "\" is the name of the token in <state_dir>/api-token; "
                                   "choose another name");
    token.name = *name;
}

void read_sha256(TableReader& reader, TokenConfig& token) {
    auto hash = reader.get_string("sha256", Need::required,
                                  "\"<the sha256 line `lmharvest token add` prints>\"");
    if (!hash)
        return;
    if (!is_sha256_hex(*hash))
        return reader.error_at(*reader.table().get("sha256"), "sha256",
                               "\"" + *hash +
                                   "\" is not 64 hex digits; write the sha256 line that "
                                   "`lmharvest token add` prints (the token itself never goes "
                                   "into the config)");
    token.sha256 = lower(*hash);
}

TokenConfig read_token(const toml::table& table, std::string path, ErrorList& errors) {
    TableReader reader(table, std::move(path), errors);
    TokenConfig token;
    read_name(reader, token);
    std::vector<std::string> names;
    for (Role role : roles)
        names.emplace_back(to_string(role));
    if (!table.contains("role"))
        errors.add(table.source(), reader.path() + ": missing required key 'role'; add role = " +
                                       "\"viewer\" (or operator, admin, agent)");
    const auto role = reader.get_choice("role", names, "viewer");
    if (role)
        token.role = *role_from_name(*role);
    read_sha256(reader, token);
    if (auto hosts = reader.get_strings("hosts", Need::optional, "[\"ws-*\"]")) {
        if (role && token.role != Role::agent)
            reader.error_at(*table.get("hosts"), "hosts",
                            "only agent tokens are bound to hosts; remove hosts, or set role = "
                            "\"agent\"");
        token.hosts = std::move(*hosts);
    }
    reader.reject_unknown_keys();
    return token;
}

// Two entries with one name would make the audit log ambiguous; two with one hash are one
// token with two names.
void reject_duplicate(TableReader& root, const toml::table& table, const std::string& path,
                      const char* key, const std::string& value,
                      std::map<std::string, uint32_t>& first_line, const char* fix) {
    if (value.empty())
        return;
    const toml::node& node = *table.get(key);
    auto [first, inserted] = first_line.emplace(value, node.source().begin.line);
    if (!inserted)
        root.errors().add(node.source(), path + "." + key + ": the same as the entry at line " +
                                             std::to_string(first->second) + "; " + fix);
}

} // namespace

const char* to_string(Role role) {
    switch (role) {
    case Role::viewer:
        return "viewer";
    case Role::operator_:
        return "operator";
    case Role::admin:
        return "admin";
    case Role::agent:
        break;
    }
    return "agent";
}

std::optional<Role> role_from_name(std::string_view name) {
    for (Role role : roles)
        if (name == to_string(role))
            return role;
    return std::nullopt;
}

std::vector<TokenConfig> read_tokens(TableReader& root) {
    std::vector<TokenConfig> tokens;
    const toml::array* array = root.get_table_array("tokens", "[[tokens]]");
    if (array == nullptr)
        return tokens;
    std::map<std::string, uint32_t> names, hashes;
    for (size_t i = 0; i < array->size(); ++i) {
        const toml::table* table = array->get(i)->as_table();
        if (table == nullptr)
            continue;
        const std::string path = "tokens[" + std::to_string(i) + "]";
        TokenConfig token = read_token(*table, path, root.errors());
        reject_duplicate(root, *table, path, "name", token.name, names,
                         "give each token its own name");
        reject_duplicate(root, *table, path, "sha256", token.sha256, hashes,
                         "one token has one entry; make a new token with `lmharvest token add`");
        tokens.push_back(std::move(token));
    }
    return tokens;
}

} // namespace lmharvest
