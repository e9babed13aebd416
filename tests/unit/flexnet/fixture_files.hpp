// Reading the real captures in LH_FIXTURES_DIR/flexnet for the tests.
#pragma once

#include <cstdint>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>

namespace lmharvest::flexnet::testing {

/// The poll time the tests parse the captures at: 2026-01-01T00:00:00Z.
inline constexpr int64_t poll_time = 1767225600;

inline std::string read_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

inline std::string fixture_path(const std::string& relative) {
    return std::string(LH_FIXTURES_DIR) + "/flexnet/" + relative;
}

inline nlohmann::json expectations(const std::string& relative_json) {
    return nlohmann::json::parse(read_file(fixture_path(relative_json)));
}

/// The same text with every "\n" turned into "\r\n", as Windows servers print it.
inline std::string with_crlf(const std::string& text) {
    std::string out;
    out.reserve(text.size() + text.size() / 16);
    for (char c : text) {
        if (c == '\n')
            out += '\r';
        out += c;
    }
    return out;
}

} // namespace lmharvest::flexnet::testing
