// Case-folding for names compared case-insensitively (host names, user names, Host headers):
// ASCII only, as DNS and the license tools compare them; other bytes are kept as they are.
#pragma once

#include <algorithm>
#include <string>
#include <string_view>

namespace lmharvest::text {

inline std::string ascii_lower(std::string_view text) {
    std::string out(text);
    std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) {
        return static_cast<char>(c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c);
    });
    return out;
}

} // namespace lmharvest::text
