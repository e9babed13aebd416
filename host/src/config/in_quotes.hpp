// A value as the config's messages show it: in double quotes, as it stood in the file.
#pragma once

#include <string>
#include <string_view>

namespace lmharvest {

inline std::string in_quotes(std::string_view text) {
    return "\"" + std::string(text) + "\"";
}

} // namespace lmharvest
