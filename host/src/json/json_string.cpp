#include "json/json_string.hpp"

#include <array>
#include <cstdint>

namespace lmharvest {
namespace {

enum ByteClass : uint8_t { plain, escape, multibyte };

constexpr std::array<uint8_t, 256> byte_classes = [] {
    std::array<uint8_t, 256> classes{};
    for (int byte = 0; byte < 256; ++byte)
        classes[byte] = byte < 0x20 || byte == '"' || byte == '\\' ? escape
                        : byte < 0x80                              ? plain
                                                                   : multibyte;
    return classes;
}();

constexpr std::string_view replacement = "\xEF\xBF\xBD"; // U+FFFD

void append_escape(std::string& out, unsigned char byte) {
    switch (byte) {
    case '"':
        out += "\\\"";
        return;
    case '\\':
        out += "\\\\";
        return;
    case '\b':
        out += "\\b";
        return;
    case '\f':
        out += "\\f";
        return;
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
        static constexpr char hex[] = "0123456789abcdef";
        const char code[] = {'\\', 'u', '0', '0', hex[byte >> 4], hex[byte & 15]};
        out.append(code, sizeof code);
    }
}

// The length of the well-formed UTF-8 sequence at `at` (Unicode Table 3-7), or, when it is
// ill-formed, minus the length of its maximal subpart (at least one byte), to be replaced.
int sequence_length(std::string_view bytes, std::size_t at) {
    const auto byte = [&](std::size_t i) { return static_cast<unsigned char>(bytes[at + i]); };
    const unsigned char lead = byte(0);
    int length = 0;
    unsigned char low = 0x80, high = 0xBF; // the range of the second byte
    if (lead >= 0xC2 && lead <= 0xDF)
        length = 2;
    else if (lead >= 0xE0 && lead <= 0xEF) {
        length = 3;
        low = lead == 0xE0 ? 0xA0 : 0x80;  // no overlong form
        high = lead == 0xED ? 0x9F : 0xBF; // no surrogate
    } else if (lead >= 0xF0 && lead <= 0xF4) {
        length = 4;
        low = lead == 0xF0 ? 0x90 : 0x80;  // no overlong form
        high = lead == 0xF4 ? 0x8F : 0xBF; // nothing past U+10FFFF
    } else
        return -1; // a continuation byte, C0, C1 or F5..FF
    const std::size_t available = bytes.size() - at;
    if (available < 2 || byte(1) < low || byte(1) > high)
        return -1;
    for (int i = 2; i < length; ++i)
        if (static_cast<std::size_t>(i) >= available || (byte(i) & 0xC0) != 0x80)
            return -i;
    return length;
}

} // namespace

void append_json_string(std::string& out, std::string_view bytes) {
    out += '"';
    std::size_t run = 0; // start of the bytes not yet copied
    for (std::size_t at = 0; at < bytes.size();) {
        const auto byte = static_cast<unsigned char>(bytes[at]);
        const uint8_t kind = byte_classes[byte];
        if (kind == plain) {
            ++at;
            continue;
        }
        if (kind == multibyte) {
            const int length = sequence_length(bytes, at);
            if (length > 0) {
                at += static_cast<std::size_t>(length);
                continue;
            }
            out.append(bytes.data() + run, at - run);
            out += replacement;
            at += static_cast<std::size_t>(-length);
        } else {
            out.append(bytes.data() + run, at - run);
            append_escape(out, byte);
            ++at;
        }
        run = at;
    }
    out.append(bytes.data() + run, bytes.size() - run);
    out += '"';
}

} // namespace lmharvest
