#include "api/http_reply.hpp"

#include "json/records_json.hpp"
#include "json/safe_dump.hpp"
#include <charconv>

namespace lmharvest {

void reply_json(httplib::Response& response, const nlohmann::json& body, int status) {
    response.status = status;
    response.set_content(safe_dump(body, 2) + "\n", "application/json");
}

void reply_json_stream(httplib::Response& response, std::vector<SessionRecord> records) {
    auto kept = std::make_shared<const std::vector<SessionRecord>>(std::move(records));
    response.set_chunked_content_provider(
        "application/json", [kept](std::size_t, httplib::DataSink& sink) {
            const bool sent = write_json(*kept, [&sink](std::string_view text) {
                return sink.write(text.data(), text.size());
            });
            if (sent)
                sink.done();
            return sent;
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

Expected<int> limit_param(const httplib::Request& request) {
    if (!request.has_param("limit"))
        return 100;
    const std::string limit = param(request, "limit");
    if (const auto value = whole_number(limit, 1, 10000))
        return *value;
    return unexpected("limit: '" + limit + "' is not a whole number from 1 to 10000");
}

Expected<int64_t> parse_id(const std::string& text, const char* field) {
    if (const auto value = whole_number<int64_t>(text, 1, INT64_MAX))
        return *value;
    return unexpected(std::string(field) + ": '" + text + "' is not an id (1 to " +
                      std::to_string(INT64_MAX) + ")");
}

} // namespace lmharvest
