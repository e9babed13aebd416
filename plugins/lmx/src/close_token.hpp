// The close token of an LM-X session. LM-X has no checkout handle, so a session is named by what
// lmxendutil prints about it; the token is also the session's identity across polls.
//
// Encoding: "lmx1|vendor|feature|version|user|host|checkout" where each field is
// percent-encoded ('%' -> "%25", '|' -> "%7C", bytes below 0x20 and 0x7F as %XX). Fields may
// hold spaces, colons and '@'; no field can hold an unescaped '|', so the split is unambiguous.
// The checkout time (as printed, "2022-02-18 09:29") tells apart two checkouts of one feature
// by the same user@host, which LM-X lists separately.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace lmharvest::lmx {

struct CloseKey {
    std::string vendor;
    std::string feature;
    std::string version;
    std::string user;
    std::string host;
    std::string checkout;

    bool operator==(const CloseKey&) const = default;
};

/// A key's fields as views of text kept elsewhere (a parsed session), encoded without copies.
struct CloseKeyView {
    std::string_view vendor;
    std::string_view feature;
    std::string_view version;
    std::string_view user;
    std::string_view host;
    std::string_view checkout;
};

std::string encode_close_token(const CloseKeyView& key);
std::string encode_close_token(const CloseKey& key);

/// The key of a token made by encode_close_token, or nullopt for anything else.
std::optional<CloseKey> decode_close_token(std::string_view token);

} // namespace lmharvest::lmx
