// The lh_host_api a plugin receives: logging into spdlog, its config table, monotonic time and
// child processes. One per loaded plugin, so that log lines carry the plugin's name.
#pragma once

#include "process/run_process.hpp"

#include <lmharvest/host_api.h>
#include <string>

namespace lmharvest {

/// What the host API's functions reach through lh_host_api.host_data.
struct PluginHostData {
    std::string plugin_name; // the file's stem until the descriptor names the plugin
    ProcessRunner run_process;
};

/// A host API whose host_data is `data`; `data` must outlive every use of the result.
/// Its config_get_* functions take an lh_config* that is really a const PluginTable*.
lh_host_api make_host_api(PluginHostData& data);

} // namespace lmharvest
