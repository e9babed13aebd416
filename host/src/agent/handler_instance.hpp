// One handler instance: a loaded handler plugin bound to its [handlers.<name>] table and folders;
// the counterpart of plugins/adapter_instance for the agent. Every call into the plugin is
// guarded (an error status or an exception becomes a value) and serialized per instance. A
// save-and-close runs on a worker thread: past its deadline the agent stops waiting and reports
// the handler as failed, so a hung handler never hangs the agent (it keeps its worker).
#pragma once

#include "common/expected.hpp"
#include "config/plugin_table.hpp"
#include "plugins/loaded_plugin.hpp"
#include "protocol/agent_messages.hpp"

#include <chrono>
#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace lmharvest::agent {

/// A process as a handler is asked about it.
struct ProcessFacts {
    int64_t pid = 0;
    std::string executable;
    std::string command_line;
    std::string user;
    std::string display;
};

struct HandlerSettings {
    std::string name; ///< [[handlers]] name
    PluginTable table;
    std::filesystem::path state_dir; ///< created 0700
    std::filesystem::path saved_dir; ///< created 0700
};

/// What the app's handler says the app is doing (lh_app_activity), as opposed to the focus idle
/// and CPU the desktop measures (desktop/activity_ledger.hpp's AppActivity).
enum class HandlerActivity { unknown, waiting, busy };

class HandlerInstance {
public:
    /// Refused when the plugin is no handler, its create fails, or the table holds keys the
    /// plugin never read.
    static Expected<std::unique_ptr<HandlerInstance>>
    create(std::shared_ptr<const LoadedPlugin> plugin, HandlerSettings settings);
    ~HandlerInstance();
    HandlerInstance(const HandlerInstance&) = delete;
    HandlerInstance& operator=(const HandlerInstance&) = delete;

    const std::string& name() const;
    /// The licensed features `process` holds; empty when it is not this handler's app. While a
    /// save-and-close holds the instance, the last answer for that pid is given.
    std::vector<std::string> features(const ProcessFacts& process);
    /// What the app says of itself; unknown without the ABI 1.1 entry or while busy.
    HandlerActivity activity(const ProcessFacts& process);
    bool can_save() const;
    bool can_reopen() const;
    /// Saves and closes the app; the projects saved. Answers within `deadline` (the time the
    /// host waits): the handler is given 3/4 of it, and past 9/10 the agent stops waiting and
    /// reports the handler as failed (the app then still runs; a 1.0 handler knows no deadline).
    Expected<std::vector<SavedProject>>
    save_and_close(int64_t pid, std::chrono::milliseconds deadline, const std::string& reason);
    Expected<void> reopen(const SavedProject& project);

private:
    struct Core;
    explicit HandlerInstance(std::shared_ptr<Core> core);
    std::shared_ptr<Core> core_; // shared with a save-and-close worker that may outlive a call
};

} // namespace lmharvest::agent
