#include "api/http_reply.hpp"
#include "api/routes.hpp"

namespace lmharvest {

void add_events_routes(RouteTable& http, EventHub& events) {
    http.get("/api/v1/events", [&events](const httplib::Request&, httplib::Response& response) {
        auto subscription = events.subscribe();
        if (!subscription) {
            response.set_header("Retry-After", "30");
            return reply_error(response, 503,
                               "events: " + std::to_string(events.max_subscribers()) +
                                   " clients already listen (each holds one of the API's "
                                   "workers); try again later");
        }
        response.set_header("Cache-Control", "no-cache");
        response.set_chunked_content_provider(
            "text/event-stream",
            [subscription, first = true](std::size_t, httplib::DataSink& sink) mutable {
                std::string text;
                if (first) {
                    first = false; // sent at once, so that the client knows it listens
                    text = "retry: 5000\n: listening\n\n";
                } else if (auto next = subscription->next()) {
                    text = std::move(*next);
                } else {
                    sink.done(); // the service stops
                    return true;
                }
                return sink.write(text.data(), text.size());
            });
    });
}

} // namespace lmharvest
