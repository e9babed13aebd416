// Readable names for the ABI's numbers, for log lines, refusals and `lmharvest plugins inspect`.
#pragma once

#include <cstdint>
#include <lmharvest/plugin.h>
#include <string>

namespace lmharvest {

/// "LH_ERR_TIMEOUT" for LH_ERR_TIMEOUT; "status 42" for a code this host does not know.
std::string status_name(lh_status status);

/// "adapter,handler"; unknown bits as hex ("adapter,0x8"); "none" when empty.
std::string kind_names(uint32_t kinds);

/// "poll,close_session,denials"; unknown bits as hex; "none" when empty.
std::string capability_names(uint64_t capabilities);

} // namespace lmharvest
