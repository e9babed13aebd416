// The lh_host_api a plugin receives: logging into spdlog, its config table, monotonic time and
// child processes. One per loaded plugin, so that log lines carry the plugin's name.
#pragma once

#include "process/run_process.hpp"

#include <cstddef>
#include <lmharvest/host_api.h>
#include <string>

namespace lmharvest {

/// What the host API's functions reach through lh_host_api.host_data.
struct PluginHostData {
    std::string plugin_name; // the file's stem until the descriptor names the plugin
    ProcessRunner run_process;
};

/// The output limit of the adapter instance that calls into its plugin on this thread, for the
/// host API's run_process (lh_process_request has no field for it, and the ABI is frozen). A
/// run_process outside any scope (a thread of the plugin's own) gets default_max_output.
class ProcessLimitScope {
public:
    explicit ProcessLimitScope(std::size_t max_output);
    ~ProcessLimitScope();
    ProcessLimitScope(const ProcessLimitScope&) = delete;
    ProcessLimitScope& operator=(const ProcessLimitScope&) = delete;

    /// Why the host stopped a tool in this scope, as a sentence; empty when it stopped none.
    const std::string& stopped() const { return stopped_; }

private:
    friend struct ProcessLimitAccess;
    std::size_t max_output_;
    std::string stopped_;
    ProcessLimitScope* outer_;
};

/// A host API whose host_data is `data`; `data` must outlive every use of the result.
/// Its config_get_* functions take an lh_config* that is really a const PluginTable*.
lh_host_api make_host_api(PluginHostData& data);

} // namespace lmharvest
