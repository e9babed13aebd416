// The last check before a plugin is accepted: is its descriptor one this host can use?
// Pure: it reads the structs and nothing else, so tests can hand it any descriptor.
#pragma once

#include "common/expected.hpp"
#include "plugins/abi_sizes.hpp"
#include "plugins/plugin_info.hpp"

#include <filesystem>
#include <lmharvest/plugin.h>

namespace lmharvest {

/// The plugin's info when `descriptor` is usable; otherwise the one refusal message for `file`
/// (the first problem found: each fix is re-checked on the next load).
Expected<PluginInfo> check_descriptor(const lh_plugin& descriptor,
                                      const std::filesystem::path& file);

} // namespace lmharvest
