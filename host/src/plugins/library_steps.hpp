// The first steps of loading a plugin, each testable alone: open the file, find the entry
// point, call it. Each returns the refusal message on failure: it starts with the file, says
// what was found against what this host supports, and ends with the fix.
#pragma once

#include "common/expected.hpp"

#include <boost/dll/shared_library.hpp>
#include <filesystem>
#include <lmharvest/plugin.h>

namespace lmharvest {

/// dlopen()s `file` with RTLD_NOW | RTLD_LOCAL; the refusal quotes the dynamic loader's text.
Expected<boost::dll::shared_library> open_library(const std::filesystem::path& file);

/// The address of lh_plugin_entry_v1. Without it, names the newest lh_plugin_entry_vN (N in
/// 2..9) the library does export, so that a plugin built for a newer host is told so.
Expected<lh_plugin_entry_fn> find_entry(const boost::dll::shared_library& library,
                                        const std::filesystem::path& file);

/// Calls the entry point; refuses a NULL descriptor or an exception escaping the call.
Expected<const lh_plugin*> call_entry(lh_plugin_entry_fn entry, const lh_host_api& host,
                                      const std::filesystem::path& file);

/// "1.0", or "1.0-1.3" once the host speaks several minors.
std::string host_abi_range();

} // namespace lmharvest
