// Who may use which route: the one table of the API's authorization (access_rules.cpp), read
// before any route runs. docs/api.md shows the same table.
#pragma once

#include "config/config.hpp"

#include <string>
#include <string_view>

namespace lmharvest {

enum class Access {
    open,  ///< anyone: /healthz and /metrics (Prometheus scrapes without a token)
    read,  ///< viewer, operator, admin; anyone when host.open_read
    close, ///< operator, admin: closing sessions
    agent, ///< agent, admin: the workstation agent protocol under /api/v1/agents/
    admin, ///< admin: every change no rule names
};

/// What `method path` needs: the first rule of the table that matches, else read for GET and
/// HEAD and admin for any other method (a new write is closed until a rule opens it).
Access required_access(std::string_view method, const std::string& path);

/// True when a token of `role` may use a route that needs `access`.
bool role_allows(Role role, Access access);

/// "operator or admin": the roles `access` allows, for refusals.
std::string roles_allowed(Access access);

} // namespace lmharvest
