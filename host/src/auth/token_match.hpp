// Which [[tokens]] entry a presented bearer token is: its SHA-256 is compared with every stored
// hash in constant time, so neither a timing nor the order of the entries tells anything.
#pragma once

#include "config/config.hpp"

#include <optional>
#include <string_view>
#include <vector>

namespace lmharvest {

/// The entry whose sha256 is the hash of `presented`, nullopt when none is.
std::optional<TokenConfig> find_token(std::string_view presented,
                                      const std::vector<TokenConfig>& tokens);

/// True when `token` may act for workstation `host`: an agent token bound to host patterns
/// only for a host one of them matches (case-insensitive); any other token for any host.
bool token_covers_host(const TokenConfig& token, std::string_view host);

} // namespace lmharvest
