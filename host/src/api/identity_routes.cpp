#include "api/authorization.hpp"
#include "api/http_reply.hpp"
#include "api/routes.hpp"

namespace lmharvest {

void add_identity_routes(RouteTable& http, Service& service, const TokenConfig& file_token) {
    // The page asks who it is to know whether to offer the "X": null when reading without a
    // token (host.open_read).
    http.get("/api/v1/whoami", [&service, &file_token](const httplib::Request& request,
                                                       httplib::Response& response) {
        const auto caller =
            identify(request.get_header_value("Authorization"), *service.config(), file_token);
        if (!caller)
            return reply_error(response, caller.error().status, caller.error().message);
        if (!*caller)
            return reply_json(response, nullptr);
        reply_json(response, {{"name", (*caller)->name}, {"role", to_string((*caller)->role)}});
    });
    http.get("/api/v1/groups", [&service](const httplib::Request&, httplib::Response& response) {
        nlohmann::json groups = nlohmann::json::array();
        for (const auto& [name, users] : service.config()->groups)
            groups.push_back({{"name", name}, {"users", users}});
        reply_json(response, groups);
    });
}

} // namespace lmharvest
