#include "api/request_guard.hpp"

#include "api/bounded_task_queue.hpp"
#include "api/http_reply.hpp"
#include "config/loopback.hpp"
#include "text/ascii_lower.hpp"
#include "text/utf8.hpp"

#include <algorithm>
#include <arpa/inet.h>
#include <charconv>
#include <lmharvest/os/machine_name.hpp>
#include <spdlog/spdlog.h>
#include <unistd.h>

namespace lmharvest {
namespace {

using text::ascii_lower;

bool is_ip_address(const std::string& name) {
    unsigned char buffer[sizeof(in6_addr)];
    return ::inet_pton(AF_INET, name.c_str(), buffer) == 1 ||
           ::inet_pton(AF_INET6, name.c_str(), buffer) == 1;
}

// The host part of a Host header, lower case, without port, brackets or a final dot.
std::string host_part(std::string_view header) {
    if (!header.empty() && header.front() == '[') {
        const auto close = header.find(']');
        return close == std::string_view::npos ? std::string()
                                               : ascii_lower(header.substr(1, close - 1));
    }
    std::string_view name = header.substr(0, header.find(':'));
    if (!name.empty() && name.back() == '.')
        name.remove_suffix(1);
    return ascii_lower(name);
}

std::string lower_machine_name() {
    return ascii_lower(os::machine_name());
}

using HandlerResponse = httplib::Server::HandlerResponse;

HandlerResponse refuse(httplib::Response& response, int status, const std::string& message) {
    reply_error(response, status, message);
    return HandlerResponse::Handled;
}

HandlerResponse check_request(const httplib::Request& request, httplib::Response& response,
                              const RouteTable& routes, const AllowedHosts& hosts,
                              const Authorize& authorize, const RequestLimits& limits) {
    const std::string host = request.get_header_value("Host");
    if (!host_allowed(host, hosts))
        return refuse(response, 421,
                      "Host: '" + host +
                          "' is not a name of this service; add it to host.allowed_hosts");
    if (request.has_header("Transfer-Encoding"))
        return refuse(response, 411,
                      "Transfer-Encoding: not accepted; send the body with Content-Length");
    if (request.has_header("Content-Length")) {
        const std::string text = request.get_header_value("Content-Length");
        std::size_t length = 0;
        const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), length);
        if (text.empty() || error != std::errc() || end != text.data() + text.size())
            return refuse(response, 400, "Content-Length: '" + text + "' is not a number");
        if (length > limits.body_bytes)
            return refuse(response, 413,
                          "Content-Length: " + text + " bytes is more than the limit of " +
                              std::to_string(limits.body_bytes));
    }
    if (const auto allowed = routes.allowed_methods(request.path)) {
        if ((", " + *allowed + ",").find(", " + request.method + ",") == std::string::npos) {
            response.set_header("Allow", *allowed);
            return refuse(response, 405,
                          request.method + " " + request.path + ": not allowed; use " + *allowed);
        }
    }
    const bool carries_body = request.method == "POST" || request.method == "PUT" ||
                              request.method == "PATCH" || request.method == "DELETE";
    if (carries_body && !request.has_header("Content-Length"))
        return refuse(response, 411, "Content-Length: required for " + request.method);
    for (const auto& [key, value] : request.params)
        if (!text::is_valid_utf8(key) || !text::is_valid_utf8(value))
            return refuse(response, 400,
                          "query parameter '" + (text::is_valid_utf8(key) ? key : "?") +
                              "': not UTF-8");
    if (const auto refusal = authorize(request)) {
        if (refusal->status == 401)
            response.set_header("WWW-Authenticate", "Bearer realm=\"lmharvest\"");
        return refuse(response, refusal->status, refusal->message);
    }
    return HandlerResponse::Unhandled;
}

// What an error status says when the route wrote no body of its own.
std::string status_message(int status) {
    switch (status) {
    case 400:
        return "bad request";
    case 404:
        return "no such resource; see docs/api.md";
    case 413:
        return "request too large";
    case 414:
        return "request line too long";
    default:
        return "HTTP " + std::to_string(status);
    }
}

} // namespace

AllowedHosts allowed_hosts(const HostConfig& host) {
    AllowedHosts allowed;
    const std::string listen = ascii_lower(host.listen_host);
    allowed.any_ip_address = listen.empty() || listen == "0.0.0.0" || listen == "::";
    allowed.names.push_back(listen);
    if (allowed.any_ip_address || is_loopback_name(listen)) {
        for (const char* name : {"localhost", "127.0.0.1", "::1"})
            allowed.names.emplace_back(name);
        if (const std::string name = lower_machine_name(); !name.empty())
            allowed.names.push_back(name);
    }
    for (const std::string& name : host.allowed_hosts)
        allowed.names.push_back(host_part(name));
    return allowed;
}

bool host_allowed(std::string_view header, const AllowedHosts& allowed) {
    const std::string name = host_part(header);
    if (name.empty())
        return false;
    if (allowed.any_ip_address && is_ip_address(name))
        return true;
    return std::find(allowed.names.begin(), allowed.names.end(), name) != allowed.names.end();
}

void guard_requests(httplib::Server& server, const RouteTable& routes, AllowedHosts hosts,
                    Authorize authorize, const RequestLimits& limits) {
    server.set_payload_max_length(limits.body_bytes);
    server.new_task_queue = [workers = limits.workers, waiting = limits.waiting] {
        return new BoundedTaskQueue(workers, waiting);
    };
    server.set_pre_routing_handler(
        [&routes, hosts = std::move(hosts), authorize = std::move(authorize),
         limits](const httplib::Request& request, httplib::Response& response) {
            return check_request(request, response, routes, hosts, authorize, limits);
        });
    server.set_exception_handler([](const httplib::Request& request, httplib::Response& response,
                                    std::exception_ptr failure) {
        std::string cause = "unknown exception";
        try {
            std::rethrow_exception(failure);
        } catch (const std::exception& e) {
            cause = e.what();
        } catch (...) {
        }
        spdlog::error("api request failed method={} path={} error=\"{}\"", request.method,
                      request.path, cause);
        reply_error(response, 500, "the service failed; the cause is in its log");
    });
    server.set_error_handler(httplib::Server::HandlerWithResponse(
        [](const httplib::Request&, httplib::Response& response) {
            if (response.body.empty())
                reply_error(response, response.status, status_message(response.status));
            return HandlerResponse::Handled;
        }));
}

} // namespace lmharvest
