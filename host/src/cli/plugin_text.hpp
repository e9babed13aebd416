// How plugins are described to a person (`plugins list`, `plugins inspect`).
#pragma once

#include "plugins/plugin_info.hpp"

#include <string>

namespace lmharvest {

/// "flexnet 1.0.0 (ABI 1.0, adapter; poll, close_session, denials) /usr/lib/.../flexnet.so"
std::string one_line(const PluginInfo& info);
/// One "key: value" line per fact.
std::string describe(const PluginInfo& info);

} // namespace lmharvest
