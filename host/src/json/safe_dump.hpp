// nlohmann's dump() throws type_error.316 on bytes that are not UTF-8 (a Latin-1 user name from
// a Windows license server); every dump in the host goes through here instead.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

namespace lmharvest {

/// json.dump(indent) with each invalid UTF-8 sequence replaced by U+FFFD; never throws.
inline std::string safe_dump(const nlohmann::json& json, int indent = -1) {
    return json.dump(indent, ' ', false, nlohmann::json::error_handler_t::replace);
}

} // namespace lmharvest
