// A hash that is the same in every run and on every machine (std::hash promises neither), for
// choices that should stay put: a server's poll phase, a demo user's habit.
#pragma once

#include <cstdint>
#include <string_view>

namespace lmharvest::text {

/// 64-bit FNV-1a.
inline uint64_t stable_hash(std::string_view text) {
    uint64_t hash = 14695981039346656037ull;
    for (const unsigned char c : text)
        hash = (hash ^ c) * 1099511628211ull;
    return hash;
}

} // namespace lmharvest::text
