#include "agent/reopen_project.hpp"

#include "agent/agent.hpp"

#include <algorithm>

namespace lmharvest::agent {

Expected<void> reopen_project(AgentConfig config, const RecentProject& project) {
    std::erase_if(config.handlers,
                  [&](const HandlerConfig& h) { return h.name != project.handler; });
    if (config.handlers.empty())
        return unexpected("handler '" + project.handler +
                          "' that saved it is no longer in the agent's config");
    auto handlers = create_handlers(config);
    if (!handlers) {
        std::string problems;
        for (const std::string& problem : handlers.error())
            problems += (problems.empty() ? "" : "; ") + problem;
        return unexpected(problems);
    }
    return handlers->front()->reopen({project.app, project.path, project.saved_time});
}

} // namespace lmharvest::agent
