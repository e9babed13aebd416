#include "api/authorization.hpp"

#include "auth/sha256.hpp"
#include "auth/token_match.hpp"

#include <cctype>

namespace lmharvest {
namespace {

bool starts_with_bearer(std::string_view text) {
    constexpr std::string_view scheme = "bearer ";
    if (text.size() < scheme.size())
        return false;
    for (std::size_t i = 0; i < scheme.size(); ++i)
        if (std::tolower(static_cast<unsigned char>(text[i])) != scheme[i])
            return false;
    return true;
}

} // namespace

TokenConfig api_token_file_entry(const std::string& token) {
    return {std::string(api_token_file_name), Role::admin, sha256_hex(token), {}};
}

Expected<std::optional<TokenConfig>, AuthRefusal>
identify(std::string_view authorization, const Config& config, const TokenConfig& file_token) {
    if (authorization.empty())
        return std::optional<TokenConfig>();
    if (!starts_with_bearer(authorization))
        return unexpected(AuthRefusal{401, "Authorization: use the Bearer scheme, "
                                           "\"Authorization: Bearer <token>\""});
    std::string_view token = authorization.substr(7);
    while (!token.empty() && token.front() == ' ')
        token.remove_prefix(1);
    auto found = find_token(token, config.tokens);
    auto in_file = find_token(token, {file_token}); // always asked: the same time either way
    if (!found)
        found = std::move(in_file);
    if (!found)
        return unexpected(AuthRefusal{401, "Authorization: this token is not known; check it, or "
                                           "make one with `lmharvest token add` and put its "
                                           "[[tokens]] lines into the config"});
    return std::optional<TokenConfig>(std::move(found));
}

std::optional<AuthRefusal> authorize(std::string_view method, const std::string& path,
                                     std::string_view authorization, const Config& config,
                                     const TokenConfig& file_token) {
    const Access access = required_access(method, path);
    if (access == Access::open)
        return std::nullopt; // a token sent along is not even looked at
    auto caller = identify(authorization, config, file_token);
    if (!caller)
        return caller.error();
    const bool open_read = access == Access::read && config.host.open_read;
    if (!*caller) {
        if (open_read)
            return std::nullopt;
        return AuthRefusal{401, std::string(method) + " " + path + ": needs a token of role " +
                                    roles_allowed(access) + " (Authorization: Bearer <token>)"};
    }
    const TokenConfig& token = **caller;
    if (open_read || role_allows(token.role, access))
        return std::nullopt;
    return AuthRefusal{403, "token '" + token.name + "' has role " + to_string(token.role) + "; " +
                                std::string(method) + " " + path + " needs " +
                                roles_allowed(access)};
}

} // namespace lmharvest
