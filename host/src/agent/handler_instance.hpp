// One handler instance: a loaded handler plugin bound to its [handlers.<name>] table and folders;
// the counterpart of plugins/adapter_instance for the agent. Every call into the plugin is
// guarded (an error status or an exception becomes a value) and serialized per instance. A
// save-and-close runs on a thread of its own: past its deadline the agent stops waiting and
// reports the handler as failed, so a hung handler never hangs the agent (it keeps the thread).
// With isolation = "process" (the default) all of this runs in a worker process, and a crash
// costs the worker, not the agent.
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

/// One handler as the agent uses it: in this process (HandlerInstance::create) or in a worker
/// process of its own (isolation/handler_worker_client.hpp); the agent cannot tell which.
class HandlerInstance {
public:
    /// Creates the instance in this process. Refused when the plugin is no handler, its create
    /// fails, or (with `refuse_unread_keys`) the table holds keys the plugin never read.
    static Expected<std::unique_ptr<HandlerInstance>>
    create(std::shared_ptr<const LoadedPlugin> plugin, HandlerSettings settings,
           bool refuse_unread_keys = true);
    virtual ~HandlerInstance() = default;

    virtual const std::string& name() const = 0;
    /// The licensed features `process` holds; empty when it is not this handler's app. While a
    /// save-and-close holds the instance, the last answer for that pid is given.
    virtual std::vector<std::string> features(const ProcessFacts& process) = 0;
    /// What the app says of itself; unknown without the ABI 1.1 entry or while busy.
    virtual HandlerActivity activity(const ProcessFacts& process) = 0;
    virtual bool can_save() const = 0;
    virtual bool can_reopen() const = 0;
    /// Saves and closes the app; the projects saved. Answers within `deadline` (the time the
    /// host waits): the handler is given 3/4 of it, and past 9/10 the agent stops waiting and
    /// reports the handler as failed (the app then still runs; a 1.0 handler knows no deadline).
    virtual Expected<std::vector<SavedProject>>
    save_and_close(int64_t pid, std::chrono::milliseconds deadline, const std::string& reason) = 0;
    virtual Expected<void> reopen(const SavedProject& project) = 0;
    /// Keys of the handler's table that its create() did not read (typos).
    virtual std::vector<std::string> unread_keys() const = 0;
};

/// The messages for `keys` of the [handlers.<name>] table that the plugin never read, each with
/// its place in the config file; empty when there are none.
std::string unread_handler_keys_message(const HandlerSettings& settings,
                                        const std::vector<std::string>& keys);

/// How long the agent waits for a save-and-close that the host waits `deadline` for: 9/10 of
/// it, so that a failed result still reaches the host in time.
std::chrono::milliseconds agent_share(std::chrono::milliseconds deadline);

/// How long a reopen may take before the agent gives up on it.
inline constexpr std::chrono::seconds reopen_limit{30};

} // namespace lmharvest::agent
