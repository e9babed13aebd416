#include "text/encoding.hpp"

#include "text/utf8.hpp"

#include <algorithm>
#include <array>

namespace lmharvest::text {
namespace {

// windows-1252 bytes 0x80..0x9F (WHATWG's index-windows-1252); the five bytes Windows leaves
// undefined map to the C1 control of the same number, as browsers do.
constexpr std::array<char16_t, 32> cp1252_high = {
    0x20AC, 0x0081, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160,
    0x2039, 0x0152, 0x008D, 0x017D, 0x008F, 0x0090, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022,
    0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x009D, 0x017E, 0x0178};

bool is_ascii(std::string_view text) {
    return std::all_of(text.begin(), text.end(),
                       [](char c) { return static_cast<unsigned char>(c) < 0x80; });
}

std::string decode_single_byte(std::string_view text, bool windows) {
    std::string out;
    out.reserve(text.size() * 2);
    for (char c : text) {
        const auto byte = static_cast<unsigned char>(c);
        if (windows && byte >= 0x80 && byte <= 0x9F)
            append_utf8(out, cp1252_high[byte - 0x80]);
        else
            append_utf8(out, byte);
    }
    return out;
}

} // namespace

const std::vector<std::string>& encoding_names() {
    static const std::vector<std::string> names = {"utf-8", "latin1", "cp1252", "auto"};
    return names;
}

std::optional<Encoding> encoding_from_name(std::string_view name) {
    constexpr Encoding in_order[] = {Encoding::utf8, Encoding::latin1, Encoding::cp1252,
                                     Encoding::automatic};
    const auto& names = encoding_names();
    for (std::size_t i = 0; i < names.size(); ++i)
        if (names[i] == name)
            return in_order[i];
    return std::nullopt;
}

const char* to_string(Encoding encoding) {
    switch (encoding) {
    case Encoding::latin1:
        return "latin1";
    case Encoding::cp1252:
        return "cp1252";
    case Encoding::automatic:
        return "auto";
    case Encoding::utf8:
        break;
    }
    return "utf-8";
}

std::string decode_to_utf8(std::string_view text, Encoding encoding) {
    if (encoding == Encoding::utf8 || is_ascii(text))
        return std::string(text);
    if (encoding == Encoding::automatic && is_valid_utf8(text))
        return std::string(text);
    return decode_single_byte(text, encoding != Encoding::latin1);
}

} // namespace lmharvest::text
