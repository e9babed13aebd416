// Reads a whole Prometheus text exposition and lists what is wrong with it: a series that
// appears twice, a family announced twice, a sample without a number, text that is not UTF-8.
#pragma once

#include "text/utf8.hpp"

#include <cstdlib>
#include <set>
#include <sstream>
#include <string>
#include <vector>

namespace lmharvest::testing {

/// Each problem as one line; empty when the exposition is sound.
inline std::vector<std::string> exposition_problems(const std::string& exposition) {
    std::vector<std::string> problems;
    if (!text::is_valid_utf8(exposition))
        problems.push_back("not valid UTF-8");
    std::set<std::string> series, announced;
    std::istringstream lines(exposition);
    std::size_t samples = 0;
    for (std::string line; std::getline(lines, line);) {
        if (line.rfind("# HELP ", 0) == 0 || line.rfind("# TYPE ", 0) == 0) {
            if (!announced.insert(line.substr(0, line.find(' ', 7))).second)
                problems.push_back("announced twice: " + line);
            continue;
        }
        const std::size_t space = line.rfind(' ');
        if (space == std::string::npos) {
            problems.push_back("no value: " + line);
            continue;
        }
        ++samples;
        const std::string value = line.substr(space + 1);
        char* end = nullptr;
        std::strtod(value.c_str(), &end);
        if (value.empty() || *end != '\0')
            problems.push_back("not a number: " + line);
        if (!series.insert(line.substr(0, space)).second)
            problems.push_back("duplicate series: " + line.substr(0, space));
    }
    if (samples == 0)
        problems.push_back("no samples");
    return problems;
}

} // namespace lmharvest::testing
