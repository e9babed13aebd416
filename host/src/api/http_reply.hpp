// How every route answers: JSON bodies, JSON errors, and the query parameters it reads.
#pragma once

#include "common/expected.hpp"
#include "store/session_rows.hpp"
#include "store/store_records.hpp"

#include "json/json_writer.hpp"
#include <cstdint>
#include <functional>
#include <httplib.h>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace lmharvest {

/// Writes `body` as JSON; bytes that are not UTF-8 become U+FFFD instead of an exception.
void reply_json(httplib::Response& response, const nlohmann::json& body, int status = 200);
void reply_error(httplib::Response& response, int status, const std::string& message);
/// Streams `rows` as a JSON array in 64 KiB chunks after the handler returns, each row written
/// as SQLite steps it, so that 100k sessions are never in memory at once; X-Next-Cursor comes
/// from rows->next_cursor(). When SQLite fails mid-way (the status line is already sent), the
/// stream is cut without its last chunk, so the client sees an incomplete answer instead of
/// a shorter list that looks whole.
void reply_session_rows(httplib::Response& response, std::unique_ptr<SessionRows> rows);
/// Streams what `write` writes to its sink after the handler returns; `write` owns its data
/// and returns false when the sink refused.
void reply_json_stream(httplib::Response& response,
                       std::function<bool(const JsonWriter::Sink&)> write);

/// The query parameter `name`, empty when absent.
std::string param(const httplib::Request& request, const char* name);

/// The most rows one answer gives (an export of every open session fits).
constexpr int64_t max_page_limit = 1'000'000;

/// ?limit= (1 to max_page_limit; `default_limit` when absent, nullopt: every row), ?cursor= or
/// ?offset=, ?sort=column[,-column] (the columns are checked by the store).
Expected<PageRequest> page_params(const httplib::Request& request,
                                  std::optional<int64_t> default_limit);
/// The next page's cursor, when there is one, goes in this header, so that the body stays the
/// plain array it was before paging.
inline constexpr const char* next_cursor_header = "X-Next-Cursor";
template <class Record>
void set_next_cursor(httplib::Response& response, const Page<Record>& page) {
    if (page.next_cursor)
        response.set_header(next_cursor_header, *page.next_cursor);
}

/// ?name= as an ISO 8601 time (json/iso_time.hpp); nullopt when absent.
Expected<std::optional<int64_t>> time_param(const httplib::Request& request, const char* name);

/// A positive 64-bit id ("812"); an error names `field` and says what is allowed.
Expected<int64_t> parse_id(const std::string& text, const char* field);

} // namespace lmharvest
