#include "status_lines.hpp"

#include <lmharvest/records.h>
#include <lmharvest/text/scan.hpp>

namespace lmharvest::flexnet {

namespace {

using text::consume;
using text::next_token;
using text::trim;

// Splits "name: rest" where name is one token; false otherwise.
bool split_named(std::string_view line, std::string_view& name, std::string_view& rest) {
    const size_t colon = line.find(": ");
    if (colon == std::string_view::npos || colon == 0)
        return false;
    name = trim(line.substr(0, colon));
    rest = trim(line.substr(colon + 2));
    return !name.empty() && name.find(' ') == std::string_view::npos &&
           name.find('\t') == std::string_view::npos && !rest.empty();
}

int32_t state_of(std::string_view word) {
    if (word == "UP")
        return LH_STATE_UP;
    if (word == "DOWN")
        return LH_STATE_DOWN;
    return LH_STATE_UNKNOWN;
}

} // namespace

std::optional<ServerStatus> parse_server_line(std::string_view line) {
    std::string_view host, rest;
    if (!split_named(line, host, rest))
        return std::nullopt;
    ServerStatus server;
    server.host.assign(host);
    if (!consume(rest, "license server ")) {
        server.state = LH_STATE_DOWN;
        server.message.assign(rest);
        return server;
    }
    server.state = state_of(next_token(rest));
    if (server.state == LH_STATE_UNKNOWN)
        return std::nullopt;
    std::string_view token = next_token(rest);
    if (token == "(MASTER)") {
        server.is_master = true;
        token = next_token(rest);
    }
    server.version.assign(token);
    if (!trim(rest).empty())
        return std::nullopt;
    return server;
}

std::optional<VendorStatus> parse_vendor_line(std::string_view line) {
    std::string_view name, rest;
    if (!split_named(line, name, rest))
        return std::nullopt;
    VendorStatus vendor;
    vendor.name.assign(name);
    std::string_view words = rest;
    vendor.state = state_of(next_token(words));
    if (vendor.state == LH_STATE_UNKNOWN) {
        vendor.state = LH_STATE_DOWN;
        vendor.message.assign(rest);
        return vendor;
    }
    const std::string_view version = next_token(words);
    if (!trim(words).empty())
        vendor.message.assign(trim(words));
    vendor.version.assign(version);
    return vendor;
}

} // namespace lmharvest::flexnet
