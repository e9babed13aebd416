// How every route answers: JSON bodies, JSON errors, and the query parameters it reads.
#pragma once

#include <httplib.h>
#include <nlohmann/json.hpp>
#include <string>

namespace lmharvest {

void reply_json(httplib::Response& response, const nlohmann::json& body, int status = 200);
void reply_error(httplib::Response& response, int status, const std::string& message);

/// The query parameter `name`, empty when absent.
std::string param(const httplib::Request& request, const char* name);

/// ?limit=N, kept within 1..10000; 100 when absent.
int limit_param(const httplib::Request& request);

} // namespace lmharvest
