// Reopening a saved project through the handler that saved it: `lmharvest agent reopen N` and a
// click on a pop-up's Reopen share this.
#pragma once

#include "agent/agent_config.hpp"
#include "agent/recent_projects.hpp"
#include "common/expected.hpp"

namespace lmharvest::agent {

/// Loads only `project`'s handler from `config` and asks it to reopen the project.
Expected<void> reopen_project(AgentConfig config, const RecentProject& project);

} // namespace lmharvest::agent
