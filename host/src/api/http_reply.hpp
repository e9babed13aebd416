// How every route answers: JSON bodies, JSON errors, and the query parameters it reads.
#pragma once

#include "common/expected.hpp"
#include "store/store_records.hpp"

#include <cstdint>
#include <httplib.h>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace lmharvest {

/// Writes `body` as JSON; bytes that are not UTF-8 become U+FFFD instead of an exception.
void reply_json(httplib::Response& response, const nlohmann::json& body, int status = 200);
void reply_error(httplib::Response& response, int status, const std::string& message);
/// Streams `records` as a JSON array in 64 KiB chunks after the handler returns, so that 100k
/// sessions are never one string in memory.
void reply_json_stream(httplib::Response& response, std::vector<SessionRecord> records);

/// The query parameter `name`, empty when absent.
std::string param(const httplib::Request& request, const char* name);

/// ?limit=N, a whole number from 1 to 10000; 100 when absent.
Expected<int> limit_param(const httplib::Request& request);

/// A positive 64-bit id ("812"); an error names `field` and says what is allowed.
Expected<int64_t> parse_id(const std::string& text, const char* field);

} // namespace lmharvest
