#include "protocol/field_reader.hpp"

#include "text/ascii_control.hpp"
#include "text/utf8.hpp"

#include "json/iso_time.hpp"
#include <cmath>
#include <limits>

namespace lmharvest::protocol {
namespace {

// The deepest message (a report's apps[i].features[j]) nests 3 levels below the body.
constexpr int max_depth = 6;
// Times before 2000 or after 2100 are a broken clock, not a report.
constexpr int64_t earliest_time = 946684800, latest_time = 4102444800;

bool is_name_char(unsigned char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
           c == '_' || c == '-';
}

bool is_digit(char c) {
    return c >= '0' && c <= '9';
}

// "YYYY-MM-DDTHH:MM:SS", then ".ddd" (dropped), then "Z" or "+HH:MM": the text without the
// fraction, or nullopt when the shape is wrong.
std::optional<std::string> zoned_time_without_fraction(std::string_view text) {
    static constexpr std::string_view shape = "dddd-dd-ddTdd:dd:dd";
    if (text.size() < shape.size())
        return std::nullopt;
    for (std::size_t i = 0; i < shape.size(); ++i)
        if (shape[i] == 'd' ? !is_digit(text[i]) : text[i] != shape[i])
            return std::nullopt;
    std::string out(text.substr(0, shape.size()));
    std::size_t at = shape.size();
    if (at < text.size() && text[at] == '.') {
        const std::size_t digits_from = ++at;
        while (at < text.size() && is_digit(text[at]))
            ++at;
        if (at == digits_from || at - digits_from > 9)
            return std::nullopt;
    }
    const std::string_view zone = text.substr(at);
    const bool offset = zone.size() == 6 && (zone[0] == '+' || zone[0] == '-') &&
                        is_digit(zone[1]) && is_digit(zone[2]) && zone[3] == ':' &&
                        is_digit(zone[4]) && is_digit(zone[5]);
    if (zone != "Z" && !offset)
        return std::nullopt;
    return out + std::string(zone);
}

} // namespace

std::string field_path(const std::string& path, const char* name) {
    return path.empty() ? name : path + "." + name;
}

std::string item_path(const std::string& path, std::size_t index) {
    return path + "[" + std::to_string(index) + "]";
}

void FieldReader::fail(const std::string& field, std::string problem) {
    if (!error_)
        error_ = FieldError{field, std::move(problem)};
}

const nlohmann::json* FieldReader::parse_object(std::string_view body, nlohmann::json& storage) {
    if (const std::size_t bad = text::find_invalid_utf8(body); bad != std::string_view::npos) {
        fail("(body)", "not UTF-8 (byte " + std::to_string(bad) + ")");
        return nullptr;
    }
    bool too_deep = false;
    const auto depth_guard = [&too_deep](int depth, nlohmann::json::parse_event_t,
                                         nlohmann::json&) {
        if (depth > max_depth)
            too_deep = true;
        return depth <= max_depth; // a value too deep is dropped, never built
    };
    storage = nlohmann::json::parse(body.begin(), body.end(), depth_guard, false);
    if (storage.is_discarded()) {
        fail("(body)", "not JSON");
        return nullptr;
    }
    if (too_deep) {
        fail("(body)", "nested deeper than " + std::to_string(max_depth) + " levels");
        return nullptr;
    }
    if (!storage.is_object()) {
        fail("(body)", "must be a JSON object");
        return nullptr;
    }
    return &storage;
}

const nlohmann::json* FieldReader::member(const nlohmann::json& object, const std::string& path,
                                          const char* name, Presence presence) {
    if (failed())
        return nullptr;
    const auto found = object.find(name);
    if (found == object.end()) {
        if (presence == Presence::required)
            fail(field_path(path, name), "is missing");
        return nullptr;
    }
    return &*found;
}

std::string FieldReader::text(const nlohmann::json* value, const std::string& path,
                              const TextRule& rule) {
    if (failed() || !value) {
        if (!failed() && rule.min_bytes > 0)
            fail(path, "is missing");
        return {};
    }
    const auto limits = [&] {
        return "must be a string of " + std::to_string(rule.min_bytes) + " to " +
               std::to_string(rule.max_bytes) + " bytes" +
               (rule.name_only ? " of A-Z a-z 0-9 . _ -" : "");
    };
    if (!value->is_string()) {
        fail(path, limits());
        return {};
    }
    const std::string& s = value->get_ref<const std::string&>();
    if (s.size() < rule.min_bytes || s.size() > rule.max_bytes) {
        fail(path, limits());
        return {};
    }
    for (const char c : s) {
        const auto u = static_cast<unsigned char>(c);
        if (rule.name_only ? !is_name_char(u) : text::is_ascii_control(u)) {
            fail(path, rule.name_only ? limits() : "must not hold control characters");
            return {};
        }
    }
    return s;
}

int64_t FieldReader::whole(const nlohmann::json* value, const std::string& path, int64_t min,
                           int64_t max) {
    if (failed())
        return min;
    const auto bad = [&] {
        fail(path,
             "must be a whole number from " + std::to_string(min) + " to " + std::to_string(max));
        return min;
    };
    if (!value || !value->is_number_integer())
        return bad();
    if (value->is_number_unsigned()) {
        const auto u = value->get<uint64_t>();
        if (u > static_cast<uint64_t>(std::numeric_limits<int64_t>::max()))
            return bad();
    }
    const auto n = value->get<int64_t>();
    return n < min || n > max ? bad() : n;
}

std::optional<int64_t> FieldReader::whole_or_null(const nlohmann::json* value,
                                                  const std::string& path, int64_t min,
                                                  int64_t max) {
    if (!value || value->is_null())
        return std::nullopt;
    if (!value->is_number_integer()) {
        fail(path, "must be null or a whole number from " + std::to_string(min) + " to " +
                       std::to_string(max));
        return std::nullopt;
    }
    return whole(value, path, min, max);
}

double FieldReader::number(const nlohmann::json* value, const std::string& path, double min,
                           double max) {
    if (failed())
        return min;
    if (!value || !value->is_number() || !std::isfinite(value->get<double>()) ||
        value->get<double>() < min || value->get<double>() > max) {
        const auto whole_text = [](double d) { return std::to_string(std::llround(d)); };
        fail(path, "must be a number from " + whole_text(min) + " to " + whole_text(max));
        return min;
    }
    return value->get<double>();
}

bool FieldReader::boolean(const nlohmann::json* value, const std::string& path) {
    if (failed())
        return false;
    if (!value || !value->is_boolean()) {
        fail(path, "must be true or false");
        return false;
    }
    return value->get<bool>();
}

int64_t FieldReader::time(const nlohmann::json* value, const std::string& path) {
    if (failed())
        return 0;
    const char* problem = "must be an ISO 8601 time with seconds and a zone, like "
                          "\"2026-12-01T18:40:00Z\" or \"2026-12-01T19:40:00+01:00\"";
    if (!value || !value->is_string()) {
        fail(path, problem);
        return 0;
    }
    const auto shaped = zoned_time_without_fraction(value->get_ref<const std::string&>());
    const auto epoch = shaped ? parse_iso8601(*shaped) : std::nullopt;
    if (!epoch) {
        fail(path, problem);
        return 0;
    }
    if (*epoch < earliest_time || *epoch > latest_time) {
        fail(path, "must be a time from 2000 to 2100");
        return 0;
    }
    return *epoch;
}

std::string FieldReader::one_of(const nlohmann::json* value, const std::string& path,
                                const std::vector<std::string_view>& allowed) {
    if (failed())
        return {};
    if (value && value->is_string())
        for (const std::string_view name : allowed)
            if (value->get_ref<const std::string&>() == name)
                return std::string(name);
    std::string names;
    for (const std::string_view name : allowed)
        names += (names.empty() ? "" : " | ") + std::string(name);
    fail(path, "must be one of " + names);
    return {};
}

const nlohmann::json* FieldReader::array(const nlohmann::json* value, const std::string& path,
                                         std::size_t max_items) {
    static const nlohmann::json empty = nlohmann::json::array();
    if (failed() || !value)
        return &empty;
    if (!value->is_array() || value->size() > max_items) {
        fail(path, "must be an array of at most " + std::to_string(max_items) + " items");
        return &empty;
    }
    return value;
}

} // namespace lmharvest::protocol
