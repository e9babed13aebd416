#include "plugins/library_steps.hpp"

#include <string>
#include <string_view>

namespace lmharvest {
namespace {

// Boost.DLL wraps dlerror() as "load() failed (dlerror system message: TEXT): errno text";
// the operator needs TEXT, which names the file and what is wrong with it.
std::string loader_text(std::string_view what) {
    constexpr std::string_view marker = "(dlerror system message: ";
    const auto start = what.find(marker);
    const auto end = what.rfind(')');
    if (start == std::string_view::npos || end == std::string_view::npos || end < start)
        return std::string(what);
    return std::string(what.substr(start + marker.size(), end - start - marker.size()));
}

// The fix depends on why dlopen() failed; the loader's text tells which case it is.
std::string open_refusal(const std::filesystem::path& file, const std::string& text) {
    const std::string prefix = file.string() + ": ";
    if (text.find("cannot open shared object file") != std::string::npos &&
        std::filesystem::exists(file))
        return prefix + "a library it needs is missing (" + text +
               "); install that library or rebuild the plugin so that it finds it";
    if (text.find("undefined symbol") != std::string::npos)
        return prefix + "unresolved symbol (" + text +
               "); rebuild it against the libraries installed here";
    return prefix + "not a shared library (" + text + "); remove it from plugin_dirs";
}

} // namespace

std::string host_abi_range() {
    const std::string major = std::to_string(LH_ABI_MAJOR);
    if (LH_ABI_MINOR == 0)
        return major + ".0";
    return major + ".0-" + major + "." + std::to_string(LH_ABI_MINOR);
}

Expected<boost::dll::shared_library> open_library(const std::filesystem::path& file) {
    try {
        const auto mode = boost::dll::load_mode::rtld_now | boost::dll::load_mode::rtld_local;
        return boost::dll::shared_library(boost::dll::fs::path(file.string()), mode);
    } catch (const std::exception& e) {
        return unexpected(open_refusal(file, loader_text(e.what())));
    }
}

Expected<lh_plugin_entry_fn> find_entry(const boost::dll::shared_library& library,
                                        const std::filesystem::path& file) {
    if (library.has(LH_PLUGIN_ENTRY_NAME))
        return &library.get<const lh_plugin*(const lh_host_api*)>(LH_PLUGIN_ENTRY_NAME);
    for (int major = 9; major > LH_ABI_MAJOR; --major) {
        if (library.has("lh_plugin_entry_v" + std::to_string(major)))
            return unexpected(file.string() + ": needs ABI " + std::to_string(major) +
                              "; this host speaks " + host_abi_range() +
                              "; use a build of the plugin for lmharvest-sdk " +
                              std::to_string(LH_ABI_MAJOR) + ".x");
    }
    return unexpected(file.string() + ": no entry symbol " LH_PLUGIN_ENTRY_NAME
                                      "; build it with lmharvest_add_plugin()");
}

Expected<const lh_plugin*> call_entry(lh_plugin_entry_fn entry, const lh_host_api& host,
                                      const std::filesystem::path& file) {
    const lh_plugin* descriptor = nullptr;
    try {
        descriptor = entry(&host);
    } catch (...) {
        return unexpected(file.string() + ": " LH_PLUGIN_ENTRY_NAME
                                          " threw an exception; a C entry point must return "
                                          "NULL instead");
    }
    if (!descriptor)
        return unexpected(file.string() +
                          ": " LH_PLUGIN_ENTRY_NAME
                          " returned NULL (the plugin declined this host, ABI " +
                          host_abi_range() + "); see its log lines above");
    return descriptor;
}

} // namespace lmharvest
