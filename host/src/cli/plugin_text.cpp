#include "cli/plugin_text.hpp"

#include "text/terminal_escape.hpp"

#include <lmharvest/plugin.h>

namespace lmharvest {
namespace {

// Names of set bits, comma-separated.
template <class Bits, std::size_t N>
std::string bit_names(Bits bits, const std::pair<Bits, const char*> (&names)[N]) {
    std::string text;
    for (const auto& [bit, name] : names)
        if (bits & bit)
            text += (text.empty() ? "" : ", ") + std::string(name);
    return text.empty() ? "none" : text;
}

std::string kinds(const PluginInfo& info) {
    static const std::pair<uint32_t, const char*> names[] = {{LH_KIND_ADAPTER, "adapter"},
                                                             {LH_KIND_HANDLER, "handler"}};
    return bit_names(info.kinds, names);
}

std::string capabilities(const PluginInfo& info) {
    static const std::pair<uint64_t, const char*> names[] = {
        {LH_CAP_POLL, "poll"},
        {LH_CAP_CLOSE_SESSION, "close_session"},
        {LH_CAP_DENIALS, "denials"},
        {LH_CAP_SAVE_AND_CLOSE, "save_and_close"}};
    return bit_names(info.capabilities, names);
}

std::string abi(const PluginInfo& info) {
    return std::to_string(info.abi_major) + "." + std::to_string(info.abi_minor);
}

} // namespace

// A plugin's name, version and description are its own words, and its path may hold any
// byte: shown, never sent to the terminal.
std::string one_line(const PluginInfo& info) {
    return text::escape_for_terminal(info.name + " " + info.version + " (ABI " + abi(info) + ", " +
                                     kinds(info) + "; " + capabilities(info) + ") " +
                                     info.path.string());
}

std::string describe(const PluginInfo& info) {
    const auto show = [](const std::string& field) { return text::escape_for_terminal(field); };
    return "name:         " + show(info.name) + "\nversion:      " + show(info.version) +
           "\ndescription:  " + show(info.description) + "\nabi:          " + abi(info) +
           "\nkinds:        " + kinds(info) + "\ncapabilities: " + capabilities(info) +
           "\nfile:         " + show(info.path.string()) + "\n";
}

} // namespace lmharvest
