#include "text/utf8.hpp"

#include <cstdint>
#include <cstring>

namespace lmharvest::text {
namespace {

// Bytes of ASCII in a row from `at`, eight at a time: most names are ASCII.
std::size_t ascii_run(std::string_view text, std::size_t at) {
    std::size_t i = at;
    for (; i + 8 <= text.size(); i += 8) {
        uint64_t block;
        std::memcpy(&block, text.data() + i, 8);
        if (block & 0x8080808080808080ULL)
            break;
    }
    while (i < text.size() && static_cast<unsigned char>(text[i]) < 0x80)
        ++i;
    return i - at;
}

} // namespace

Utf8Step read_utf8(std::string_view text, std::size_t at) {
    const auto byte = [&](std::size_t i) { return static_cast<unsigned char>(text[at + i]); };
    const unsigned char lead = byte(0);
    if (lead < 0x80)
        return {lead, 1, true};
    std::size_t length = 0;
    char32_t code_point = 0;
    // The allowed range of the second byte narrows for E0, ED, F0 and F4 (Table 3-7): that
    // is what rules out overlong forms, surrogates and code points above U+10FFFF.
    unsigned char low = 0x80, high = 0xBF;
    if (lead >= 0xC2 && lead <= 0xDF) {
        length = 2;
        code_point = lead & 0x1F;
    } else if (lead >= 0xE0 && lead <= 0xEF) {
        length = 3;
        code_point = lead & 0x0F;
        low = lead == 0xE0 ? 0xA0 : 0x80;
        high = lead == 0xED ? 0x9F : 0xBF;
    } else if (lead >= 0xF0 && lead <= 0xF4) {
        length = 4;
        code_point = lead & 0x07;
        low = lead == 0xF0 ? 0x90 : 0x80;
        high = lead == 0xF4 ? 0x8F : 0xBF;
    } else {
        return {}; // a continuation byte, C0, C1 or F5..FF: never a lead
    }
    for (std::size_t i = 1; i < length; ++i) {
        if (at + i >= text.size())
            return {0, i, false};
        const unsigned char next = byte(i);
        if (next < low || next > high)
            return {0, i, false};
        code_point = (code_point << 6) | (next & 0x3F);
        low = 0x80;
        high = 0xBF;
    }
    return {code_point, length, true};
}

std::size_t find_invalid_utf8(std::string_view text) {
    std::size_t at = 0;
    while (at < text.size()) {
        at += ascii_run(text, at);
        if (at == text.size())
            break;
        const Utf8Step step = read_utf8(text, at);
        if (!step.valid)
            return at;
        at += step.length;
    }
    return std::string_view::npos;
}

void append_utf8(std::string& out, char32_t cp) {
    if (cp < 0x80) {
        out += static_cast<char>(cp);
    } else if (cp < 0x800) {
        out += static_cast<char>(0xC0 | (cp >> 6));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
        out += static_cast<char>(0xE0 | (cp >> 12));
        out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    } else {
        out += static_cast<char>(0xF0 | (cp >> 18));
        out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
        out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    }
}

std::string to_valid_utf8(std::string_view text) {
    std::size_t bad = find_invalid_utf8(text);
    if (bad == std::string_view::npos)
        return std::string(text);
    std::string out;
    out.reserve(text.size() + 8);
    std::size_t at = 0;
    while (bad != std::string_view::npos) {
        out.append(text, at, bad - at);
        out += replacement_character;
        at = bad + read_utf8(text, bad).length;
        const std::size_t next = find_invalid_utf8(text.substr(at));
        bad = next == std::string_view::npos ? next : at + next;
    }
    out.append(text, at);
    return out;
}

} // namespace lmharvest::text
