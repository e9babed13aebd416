// A ~10 MB `lmstat -a` output (100k user lines, 50 per feature) assembled from the real
// captures' user-line shapes: the input of the flexnet and JSON benchmarks.
#pragma once

#include "lmstat_parser.hpp"

#include <cstdint>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace lmharvest::bench {

inline constexpr int64_t poll_time = 1767225600;
inline constexpr size_t user_lines_wanted = 100000;
inline constexpr size_t users_per_feature = 50;

inline std::string read_fixture(const char* name) {
    std::ifstream in(std::string(LH_FIXTURES_DIR) + "/flexnet/" + name, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

// The user lines of the captures, as printed (extra display tokens, spaces, PIDs, linger).
inline std::vector<std::string> real_user_lines() {
    std::vector<std::string> lines;
    for (const char* name :
         {"01-flexlm-exporter-app1-triad-reservations-linger.txt",
          "02-flexlm-exporter-app2-triad.txt", "05-flexlm-exporter-app5-matlab-pid.txt",
          "07-flexlm-exporter-app7-snpslmd.txt", "08-flexlm-exporter-app8-saltd.txt",
          "14-wildsong-arcgis-garbled-display.txt",
          "19-omnivector-excerpt-mscone-extra-display-token.txt"}) {
        const std::string text = read_fixture(name);
        std::vector<std::string_view> by_number{""};
        for (size_t begin = 0; begin < text.size();) {
            const size_t end = std::min(text.find('\n', begin), text.size());
            by_number.emplace_back(text.data() + begin, end - begin);
            begin = end + 1;
        }
        for (const flexnet::Session& session : flexnet::parse_lmstat(text, poll_time).sessions)
            lines.emplace_back(by_number[session.line]);
    }
    return lines;
}

inline const std::string& big_lmstat_output() {
    static const std::string output = [] {
        const std::vector<std::string> shapes = real_user_lines();
        std::string out = read_fixture("01-flexlm-exporter-app1-triad-reservations-linger.txt")
                              .substr(0, 600); // banner, triad, vendor section
        out = out.substr(0, out.find("Feature usage info:")) + "Feature usage info:\n\n";
        for (size_t user = 0, feature = 0; user < user_lines_wanted; ++feature) {
            const std::string name = "feature" + std::to_string(feature);
            out += "Users of " + name + ":  (Total of 1814 licenses issued;  Total of " +
                   std::to_string(users_per_feature + 8) + " licenses in use)\n\n  \"" + name +
                   "\" v61.9, vendor: VENDOR1, expiry: permanent(no expiration date)\n"
                   "  floating license\n\n\t8 RESERVATIONs for GROUP GROUP1 "
                   "(host3.domain.net/27002)\n";
            for (size_t i = 0; i < users_per_feature && user < user_lines_wanted; ++i, ++user)
                out += shapes[user % shapes.size()] + "\n";
            out += "\n";
        }
        return out;
    }();
    return output;
}

} // namespace lmharvest::bench
