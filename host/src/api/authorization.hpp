// Whether a request may reach its route: its bearer token (or none), the role the route needs
// (access_rules.hpp) and host.open_read. Decided from the config in force at each request, so
// a SIGHUP reload changes tokens at once.
#pragma once

#include "api/access_rules.hpp"
#include "common/expected.hpp"
#include "config/config.hpp"

#include <optional>
#include <string>
#include <string_view>

namespace lmharvest {

struct AuthRefusal {
    int status = 401; ///< 401: no token or an unknown one; 403: a role that may not
    std::string message;
};

/// The token an `Authorization` header value carries: nullopt without one, the [[tokens]]
/// entry (or `file_token`, the api-token file's) it is, or a 401 when it is not well formed
/// or not known.
Expected<std::optional<TokenConfig>, AuthRefusal>
identify(std::string_view authorization, const Config& config, const TokenConfig& file_token);

/// Nothing when `method path` may go on with this `authorization`; else the refusal.
std::optional<AuthRefusal> authorize(std::string_view method, const std::string& path,
                                     std::string_view authorization, const Config& config,
                                     const TokenConfig& file_token);

/// The entry that stands for the token in <state_dir>/api-token: admin, named local-admin.
TokenConfig api_token_file_entry(const std::string& token);

} // namespace lmharvest
