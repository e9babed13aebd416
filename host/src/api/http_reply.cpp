#include "api/http_reply.hpp"

#include "json/iso_time.hpp"
#include "json/records_json.hpp"
#include "json/safe_dump.hpp"
#include <charconv>
#include <spdlog/spdlog.h>

namespace lmharvest {

void reply_json(httplib::Response& response, const nlohmann::json& body, int status) {
    response.status = status;
    response.set_content(safe_dump(body, 2) + "\n", "application/json");
}

void reply_json_stream(httplib::Response& response,
                       std::function<bool(const JsonWriter::Sink&)> write) {
    response.set_chunked_content_provider(
        "application/json", [write = std::move(write)](std::size_t, httplib::DataSink& sink) {
            const bool sent = write(
                [&sink](std::string_view text) { return sink.write(text.data(), text.size()); });
            if (sent)
                sink.done();
            return sent;
        });
}

void reply_session_rows(httplib::Response& response, std::unique_ptr<SessionRows> rows) {
    if (rows->next_cursor())
        response.set_header(next_cursor_header, *rows->next_cursor());
    std::shared_ptr<SessionRows> kept = std::move(rows); // the provider must be copyable
    reply_json_stream(response, [kept](const JsonWriter::Sink& sink) {
        try {
            return write_json(*kept, sink);
        } catch (const std::exception& error) {
            spdlog::error("api answer cut mid-stream (its status was sent): {}", error.what());
            return false; // no last chunk: the client knows the answer is incomplete
        }
    });
}

void reply_error(httplib::Response& response, int status, const std::string& message) {
    reply_json(response, {{"error", message}}, status);
}

std::string param(const httplib::Request& request, const char* name) {
    return request.has_param(name) ? request.get_param_value(name) : std::string();
}

namespace {

// The whole of `text` as a number in [low, high].
template <class Number>
std::optional<Number> whole_number(const std::string& text, Number low, Number high) {
    Number value{};
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (text.empty() || error != std::errc() || end != text.data() + text.size() || value < low ||
        value > high)
        return std::nullopt;
    return value;
}

} // namespace

namespace {

Expected<std::vector<SortKey>> sort_param(const std::string& text) {
    std::vector<SortKey> keys;
    std::size_t start = 0;
    for (;;) {
        const std::size_t end = text.find(',', start);
        std::string item = text.substr(start, end - start);
        SortKey& key = keys.emplace_back();
        key.descending = !item.empty() && item[0] == '-';
        key.column = key.descending ? item.substr(1) : item;
        if (key.column.empty())
            return unexpected("sort: '" + text +
                              "' names no column; write e.g. sort=user,-checkout_time");
        if (end == std::string::npos)
            return keys;
        start = end + 1;
    }
}

} // namespace

Expected<PageRequest> page_params(const httplib::Request& request,
                                  std::optional<int64_t> default_limit) {
    PageRequest page;
    page.limit = default_limit;
    if (request.has_param("limit")) {
        const std::string limit = param(request, "limit");
        page.limit = whole_number<int64_t>(limit, 1, max_page_limit);
        if (!page.limit)
            return unexpected("limit: '" + limit + "' is not a whole number from 1 to " +
                              std::to_string(max_page_limit));
    }
    if (request.has_param("offset")) {
        const std::string offset = param(request, "offset");
        const auto value = whole_number<int64_t>(offset, 0, INT64_MAX);
        if (!value)
            return unexpected("offset: '" + offset + "' is not a whole number from 0");
        page.offset = *value;
    }
    if (request.has_param("cursor")) {
        if (request.has_param("offset"))
            return unexpected(std::string("offset: give cursor or offset, not both"));
        page.cursor = param(request, "cursor");
    }
    if (request.has_param("sort")) {
        auto keys = sort_param(param(request, "sort"));
        if (!keys)
            return unexpected(keys.error());
        page.sort = std::move(*keys);
    }
    return page;
}

Expected<std::optional<int64_t>> time_param(const httplib::Request& request, const char* name) {
    if (!request.has_param(name))
        return std::optional<int64_t>();
    const std::string text = param(request, name);
    if (const auto time = parse_iso8601(text))
        return std::optional<int64_t>(*time);
    return unexpected(std::string(name) + ": '" + text +
                      "' is not an ISO 8601 time such as 2026-12-01T10:00:00Z");
}

Expected<int64_t> parse_id(const std::string& text, const char* field) {
    if (const auto value = whole_number<int64_t>(text, 1, INT64_MAX))
        return *value;
    return unexpected(std::string(field) + ": '" + text + "' is not an id (1 to " +
                      std::to_string(INT64_MAX) + ")");
}

} // namespace lmharvest
