// Reading the real captures and their reconstructed XML twins (LMX_TEST_DATA_DIR, this
// folder's data/) in the LM-X tests.
#pragma once

#include <cstdint>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>

namespace lmharvest::lmx::testing {

/// The poll time the tests parse the captures at.
inline constexpr int64_t poll_time = 1700000000;

inline std::string read_file(const std::string& path) {
    std::ifstream file(path, std::ios::binary);
    if (!file)
        throw std::runtime_error("cannot read " + path);
    std::ostringstream content;
    content << file.rdbuf();
    return content.str();
}

inline std::string fixture(const std::string& name) {
    return read_file(std::string(LH_FIXTURES_DIR) + "/lmx/" + name);
}

inline std::string reconstructed(const std::string& name) {
    return read_file(std::string(LMX_TEST_DATA_DIR) + "/" + name);
}

/// `text` with every "\n" turned into "\r\n", as a Windows server prints it.
inline std::string with_crlf(const std::string& text) {
    std::string out;
    out.reserve(text.size() * 2);
    for (const char c : text) {
        if (c == '\n')
            out += '\r';
        out += c;
    }
    return out;
}

} // namespace lmharvest::lmx::testing
