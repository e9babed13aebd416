#include "lmx_address.hpp"

#include <lmharvest/text/scan.hpp>

namespace lmharvest::lmx {

std::optional<LmxAddress> parse_address(std::string_view text) {
    LmxAddress address;
    if (const std::size_t at = text.find('@'); at != std::string_view::npos) {
        const std::optional<int64_t> port = text::to_int(text.substr(0, at));
        if (!port || *port < 1 || *port > 65535)
            return std::nullopt;
        address.port = *port;
        text.remove_prefix(at + 1);
    }
    if (text.empty())
        return std::nullopt;
    for (const char c : text)
        if (text::is_space(c) || c == ',' || c == '@')
            return std::nullopt;
    address.host = std::string(text);
    return address;
}

std::string server_label(const LmxAddress& address) {
    return address.host + '/' + std::to_string(address.port);
}

} // namespace lmharvest::lmx
