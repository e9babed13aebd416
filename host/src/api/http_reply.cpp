#include "api/http_reply.hpp"

#include <algorithm>

namespace lmharvest {

void reply_json(httplib::Response& response, const nlohmann::json& body, int status) {
    response.status = status;
    response.set_content(body.dump(2) + "\n", "application/json");
}

void reply_error(httplib::Response& response, int status, const std::string& message) {
    reply_json(response, {{"error", message}}, status);
}

std::string param(const httplib::Request& request, const char* name) {
    return request.has_param(name) ? request.get_param_value(name) : std::string();
}

int limit_param(const httplib::Request& request) {
    const std::string limit = param(request, "limit");
    return limit.empty() ? 100 : std::clamp(std::atoi(limit.c_str()), 1, 10000);
}

} // namespace lmharvest
