// The demo's stand-in for the people at the simulated workstations: from the open sessions it
// invents what each user's agent would report (DESIGN §4a), the same way every time for the
// same user, so that a newcomer sees every kind of plan decision within minutes. Demo only: a
// real site runs `lmharvest agent` on each workstation.
#pragma once

#include "protocol/agent_messages.hpp"
#include "store/store_records.hpp"

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace lmharvest {

/// What a scripted user does, chosen from the user name.
enum class ScriptedHabit {
    idle_since_checkout, ///< opened the app and left: idle as long as the session is old
    working,             ///< input a minute or so ago
    computing,           ///< no input, but the app's CPU is busy (a simulation runs)
    no_agent,            ///< no agent on that workstation: no activity data, never idle
};

ScriptedHabit scripted_habit(const std::string& user);

/// The reports of every scripted workstation for `sessions` at `now` (epoch seconds): one agent
/// per user and host, one app per licensed feature the user holds there; users whose habit is
/// no_agent get none, and neither do sessions on `real_machine` (the one the demo runs on): a
/// real `lmharvest agent` may report those, and a scripted one must not speak for it.
std::vector<AgentReport> scripted_reports(const std::vector<SessionRecord>& sessions, int64_t now,
                                          std::string_view real_machine);

} // namespace lmharvest
