// Field readers and record finishing shared by the text and the XML parser, so that both give
// the same records for the same data.
#pragma once

#include "lmx_records.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace lmharvest::lmx {

/// "2022-02-18 09:26" (seconds optional) as local wall-clock time, in epoch seconds.
std::optional<int64_t> parse_local_time(std::string_view text);

// The normalizers below give a view of `text` when it is in their form already, else of text
// kept in `result`.

/// Sharing words as one space-separated list: "CUSTOM ,VIRTUAL" and "CUSTOM VIRTUAL" both give
/// "CUSTOM VIRTUAL".
std::string_view normalize_share(std::string_view text, LmxResult& result);

/// A server version with its leading "v" ("5.5" and "v5.5" both give "v5.5").
std::string_view normalize_version(std::string_view text, LmxResult& result);

/// The share kind of a "Shared on <kind>:" line or a SHARE_<KIND> attribute, lower case with
/// blanks: "custom string" and "CUSTOM" both give "custom".
std::string_view normalize_share_kind(std::string_view text, LmxResult& result);

/// Sets what follows from the counts (LH_FEATURE_UNLIMITED).
void finish_feature(LmxFeature& feature);

/// Sets the close token from the session's fields.
void finish_session(LmxSession& session);

/// Fills result.vendors from the features, each vendor once, as up: a server listed its
/// features, so the vendor answered.
void collect_vendors(LmxResult& result);

/// `text` cut to a length fit for a skipped-line report.
std::string cut_for_report(std::string_view text);

} // namespace lmharvest::lmx
