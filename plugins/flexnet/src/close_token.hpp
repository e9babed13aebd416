// The close token a FlexNet session carries: what `lmutil lmremove` needs to remove exactly it.
//
// Encoding: one form letter, then each field as <decimal byte length>:<bytes>.
//   h<feature><server_host><port><handle>   ->  lmremove -h feature server_host port handle
//   u<feature><user><user_host><display>    ->  lmremove feature user user_host display
// e.g. "h8:ARC/INFO12:MYSERVER-GIS5:270003:101". Lengths make it unambiguous for fields holding
// spaces, colons or any other byte (user names and displays do).
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace lmharvest::flexnet {

struct CloseTarget {
    enum class Form { handle, user };
    Form form = Form::handle;
    std::string feature;
    // Form::handle: server_host, port, handle. Form::user: user, user_host, display.
    std::string first, second, third;
};

std::string encode_close_token(const CloseTarget& target);

/// nullopt when `token` is not exactly one well-formed token.
std::optional<CloseTarget> decode_close_token(std::string_view token);

} // namespace lmharvest::flexnet
