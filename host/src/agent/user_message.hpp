// What the agent tells the user, and the one way it tells them (pop_ups.hpp shows it).
#pragma once

#include "agent/recent_projects.hpp"

#include <cstdint>
#include <functional>
#include <optional>
#include <string>

namespace lmharvest::agent {

/// `reopen`: the saved project a click on the pop-up reopens; `resume`: the pid of the
/// suspended app a click resumes (through the host's word that a license is free).
struct Message {
    std::string summary;
    std::string body;
    std::optional<RecentProject> reopen;
    std::optional<int64_t> resume;
};
/// Shows the user a message (a pop-up where there is a notification service, else the log).
using Tell = std::function<void(const Message&)>;
/// Whether the user can click a pop-up's action now (a notification service answers); asked
/// anew each time, since the service may start after the agent.
using TakesClicks = std::function<bool()>;

} // namespace lmharvest::agent
