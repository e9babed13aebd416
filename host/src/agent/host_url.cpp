#include "agent/host_url.hpp"

#include <charconv>

namespace lmharvest::agent {

std::string HostUrl::origin() const {
    const bool ipv6 = host.find(':') != std::string::npos;
    return std::string(https ? "https" : "http") + "://" + (ipv6 ? "[" + host + "]" : host) + ":" +
           std::to_string(port);
}

Expected<HostUrl> parse_host_url(std::string_view text) {
    const std::string fix =
        "\"" + std::string(text) +
        "\" is not a host URL; write e.g. host = \"https://lmharvest.corp:8940\"";
    HostUrl url;
    std::string_view rest = text;
    if (rest.starts_with("https://")) {
        rest.remove_prefix(8);
    } else if (rest.starts_with("http://")) {
        url.https = false;
        rest.remove_prefix(7);
    } else {
        return unexpected(fix);
    }
    if (!rest.empty() && rest.back() == '/')
        rest.remove_suffix(1);
    if (rest.empty() || rest.find('/') != std::string_view::npos)
        return unexpected(fix + " (scheme, host and port only, no path)");
    std::string_view port_text;
    if (rest.front() == '[') {
        const size_t close = rest.find(']');
        if (close == std::string_view::npos)
            return unexpected(fix);
        url.host = std::string(rest.substr(1, close - 1));
        rest.remove_prefix(close + 1);
        if (!rest.empty() && rest.front() != ':')
            return unexpected(fix);
        port_text = rest.empty() ? rest : rest.substr(1);
    } else {
        const size_t colon = rest.rfind(':');
        url.host = std::string(rest.substr(0, colon));
        if (colon != std::string_view::npos)
            port_text = rest.substr(colon + 1);
    }
    if (url.host.empty())
        return unexpected(fix);
    url.port = url.https ? 443 : 80;
    if (!port_text.empty() || rest.ends_with(':')) {
        int port = 0;
        auto [end, ec] =
            std::from_chars(port_text.data(), port_text.data() + port_text.size(), port);
        if (ec != std::errc() || end != port_text.data() + port_text.size() || port < 1 ||
            port > 65535)
            return unexpected(fix + " (the port must be 1..65535)");
        url.port = port;
    }
    return url;
}

} // namespace lmharvest::agent
