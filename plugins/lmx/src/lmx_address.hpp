// LM-X server addresses: "port@host" as lmxendutil prints them and as [[servers]] address
// gives them.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace lmharvest::lmx {

/// The port LM-X servers listen on unless configured otherwise.
inline constexpr int64_t default_port = 6200;

struct LmxAddress {
    std::string host;
    int64_t port = default_port;
};

/// "6200@lmx1" or "lmx1" (default port). nullopt when the host is empty, the port is not a
/// number in 1..65535, or the text holds a blank or a ',' (one server only, no HAL list).
std::optional<LmxAddress> parse_address(std::string_view text);

/// "lmx1/6200", the lh_session.server form.
std::string server_label(const LmxAddress& address);

} // namespace lmharvest::lmx
