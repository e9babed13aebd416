#include "config/safe_name.hpp"

#include <algorithm>

namespace lmharvest {
namespace {

bool is_safe_char(char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' ||
           c == '.' || c == '-';
}

} // namespace

Expected<std::string> check_safe_name(std::string_view name, std::string_view key) {
    if (name.size() > max_safe_name_length)
        return unexpected("is " + std::to_string(name.size()) + " characters long; use at most " +
                          std::to_string(max_safe_name_length));
    if (!name.empty() && std::all_of(name.begin(), name.end(), is_safe_char))
        return std::string(name);
    std::string fixed(name);
    std::replace_if(
        fixed.begin(), fixed.end(), [](char c) { return !is_safe_char(c); }, '-');
    return unexpected("\"" + std::string(name) +
                      "\" may contain only letters, digits, '_', '.' and '-'; write e.g. " +
                      std::string(key) + " = \"" + (fixed.empty() ? "name" : fixed) + "\"");
}

} // namespace lmharvest
