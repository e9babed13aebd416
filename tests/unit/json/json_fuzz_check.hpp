// The fuzz loops' check of the JSON writers over whatever bytes a mutated tool output holds:
// the streaming writer and nlohmann's dump (through safe_dump) must both give text a strict
// reader accepts (nlohmann::json::parse refuses invalid UTF-8), agree on every string, and
// lose no field. Header-only so each fuzz program compiles it with its sanitizers.
#pragma once

#include "json/json_writer.hpp"
#include "json/safe_dump.hpp"
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

namespace lmharvest::testing {

/// nullptr when both writers handled `input` and `fields`, else what went wrong.
inline const char* json_writers_problem(std::string_view input,
                                        const std::vector<std::string_view>& fields) {
    std::string streamed;
    JsonWriter writer(
        [&streamed](std::string_view piece) {
            streamed += piece;
            return true;
        },
        1);
    writer.begin_object();
    writer.field("input", input);
    writer.key("fields");
    writer.begin_array();
    for (const std::string_view field : fields)
        writer.value(field);
    writer.end_array();
    writer.end_object();
    if (!writer.finish())
        return "the streaming JSON writer's sink refused";

    nlohmann::json dom = {{"input", std::string(input)}, {"fields", nlohmann::json::array()}};
    for (const std::string_view field : fields)
        dom["fields"].push_back(std::string(field));

    const auto from_stream = nlohmann::json::parse(streamed, nullptr, false);
    const auto from_dom = nlohmann::json::parse(safe_dump(dom), nullptr, false);
    if (from_stream.is_discarded())
        return "the streaming JSON writer wrote text that is not JSON or not UTF-8";
    if (from_dom.is_discarded())
        return "safe_dump wrote text that is not JSON or not UTF-8";
    if (from_stream.at("fields").size() != fields.size())
        return "the streaming JSON writer lost a field";
    if (from_stream != from_dom)
        return "the streaming writer and safe_dump repaired invalid UTF-8 differently";
    return nullptr;
}

} // namespace lmharvest::testing
