// Hands a parsed lmstat result to the host's sink as the SDK's borrowed C records.
#pragma once

#include "lmstat_records.hpp"

#include <lmharvest/plugin.hpp>
#include <string>

namespace lmharvest::flexnet {

/// Emits servers, vendors, features, sessions (with their close tokens) and skipped lines.
/// A query that failed as a whole becomes one DOWN server named `address`: a server that is
/// down is a status the host shows, not an error.
void emit_lmstat(const LmstatResult& result, const std::string& address, sdk::PollSink& sink);

} // namespace lmharvest::flexnet
