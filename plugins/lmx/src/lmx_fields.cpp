#include "lmx_fields.hpp"

#include "close_token.hpp"

#include <algorithm>
#include <lmharvest/text/civil_time.hpp>
#include <lmharvest/text/scan.hpp>

namespace lmharvest::lmx {
namespace {

// Reads exactly `digits` digits followed by `separator` (or the end when separator is 0).
bool read_field(std::string_view& s, std::size_t digits, char separator, int64_t& out) {
    if (s.size() < digits)
        return false;
    int64_t value = 0;
    for (std::size_t i = 0; i < digits; ++i) {
        if (s[i] < '0' || s[i] > '9')
            return false;
        value = value * 10 + (s[i] - '0');
    }
    out = value;
    s.remove_prefix(digits);
    if (separator == 0)
        return true;
    if (s.empty() || s.front() != separator)
        return false;
    s.remove_prefix(1);
    return true;
}

char to_lower(char c) {
    return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
}

} // namespace

std::optional<int64_t> parse_local_time(std::string_view text) {
    text = text::trim(text);
    int64_t year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0;
    if (!read_field(text, 4, '-', year) || !read_field(text, 2, '-', month) ||
        !read_field(text, 2, ' ', day) || !read_field(text, 2, ':', hour) ||
        !read_field(text, 2, 0, minute))
        return std::nullopt;
    if (text::consume(text, ":") && !read_field(text, 2, 0, second))
        return std::nullopt;
    if (!text.empty())
        return std::nullopt;
    return text::local_to_epoch(year, static_cast<unsigned>(month), static_cast<unsigned>(day),
                                static_cast<unsigned>(hour), static_cast<unsigned>(minute),
                                static_cast<unsigned>(second));
}

std::string_view normalize_share(std::string_view text, LmxResult& result) {
    std::string words;
    std::size_t i = 0;
    while (i < text.size()) {
        while (i < text.size() && (text::is_space(text[i]) || text[i] == ','))
            ++i;
        const std::size_t start = i;
        while (i < text.size() && !text::is_space(text[i]) && text[i] != ',')
            ++i;
        if (i > start) {
            if (!words.empty())
                words += ' ';
            words.append(text.substr(start, i - start));
        }
    }
    return words == text ? text : result.keep(std::move(words));
}

std::string_view normalize_version(std::string_view text, LmxResult& result) {
    text = text::trim(text);
    if (text.empty() || text.front() == 'v')
        return text;
    if (text.front() == 'V')
        text.remove_prefix(1);
    std::string version = "v";
    version.append(text);
    return result.keep(std::move(version));
}

std::string_view normalize_share_kind(std::string_view text, LmxResult& result) {
    std::string_view word = text::trim(text);
    // The text form says "custom string"; the XML attribute says SHARE_CUSTOM.
    if (const std::size_t blank = word.find(' '); blank != std::string_view::npos)
        word = word.substr(0, blank);
    if (std::none_of(word.begin(), word.end(), [](char c) { return c >= 'A' && c <= 'Z'; }))
        return word;
    std::string kind(word);
    std::transform(kind.begin(), kind.end(), kind.begin(), to_lower);
    return result.keep(std::move(kind));
}

void finish_feature(LmxFeature& feature) {
    if (feature.total == unlimited_licenses)
        feature.flags |= LH_FEATURE_UNLIMITED;
}

void finish_session(LmxSession& session) {
    session.close_token =
        encode_close_token(CloseKeyView{session.vendor, session.feature, session.version,
                                        session.user, session.host, session.checkout_text});
}

void collect_vendors(LmxResult& result) {
    for (const LmxFeature& feature : result.features) {
        if (feature.vendor.empty())
            continue;
        const auto known =
            std::find_if(result.vendors.begin(), result.vendors.end(),
                         [&](const LmxVendor& v) { return v.name == feature.vendor; });
        if (known == result.vendors.end())
            result.vendors.push_back({feature.vendor, LH_STATE_UP});
    }
}

std::string cut_for_report(std::string_view text) {
    constexpr std::size_t limit = 200;
    if (text.size() <= limit)
        return std::string(text);
    return std::string(text.substr(0, limit)) + "...";
}

} // namespace lmharvest::lmx
