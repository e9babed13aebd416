#include "sim_address.hpp"

#include <algorithm>
#include <lmharvest/text/scan.hpp>

namespace lmharvest::sim {

std::vector<std::string_view> split_hosts(std::string_view address) {
    std::vector<std::string_view> entries;
    for (size_t start = 0; start <= address.size();) {
        const size_t comma = std::min(address.find(',', start), address.size());
        entries.push_back(text::trim(address.substr(start, comma - start)));
        start = comma + 1;
    }
    return entries;
}

SimServerStatus server_from_entry(std::string_view entry, const VendorProfile& profile) {
    SimServerStatus server;
    const size_t at = entry.find('@');
    const std::string_view port = at == std::string_view::npos ? "" : entry.substr(0, at);
    server.host = std::string(at == std::string_view::npos ? entry : entry.substr(at + 1));
    server.port = std::string(port.empty() ? profile.port : port);
    server.version = std::string(profile.server_version);
    return server;
}

} // namespace lmharvest::sim
