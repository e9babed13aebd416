// What one run of the close command means for the host: the status and a message that never
// holds the password.
#pragma once

#include <lmharvest/plugin.hpp>
#include <string>
#include <string_view>

namespace lmharvest::lmx {

/// Maps a finished close command: exit 0 -> LH_OK; output saying "not found" (any case) ->
/// LH_ERR_ALREADY_GONE; killed at the timeout -> LH_ERR_TIMEOUT; not started -> LH_ERR_SPAWN;
/// anything else -> LH_ERR_GENERIC with the tool's own words. `program` names the tool in
/// messages; every occurrence of `password` in them is replaced with "***".
sdk::CloseOutcome close_outcome(const sdk::ProcessOutput& run, std::string_view program,
                                std::string_view password);

/// `text` with every occurrence of `secret` replaced with "***" (unchanged when secret is empty).
std::string redact(std::string_view text, std::string_view secret);

} // namespace lmharvest::lmx
