#include "api/http_reply.hpp"
#include "api/routes.hpp"

#include "json/records_json.hpp"

namespace lmharvest {

void add_servers_routes(RouteTable& http, Service& service) {
    http.get("/api/v1/servers", [&service](const httplib::Request&, httplib::Response& response) {
        nlohmann::json servers = nlohmann::json::array();
        for (const ServerRecord& record : service.store().servers()) {
            nlohmann::json server = to_json(record);
            server["can_close"] = service.can_close(record.id); // the page's "X"
            servers.push_back(std::move(server));
        }
        reply_json(response, servers);
    });
    http.get("/api/v1/features",
             [&service](const httplib::Request& request, httplib::Response& response) {
                 std::optional<std::string> server;
                 if (request.has_param("server"))
                     server = request.get_param_value("server");
                 reply_json(response, to_json_array(service.store().features(server)));
             });
}

} // namespace lmharvest
