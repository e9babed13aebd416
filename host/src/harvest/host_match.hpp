// Whether a license session and an agent's report are about the same workstation and user:
// license tools and agents spell host names differently (short name, FQDN, upper case).
#pragma once

#include <string_view>

namespace lmharvest {

/// Case-insensitive equality of ASCII names.
bool same_name(std::string_view a, std::string_view b);

/// True when `a` and `b` name the same host: equal ignoring case, or, when one of them is a
/// short name, equal in their first label ("WS-031" = "ws-031.corp"). Two FQDNs must be equal.
bool same_host(std::string_view a, std::string_view b);

/// The host a FlexNet display names ("ws-031:0.0" -> "ws-031"); empty when it names none
/// (":0", "/dev/pts/3", "").
std::string_view display_host(std::string_view display);

/// The session on `session_host` with `session_display` runs on `app_host`.
bool session_on_host(std::string_view session_host, std::string_view session_display,
                     std::string_view app_host);

} // namespace lmharvest
