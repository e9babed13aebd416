// Reads checked fields out of parsed JSON and keeps the first problem with its field's path, so
// that a parser reads every field in a row and asks once at the end whether all was well.
#pragma once

#include "protocol/agent_json.hpp"

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

namespace lmharvest::protocol {

/// What a text field may hold. Control characters (newlines too) are never allowed.
struct TextRule {
    std::size_t min_bytes = 0;
    std::size_t max_bytes = 256;
    bool name_only = false; ///< only A-Z a-z 0-9 . _ - (host names, ids)
};

enum class Presence { required, optional };

class FieldReader {
public:
    /// The body as a JSON object (nesting at most `max_depth`); null (and failed()) when not.
    const nlohmann::json* parse_object(std::string_view body, nlohmann::json& storage);

    /// The member `name` of `object` at `path` ("" for the body), null when absent.
    const nlohmann::json* member(const nlohmann::json& object, const std::string& path,
                                 const char* name, Presence presence);

    std::string text(const nlohmann::json* value, const std::string& path, const TextRule& rule);
    int64_t whole(const nlohmann::json* value, const std::string& path, int64_t min, int64_t max);
    /// null is nullopt; absent too.
    std::optional<int64_t> whole_or_null(const nlohmann::json* value, const std::string& path,
                                         int64_t min, int64_t max);
    double number(const nlohmann::json* value, const std::string& path, double min, double max);
    bool boolean(const nlohmann::json* value, const std::string& path);
    /// An ISO 8601 time with seconds and a zone ("2026-12-01T18:40:00Z", "...+01:00", fractions
    /// of a second allowed), as epoch seconds.
    int64_t time(const nlohmann::json* value, const std::string& path);
    /// One of `allowed`.
    std::string one_of(const nlohmann::json* value, const std::string& path,
                       const std::vector<std::string_view>& allowed);
    /// An array of at most `max_items` (empty when absent); each element is read by the caller.
    const nlohmann::json* array(const nlohmann::json* value, const std::string& path,
                                std::size_t max_items);

    void fail(const std::string& field, std::string problem);
    bool failed() const { return error_.has_value(); }
    const FieldError& error() const { return *error_; }

private:
    std::optional<FieldError> error_;
};

std::string field_path(const std::string& path, const char* name);
std::string item_path(const std::string& path, std::size_t index);

} // namespace lmharvest::protocol
