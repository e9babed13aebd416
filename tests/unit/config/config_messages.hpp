// Every message of a refused config, one a line, for the config tests' checks.
#pragma once

#include "config/config.hpp"

#include <string>

namespace lmharvest::test {

inline std::string all_messages(const ConfigErrors& errors) {
    std::string text;
    for (const ConfigError& error : errors)
        text += error.to_string() + "\n";
    return text;
}

} // namespace lmharvest::test
