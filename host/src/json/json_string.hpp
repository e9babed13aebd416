// A JSON string literal from bytes of any kind: license tools print names in whatever code page
// their server runs, and everything that leaves the host must still be valid UTF-8.
#pragma once

#include <string>
#include <string_view>

namespace lmharvest {

/// Appends `bytes` to `out` as a quoted JSON string: `"` and `\` escaped, control characters as
/// \n, \t, ... or \u00XX (NUL included, never cut), valid UTF-8 copied as is, and each maximal
/// invalid subsequence (a stray byte, a truncated, overlong or surrogate form, a code point past
/// U+10FFFF) replaced by one U+FFFD, as Unicode §3.9 recommends. Never throws.
void append_json_string(std::string& out, std::string_view bytes);

} // namespace lmharvest
