// The last check before a plugin is accepted: is its descriptor one this host can use?
// Pure: it reads the structs and nothing else, so tests can hand it any descriptor.
#pragma once

#include "common/expected.hpp"
#include "plugins/plugin_info.hpp"

#include <cstddef>
#include <filesystem>
#include <lmharvest/plugin.h>

namespace lmharvest {

// Sizes of the structs as ABI 1.0 published them: a plugin's struct must be at least this
// long. They end at the last 1.0 field, so that appending fields in 1.x does not move them.
inline constexpr uint32_t plugin_size_v1_0 =
    offsetof(lh_plugin, handler) + sizeof(lh_plugin::handler);
inline constexpr uint32_t adapter_size_v1_0 =
    offsetof(lh_adapter_v1, last_error) + sizeof(lh_adapter_v1::last_error);
inline constexpr uint32_t handler_size_v1_0 =
    offsetof(lh_handler_v1, last_error) + sizeof(lh_handler_v1::last_error);

/// The plugin's info when `descriptor` is usable; otherwise the one refusal message for `file`
/// (the first problem found: each fix is re-checked on the next load).
Expected<PluginInfo> check_descriptor(const lh_plugin& descriptor,
                                      const std::filesystem::path& file);

} // namespace lmharvest
