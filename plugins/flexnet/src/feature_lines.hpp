// The per-feature lines of lmstat -a: "Users of", the "F" vX sub-header, RESERVATIONs.
#pragma once

#include "lmstat_records.hpp"

#include <optional>
#include <string_view>

namespace lmharvest::flexnet {

/// "Users of F:  (Total of N licenses issued;  Total of M licenses in use)", the
/// "(Uncounted, node-locked)" and "(Error: ...)" forms. Expects the "Users of " prefix removed.
std::optional<Feature> parse_users_of(std::string_view rest);

/// The fields of a `"F" v61.9, vendor: VENDOR1[, expiry: 31-dec-2026]` sub-header, borrowed from
/// the line. A block can hold several (one per version).
struct FeatureInfo {
    std::string_view version; // without "v"
    std::string_view vendor;
    std::string_view expiry;
};
std::optional<FeatureInfo> parse_feature_info(std::string_view line);

/// "48 RESERVATIONs for GROUP GROUP1 (host3/27002)".
std::optional<Reservation> parse_reservation(std::string_view line);

} // namespace lmharvest::flexnet
