#include "api/access_rules.hpp"

#include <array>
#include <regex>

namespace lmharvest {
namespace {

struct AccessRule {
    const char* method; ///< "" for any method
    std::regex path;
    Access access;
};

const std::array<AccessRule, 5>& access_rules() {
    static const std::array<AccessRule, 5> rules{{
        {"", std::regex("/healthz"), Access::open},
        {"", std::regex("/metrics"), Access::open},
        // The page's files hold no data; what it shows comes from the API with a token.
        {"", std::regex("/|/assets/[^/]+"), Access::open},
        {"POST", std::regex("/api/v1/sessions/[^/]+/close"), Access::close},
        // The agent protocol (report, commands, results); GET /api/v1/agents, the list of
        // agents, is a read.
        {"", std::regex("/api/v1/agents/.+"), Access::agent},
    }};
    return rules;
}

} // namespace

Access required_access(std::string_view method, const std::string& path) {
    for (const AccessRule& rule : access_rules())
        if ((*rule.method == '\0' || method == rule.method) && std::regex_match(path, rule.path))
            return rule.access;
    return method == "GET" || method == "HEAD" ? Access::read : Access::admin;
}

bool role_allows(Role role, Access access) {
    switch (access) {
    case Access::open:
        return true;
    case Access::read:
        return role == Role::viewer || role == Role::operator_ || role == Role::admin;
    case Access::close:
        return role == Role::operator_ || role == Role::admin;
    case Access::agent:
        return role == Role::agent || role == Role::admin;
    case Access::admin:
        break;
    }
    return role == Role::admin;
}

std::string roles_allowed(Access access) {
    switch (access) {
    case Access::open:
        return "any role";
    case Access::read:
        return "viewer, operator or admin";
    case Access::close:
        return "operator or admin";
    case Access::agent:
        return "agent or admin";
    case Access::admin:
        break;
    }
    return "admin";
}

} // namespace lmharvest
