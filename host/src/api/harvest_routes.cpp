#include "api/http_reply.hpp"
#include "api/routes.hpp"

#include "json/plan_json.hpp"

namespace lmharvest {

void add_harvest_routes(RouteTable& http, Service& service) {
    http.get("/api/v1/harvest/plan", [&service](const httplib::Request& request,
                                                httplib::Response& response) {
        // The plan the harvester stored after each server's last good poll.
        const auto filter = [&request](const char* name) -> std::optional<std::string> {
            if (!request.has_param(name))
                return std::nullopt;
            return request.get_param_value(name);
        };
        reply_json(response,
                   plan_to_json(service.store().harvest_plan(filter("server"), filter("feature"))));
    });
}

} // namespace lmharvest
