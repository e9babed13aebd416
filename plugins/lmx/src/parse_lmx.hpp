// Parsers for lmxendutil status output: pure functions from the tool's output to records plus
// the lines or elements they skipped. They never throw on bad input and take the poll time as
// their only "now".
#pragma once

#include "lmx_records.hpp"

#include <cstdint>
#include <string_view>

namespace lmharvest::lmx {

/// `lmxendutil -licstat`: "LM-X License Server on PORT@HOST:" blocks of "Feature:" blocks.
/// Unknown lines are skipped with a reason; the result is always ok.
LmxResult parse_lmx_text(std::string_view output, int64_t poll_time);

/// `lmxendutil -licstatxml`: banner lines, then <LM-X> with <LICENSE_PATH>, <FEATURE> and
/// <USER> (directly or inside <USED>). Elements that cannot be read are skipped with a reason;
/// malformed XML or no XML at all gives a result that is not ok.
LmxResult parse_lmx_xml(std::string_view output, int64_t poll_time);

/// Where the XML of an -licstatxml output starts ("<?xml" or "<LM-X"); npos when it has none.
std::size_t find_xml_start(std::string_view output);

/// Either form, told apart by whether the output holds XML.
LmxResult parse_lmx(std::string_view output, int64_t poll_time);

} // namespace lmharvest::lmx
