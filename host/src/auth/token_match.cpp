#include "auth/token_match.hpp"

#include "auth/sha256.hpp"
#include "config/glob.hpp"
#include "text/ascii_lower.hpp"

#include <algorithm>
#include <cctype>

namespace lmharvest {
using text::ascii_lower;

std::optional<TokenConfig> find_token(std::string_view presented,
                                      const std::vector<TokenConfig>& tokens) {
    const std::string hash = sha256_hex(presented);
    std::optional<TokenConfig> found;
    for (const TokenConfig& token : tokens) // no early exit: every entry costs the same
        if (same_secret(hash, token.sha256) && !found)
            found = token;
    return found;
}

bool token_covers_host(const TokenConfig& token, std::string_view host) {
    if (token.role != Role::agent || token.hosts.empty())
        return true;
    const std::string name = ascii_lower(host);
    return std::any_of(token.hosts.begin(), token.hosts.end(), [&](const std::string& pattern) {
        return glob_match(ascii_lower(pattern), name);
    });
}

} // namespace lmharvest
