#include "json/json_string.hpp"

#include "text/utf8.hpp"

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
            // Out of line, but only non-ASCII text pays for the call.
            const text::Utf8Step step = text::read_utf8(bytes, at);
            if (step.valid) {
                at += step.length;
                continue;
            }
            out.append(bytes.data() + run, at - run);
            out += text::replacement_character;
            at += step.length;
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
