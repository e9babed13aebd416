#include "config/error_list.hpp"

#include <algorithm>

namespace lmharvest {

void ErrorList::add(const toml::source_region& where, std::string message) {
    errors_.push_back({file_, static_cast<int>(where.begin.line),
                       static_cast<int>(where.begin.column), std::move(message)});
}

ConfigErrors ErrorList::take() {
    std::stable_sort(errors_.begin(), errors_.end(), [](const auto& a, const auto& b) {
        return std::pair(a.line, a.column) < std::pair(b.line, b.column);
    });
    return std::exchange(errors_, {});
}

std::string format_location(const std::string& file, const toml::source_region& where) {
    if (where.begin.line == 0)
        return "";
    return file + ":" + std::to_string(where.begin.line) + ":" + std::to_string(where.begin.column);
}

} // namespace lmharvest
