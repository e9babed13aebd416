// What a loaded plugin says about itself, copied out of its lh_plugin descriptor so that it can
// be shown (`lmharvest plugins inspect`) without creating any instance.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>

namespace lmharvest {

struct PluginInfo {
    std::string name;
    std::string version;
    std::string description;
    uint32_t abi_major = 0;
    uint32_t abi_minor = 0;
    uint32_t kinds = 0;        // LH_KIND_*
    uint64_t capabilities = 0; // LH_CAP_*
    std::filesystem::path path;
};

} // namespace lmharvest
