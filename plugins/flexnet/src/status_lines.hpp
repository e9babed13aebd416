// The server and vendor-daemon status lines of lmstat -a.
#pragma once

#include "lmstat_records.hpp"

#include <optional>
#include <string_view>

namespace lmharvest::flexnet {

/// "host: license server UP (MASTER) v11.7", or "host: Cannot connect ..." (down, with the
/// message). nullopt when the line is neither.
std::optional<ServerStatus> parse_server_line(std::string_view line);

/// "VENDOR1: UP v11.6", or "VENDOR1: The desired vendor daemon is down. (-97,121)".
std::optional<VendorStatus> parse_vendor_line(std::string_view line);

} // namespace lmharvest::flexnet
