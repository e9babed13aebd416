#include "close_token.hpp"

#include <algorithm>
#include <array>

namespace lmharvest::lmx {
namespace {

constexpr std::string_view token_tag = "lmx1";
constexpr char separator = '|';

constexpr bool needs_escape(unsigned char c) {
    return c == '%' || c == separator || c < 0x20 || c == 0x7F;
}

// needs_escape for every byte, looked up once per byte of every field of every session.
constexpr std::array<bool, 256> escaped_bytes = [] {
    std::array<bool, 256> table{};
    for (std::size_t c = 0; c < table.size(); ++c)
        table[c] = needs_escape(static_cast<unsigned char>(c));
    return table;
}();

void append_escaped(std::string& out, std::string_view field) {
    static constexpr char hex[] = "0123456789ABCDEF";
    // Fields rarely need an escape: append them whole when they do not.
    if (std::none_of(field.begin(), field.end(),
                     [](char c) { return escaped_bytes[static_cast<unsigned char>(c)]; })) {
        out.append(field);
        return;
    }
    for (const char ch : field) {
        const auto c = static_cast<unsigned char>(ch);
        if (escaped_bytes[c]) {
            out += '%';
            out += hex[c >> 4];
            out += hex[c & 0xF];
        } else {
            out += ch;
        }
    }
}

int hex_value(char c) {
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

// Only the escapes encode_close_token writes are accepted, so each key has one token.
std::optional<std::string> unescape(std::string_view field) {
    std::string out;
    out.reserve(field.size());
    for (std::size_t i = 0; i < field.size(); ++i) {
        if (field[i] != '%') {
            out += field[i];
            continue;
        }
        if (i + 2 >= field.size())
            return std::nullopt;
        const int high = hex_value(field[i + 1]);
        const int low = hex_value(field[i + 2]);
        if (high < 0 || low < 0 || !needs_escape(static_cast<unsigned char>(high * 16 + low)))
            return std::nullopt;
        out += static_cast<char>(high * 16 + low);
        i += 2;
    }
    return out;
}

} // namespace

std::string encode_close_token(const CloseKeyView& key) {
    const std::string_view fields[] = {key.vendor, key.feature, key.version,
                                       key.user,   key.host,    key.checkout};
    std::size_t size = token_tag.size();
    for (const std::string_view field : fields)
        size += 1 + field.size();
    std::string token;
    token.reserve(size);
    token.append(token_tag);
    for (const std::string_view field : fields) {
        token += separator;
        append_escaped(token, field);
    }
    return token;
}

std::string encode_close_token(const CloseKey& key) {
    return encode_close_token(
        CloseKeyView{key.vendor, key.feature, key.version, key.user, key.host, key.checkout});
}

std::optional<CloseKey> decode_close_token(std::string_view token) {
    std::array<std::string_view, 7> parts;
    std::size_t count = 0;
    for (;;) {
        if (count == parts.size())
            return std::nullopt; // more fields than a token has
        const std::size_t end = token.find(separator);
        parts[count++] = token.substr(0, end);
        if (end == std::string_view::npos)
            break;
        token.remove_prefix(end + 1);
    }
    if (count != parts.size() || parts[0] != token_tag)
        return std::nullopt;
    CloseKey key;
    std::string* fields[] = {&key.vendor, &key.feature, &key.version,
                             &key.user,   &key.host,    &key.checkout};
    for (std::size_t i = 0; i < 6; ++i) {
        std::optional<std::string> value = unescape(parts[i + 1]);
        if (!value)
            return std::nullopt;
        *fields[i] = std::move(*value);
    }
    return key;
}

} // namespace lmharvest::lmx
