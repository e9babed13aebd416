// The code page a license server prints names in (a server's `encoding` setting), and decoding
// those names to UTF-8. Windows license servers print Latin-1 or cp1252: `jörg` arrives as
// `j\xf6rg`.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace lmharvest::text {

enum class Encoding {
    utf8,   ///< kept as printed; what is not valid UTF-8 is replaced only on output
    latin1, ///< ISO 8859-1: each byte is the code point of the same number
    cp1252, ///< Windows-1252 as WHATWG defines it (0x80..0x9F: € ‚ ƒ „ … and C1 for the 5 gaps)
    automatic, ///< valid UTF-8 as is, anything else read as cp1252
};

/// The names the config accepts, in the order they are documented: utf-8, latin1, cp1252, auto.
const std::vector<std::string>& encoding_names();
std::optional<Encoding> encoding_from_name(std::string_view name);
const char* to_string(Encoding encoding);

/// `text` decoded from `encoding` to UTF-8. For utf8 `text` comes back as it is, valid or not.
std::string decode_to_utf8(std::string_view text, Encoding encoding);

} // namespace lmharvest::text
