// A sim server's `address`: one "port@host" entry, or three for a triad.
#pragma once

#include "sim_catalog.hpp"
#include "sim_snapshot.hpp"

#include <string_view>
#include <vector>

namespace lmharvest::sim {

/// "27000@a, 27000@b,27000@c" -> its three entries, blanks trimmed.
std::vector<std::string_view> split_hosts(std::string_view address);

/// "27000@lic1" -> (lic1, 27000); "lic1" -> (lic1, the vendor's usual port).
SimServerStatus server_from_entry(std::string_view entry, const VendorProfile& profile);

} // namespace lmharvest::sim
