#include "api/http_reply.hpp"
#include "api/metrics.hpp"
#include "api/routes.hpp"

#include <ctime>

namespace lmharvest {

void add_health_routes(RouteTable& http, Service& service) {
    http.get("/healthz", [](const httplib::Request&, httplib::Response& response) {
        response.set_content("ok\n", "text/plain");
    });
    http.get("/metrics", [&service](const httplib::Request&, httplib::Response& response) {
        Store& store = service.store();
        response.set_content(render_metrics(service.poll_stats(), store.servers(), store.features(),
                                            store.usage_by_pool(),
                                            count_agents(store.agents(), std::time(nullptr)),
                                            store.harvest_plan(), service.close_counts()),
                             "text/plain; version=0.0.4");
    });
}

} // namespace lmharvest
