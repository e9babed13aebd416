// The host's address as agent.toml writes it: "https://lmharvest.corp:8940" or
// "http://127.0.0.1:8940".
#pragma once

#include "common/expected.hpp"

#include <string>
#include <string_view>

namespace lmharvest::agent {

struct HostUrl {
    bool https = true;
    std::string host; ///< without brackets for IPv6
    int port = 0;     ///< 443 or 80 when the URL has none
    /// "https://host:port", as httplib's Client takes it.
    std::string origin() const;
};

/// The URL's parts, or why it is not a usable host URL (with an example of one that is).
Expected<HostUrl> parse_host_url(std::string_view text);

} // namespace lmharvest::agent
