#include "api/connection_handoff.hpp"
#include "api/http_reply.hpp"
#include "api/routes.hpp"

namespace lmharvest {

void add_events_routes(RouteTable& http, EventHub& events) {
    http.get("/api/v1/events", [&events](const httplib::Request&, httplib::Response& response) {
        auto seat = events.reserve();
        if (!seat) {
            response.set_header("Retry-After", "30");
            return reply_error(response, 503,
                               "events: " + std::to_string(events.max_listeners()) +
                                   " clients already listen; try again later");
        }
        response.set_header("Cache-Control", "no-cache");
        response.set_chunked_content_provider(
            "text/event-stream", [&events, seat](std::size_t, httplib::DataSink& sink) {
                // Sent by the worker at once, so that the client knows it listens; then the
                // hub's thread writes the events and the worker is free for other requests.
                const std::string hello = "retry: 5000\n: listening\n\n";
                if (!sink.write(hello.data(), hello.size()))
                    return false;
                if (auto connection = take_connection())
                    events.adopt(std::move(connection), seat);
                return false; // the worker ends here, without the last chunk: the hub sends it
            });
    });
}

} // namespace lmharvest
