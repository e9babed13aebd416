#include "text/terminal_escape.hpp"

#include "text/utf8.hpp"

#include <algorithm>

namespace lmharvest::text {
namespace {

constexpr char hex_digits[] = "0123456789abcdef";

bool is_plain_ascii(char c) {
    return c >= 0x20 && c < 0x7F;
}

// Code points above ASCII that a terminal or a log viewer acts on rather than shows: C1
// controls (U+009B is CSI in some terminals), LINE and PARAGRAPH SEPARATOR, and the bidi
// embeddings, overrides and isolates that reorder what follows them ("Trojan Source").
bool is_control(char32_t cp) {
    return (cp >= 0x80 && cp <= 0x9F) || cp == 0x2028 || cp == 0x2029 ||
           (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069);
}

void append_byte_escape(std::string& out, unsigned char byte) {
    out += "\\x";
    out += hex_digits[byte >> 4];
    out += hex_digits[byte & 0xF];
}

void append_code_point_escape(std::string& out, char32_t cp) {
    out += "\\u";
    for (int shift = 12; shift >= 0; shift -= 4)
        out += hex_digits[(cp >> shift) & 0xF];
}

void append_ascii_control(std::string& out, char c) {
    switch (c) {
    case '\n':
        out += "\\n";
        return;
    case '\r':
        out += "\\r";
        return;
    case '\t':
        out += "\\t";
        return;
    default:
        append_byte_escape(out, static_cast<unsigned char>(c));
    }
}

} // namespace

std::string escape_for_terminal(std::string_view text) {
    if (std::all_of(text.begin(), text.end(), is_plain_ascii))
        return std::string(text);
    std::string out;
    out.reserve(text.size() + 16);
    std::size_t at = 0;
    while (at < text.size()) {
        const char c = text[at];
        if (static_cast<unsigned char>(c) < 0x80) {
            if (is_plain_ascii(c))
                out += c;
            else
                append_ascii_control(out, c);
            ++at;
            continue;
        }
        const Utf8Step step = read_utf8(text, at);
        if (!step.valid)
            for (std::size_t i = 0; i < step.length; ++i)
                append_byte_escape(out, static_cast<unsigned char>(text[at + i]));
        else if (is_control(step.code_point))
            append_code_point_escape(out, step.code_point);
        else
            out.append(text, at, step.length);
        at += step.length;
    }
    return out;
}

} // namespace lmharvest::text
