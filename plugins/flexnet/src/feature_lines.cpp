#include "feature_lines.hpp"

#include "license_count.hpp"

#include <lmharvest/records.h>
#include <lmharvest/text/scan.hpp>

namespace lmharvest::flexnet {

namespace {

using text::consume;
using text::consume_uint;
using text::trim;
using text::trim_left;

// "Total of N license(s) <word>" -> N.
bool read_total(std::string_view& s, std::string_view word, int64_t& out) {
    s = trim_left(s);
    if (!consume(s, "Total of "))
        return false;
    if (!consume_license_count(s, out))
        return false;
    s = trim_left(s);
    return consume(s, word);
}

} // namespace

std::optional<Feature> parse_users_of(std::string_view rest) {
    // The name ends at the first ':' that is followed by the "(...)" summary.
    size_t colon = rest.find(':');
    std::string_view summary;
    for (; colon != std::string_view::npos; colon = rest.find(':', colon + 1)) {
        summary = trim(rest.substr(colon + 1));
        if (!summary.empty() && summary.front() == '(' && summary.back() == ')')
            break;
    }
    if (colon == std::string_view::npos || colon == 0)
        return std::nullopt;
    Feature feature;
    feature.name.assign(rest.substr(0, colon));
    std::string_view inside = summary.substr(1, summary.size() - 2);
    if (consume(inside, "Error:")) {
        feature.flags |= LH_FEATURE_ERROR;
        feature.error_text.assign(trim(inside));
        return feature;
    }
    if (trim(inside) == "Uncounted, node-locked") {
        feature.flags |= LH_FEATURE_UNCOUNTED | LH_FEATURE_NODELOCKED;
        return feature;
    }
    if (!read_total(inside, "issued;", feature.total) ||
        !read_total(inside, "in use", feature.used) || !trim(inside).empty())
        return std::nullopt;
    return feature;
}

std::optional<FeatureInfo> parse_feature_info(std::string_view line) {
    if (!consume(line, "\""))
        return std::nullopt;
    const size_t quote = line.find('"');
    if (quote == std::string_view::npos)
        return std::nullopt;
    std::string_view rest = trim_left(line.substr(quote + 1));
    FeatureInfo info;
    if (!consume(rest, "v"))
        return std::nullopt;
    const size_t comma = rest.find(',');
    info.version = trim(rest.substr(0, comma));
    rest = comma == std::string_view::npos ? std::string_view() : rest.substr(comma + 1);
    // Then ", key: value" pairs; an expiry may hold spaces and parentheses, not commas.
    while (!trim(rest).empty()) {
        rest = trim_left(rest);
        const size_t next = rest.find(", ");
        std::string_view pair = rest.substr(0, next);
        rest = next == std::string_view::npos ? std::string_view() : rest.substr(next + 1);
        if (consume(pair, "vendor:"))
            info.vendor = trim(pair);
        else if (consume(pair, "expiry:"))
            info.expiry = trim(pair);
    }
    if (info.vendor.empty())
        return std::nullopt;
    return info;
}

std::optional<Reservation> parse_reservation(std::string_view line) {
    Reservation reservation;
    if (!consume_uint(line, reservation.count))
        return std::nullopt;
    line = trim_left(line);
    if (!consume(line, "RESERVATION"))
        return std::nullopt;
    consume(line, "s");
    line = trim_left(line);
    if (!consume(line, "for "))
        return std::nullopt;
    const size_t open = line.rfind('(');
    if (open == std::string_view::npos || line.back() != ')')
        return std::nullopt;
    reservation.holder.assign(trim(line.substr(0, open)));
    reservation.server.assign(line.substr(open + 1, line.size() - open - 2));
    return reservation;
}

} // namespace lmharvest::flexnet
