// UTF-8 as Unicode defines it (Table 3-7: no overlong forms, no surrogates, nothing above
// U+10FFFF), and the repair of text that is not: each maximal ill-formed subpart becomes one
// U+FFFD, as WHATWG's decoder and Python's "replace" do.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace lmharvest::text {

/// U+FFFD REPLACEMENT CHARACTER, encoded.
inline constexpr std::string_view replacement_character = "\xEF\xBF\xBD";

/// One step through UTF-8 text.
struct Utf8Step {
    char32_t code_point = 0; ///< valid only when `valid`
    std::size_t length = 1;  ///< bytes read: the sequence, or the ill-formed subpart (>= 1)
    bool valid = false;
};

/// Reads the sequence that starts at text[at] (at < text.size()).
Utf8Step read_utf8(std::string_view text, std::size_t at);

/// The offset of the first byte that is not part of valid UTF-8, or npos when all is valid.
std::size_t find_invalid_utf8(std::string_view text);

inline bool is_valid_utf8(std::string_view text) {
    return find_invalid_utf8(text) == std::string_view::npos;
}

/// Appends `code_point` (<= U+10FFFF, not a surrogate) as UTF-8.
void append_utf8(std::string& out, char32_t code_point);

/// `text` with every ill-formed subpart replaced by U+FFFD; valid text comes back unchanged.
std::string to_valid_utf8(std::string_view text);

} // namespace lmharvest::text
