#include "api/route_table.hpp"

namespace lmharvest {

void RouteTable::get(const std::string& pattern, httplib::Server::Handler handler) {
    server_.Get(pattern, std::move(handler));
    routes_.push_back({std::regex(pattern), "GET"});
}

void RouteTable::post(const std::string& pattern, httplib::Server::Handler handler) {
    server_.Post(pattern, std::move(handler));
    routes_.push_back({std::regex(pattern), "POST"});
}

std::optional<std::string> RouteTable::allowed_methods(const std::string& path) const {
    std::string methods;
    for (const Route& route : routes_) {
        if (!std::regex_match(path, route.pattern))
            continue;
        if (!methods.empty())
            methods += ", ";
        methods += route.method == "GET" ? "GET, HEAD" : route.method; // httplib serves HEAD
    }
    if (methods.empty())
        return std::nullopt;
    return methods;
}

} // namespace lmharvest
