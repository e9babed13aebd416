// The readers of each top-level section; config.cpp calls them in dependency order (groups and
// servers before harvest, whose rules refer to them). Internal to lh_config, but for
// read_isolation, which the agent's config reads too.
#pragma once

#include "config/config.hpp"
#include "config/table_reader.hpp"

#include <filesystem>

namespace lmharvest {

/// [host]; relative paths are resolved against `base_dir`.
HostConfig read_host(TableReader& root, const std::filesystem::path& base_dir);
/// `isolation = "process" | "none"` of [host] or of one [[servers]] entry; nullopt when unset.
std::optional<Isolation> read_isolation(TableReader& reader);
/// [groups]
Groups read_groups(TableReader& root);
/// [[servers]]
std::vector<ServerConfig> read_servers(TableReader& root);
/// [harvest] and [[harvest.rules]], checking names against the groups and servers read before
/// (and, with groups_from = "nss", the system's groups).
HarvestConfig read_harvest(TableReader& root, const Groups& groups, GroupsFrom groups_from,
                           const std::vector<ServerConfig>& servers);
/// [agents]
AgentsConfig read_agents(TableReader& root);
/// [[tokens]]
std::vector<TokenConfig> read_tokens(TableReader& root);

} // namespace lmharvest
