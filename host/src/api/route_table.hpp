// The API's routes as registered on the server, kept so that a known path asked with a method
// it does not serve is answered 405 with `Allow`, not 404.
#pragma once

#include <httplib.h>
#include <optional>
#include <regex>
#include <string>
#include <vector>

namespace lmharvest {

class RouteTable {
public:
    explicit RouteTable(httplib::Server& server) : server_(server) {}

    void get(const std::string& pattern, httplib::Server::Handler handler);
    void post(const std::string& pattern, httplib::Server::Handler handler);

    /// The methods served on `path` ("GET, HEAD"), or nullopt when no route has that path.
    std::optional<std::string> allowed_methods(const std::string& path) const;

private:
    struct Route {
        std::regex pattern;
        std::string method;
    };
    httplib::Server& server_;
    std::vector<Route> routes_;
};

} // namespace lmharvest
