#include "plugins/abi_names.hpp"

#include <array>
#include <cstdio>
#include <utility>

namespace lmharvest {
namespace {

// Joins the names of the set bits; bits without a name are shown in hex so that a newer
// plugin's flags stay visible.
template <std::size_t N>
std::string bit_names(uint64_t bits, const std::array<std::pair<uint64_t, const char*>, N>& names) {
    std::string text;
    auto append = [&text](const std::string& name) {
        text += text.empty() ? "" : ",";
        text += name;
    };
    for (const auto& [bit, name] : names) {
        if (bits & bit)
            append(name);
        bits &= ~bit;
    }
    if (bits != 0) {
        char hex[24];
        std::snprintf(hex, sizeof hex, "0x%llx", static_cast<unsigned long long>(bits));
        append(hex);
    }
    return text.empty() ? "none" : text;
}

} // namespace

std::string status_name(lh_status status) {
    static constexpr std::array<const char*, 14> names = {"LH_OK",
                                                          "LH_ERR_GENERIC",
                                                          "LH_ERR_INVALID_ARGUMENT",
                                                          "LH_ERR_NOT_FOUND",
                                                          "LH_ERR_WRONG_TYPE",
                                                          "LH_ERR_UNSUPPORTED",
                                                          "LH_ERR_TIMEOUT",
                                                          "LH_ERR_SPAWN",
                                                          "LH_ERR_UNAVAILABLE",
                                                          "LH_ERR_PERMISSION",
                                                          "LH_ERR_TOO_SOON",
                                                          "LH_ERR_LINGERING",
                                                          "LH_ERR_ALREADY_GONE",
                                                          "LH_ERR_BUFFER_TOO_SMALL"};
    if (status >= 0 && static_cast<std::size_t>(status) < names.size())
        return names[static_cast<std::size_t>(status)];
    return "status " + std::to_string(status);
}

std::string kind_names(uint32_t kinds) {
    static constexpr std::array<std::pair<uint64_t, const char*>, 2> names = {
        {{LH_KIND_ADAPTER, "adapter"}, {LH_KIND_HANDLER, "handler"}}};
    return bit_names(kinds, names);
}

std::string capability_names(uint64_t capabilities) {
    static constexpr std::array<std::pair<uint64_t, const char*>, 4> names = {
        {{LH_CAP_POLL, "poll"},
         {LH_CAP_CLOSE_SESSION, "close_session"},
         {LH_CAP_DENIALS, "denials"},
         {LH_CAP_SAVE_AND_CLOSE, "save_and_close"}}};
    return bit_names(capabilities, names);
}

} // namespace lmharvest
