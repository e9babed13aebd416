#include "harvest/host_match.hpp"

#include <algorithm>
#include <cctype>

namespace lmharvest {
namespace {

std::string_view first_label(std::string_view host) {
    return host.substr(0, host.find('.'));
}

} // namespace

bool same_name(std::string_view a, std::string_view b) {
    return std::equal(a.begin(), a.end(), b.begin(), b.end(), [](char x, char y) {
        return std::tolower(static_cast<unsigned char>(x)) ==
               std::tolower(static_cast<unsigned char>(y));
    });
}

bool same_host(std::string_view a, std::string_view b) {
    if (a.empty() || b.empty())
        return false;
    if (same_name(a, b))
        return true;
    const bool a_short = a.find('.') == std::string_view::npos;
    const bool b_short = b.find('.') == std::string_view::npos;
    return (a_short || b_short) && same_name(first_label(a), first_label(b));
}

std::string_view display_host(std::string_view display) {
    if (display.empty() || display.front() == '/')
        return {};
    return display.substr(0, display.find(':'));
}

bool session_on_host(std::string_view session_host, std::string_view session_display,
                     std::string_view app_host) {
    return same_host(session_host, app_host) || same_host(display_host(session_display), app_host);
}

} // namespace lmharvest
