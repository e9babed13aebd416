#include "config/config_sections.hpp"

namespace lmharvest {

Groups read_groups(TableReader& root) {
    Groups groups;
    const toml::table* table = root.get_table("groups");
    if (table == nullptr)
        return groups;
    // Every key is a group name, so none is unknown.
    TableReader reader(*table, "groups", root.errors());
    for (const auto& [name, node] : *table)
        if (auto users = reader.get_strings(name.str(), Need::optional, "[\"alice\", \"bob\"]"))
            groups.emplace(std::string(name.str()), std::move(*users));
    return groups;
}

} // namespace lmharvest
