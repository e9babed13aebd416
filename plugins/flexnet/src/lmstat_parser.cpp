#include "lmstat_parser.hpp"

#include "feature_lines.hpp"
#include "start_time.hpp"
#include "status_lines.hpp"
#include "user_line.hpp"

#include <cstring>
#include <lmharvest/records.h>
#include <lmharvest/text/civil_time.hpp>
#include <lmharvest/text/lines.hpp>
#include <lmharvest/text/scan.hpp>

namespace lmharvest::flexnet {

namespace {

using text::consume;
using text::consume_uint;
using text::trim;

// Long enough to recognise a line in a report, short enough to keep a garbage line harmless.
constexpr size_t max_skipped_text = 240;

constexpr std::string_view users_of_prefix = "Users of ";

enum class Section { none, servers, vendors, features, listing };

// "Ddd M/D/YYYY H:MM": the date lmstat ran, in the server's local time.
std::optional<int64_t> parse_run_date(std::string_view s) {
    text::next_token(s); // weekday
    s = text::trim_left(s);
    int64_t month = 0, day = 0, year = 0, hour = 0, minute = 0;
    if (!consume_uint(s, month) || !consume(s, "/") || !consume_uint(s, day) || !consume(s, "/") ||
        !consume_uint(s, year))
        return std::nullopt;
    s = text::trim_left(s);
    if (!consume_uint(s, hour) || !consume(s, ":") || !consume_uint(s, minute) ||
        !trim(s).empty() || month > 12 || day > 31 || hour > 23 || minute > 59)
        return std::nullopt;
    return text::local_to_epoch(year, static_cast<unsigned>(month), static_cast<unsigned>(day),
                                static_cast<unsigned>(hour), static_cast<unsigned>(minute));
}

// memchr finds line ends several times faster than a byte loop.
size_t count_lines(std::string_view text) {
    size_t lines = 1;
    for (const char *at = text.data(), *end = at + text.size();
         (at = static_cast<const char*>(std::memchr(at, '\n', static_cast<size_t>(end - at))));
         ++at)
        ++lines;
    return lines;
}

bool starts_with_digit(std::string_view s) {
    return !s.empty() && s.front() >= '0' && s.front() <= '9';
}

// The line of dashes lmstat prints between the license servers of one call (-c with several
// license files, or a port list).
bool is_separator(std::string_view line) {
    return line.size() >= 4 && line.find_first_not_of('-') == std::string_view::npos;
}

std::string in_quotes(std::string_view text) {
    return "'" + std::string(text.substr(0, 80)) + "'";
}

// One pass over the lines; the state is which section and which feature we are in.
class LmstatReader {
public:
    LmstatReader(int64_t poll_time, std::string_view output) : times_(poll_time) {
        // Growing a vector of 100k sessions copies it ~17 times; a session per line is the most
        // there can be, and reserved pages that stay unused cost no memory.
        result_.sessions.reserve(count_lines(output));
    }

    void read(std::string_view raw, uint32_t number) {
        const std::string_view line = trim(raw);
        if (line.empty())
            return;
        number_ = number;
        if (const char* problem = dispatch(line))
            skip(raw, problem);
    }

    LmstatResult finish(std::string_view output) {
        fill_uncounted_usage();
        result_.unusable = judge(output);
        return std::move(result_);
    }

private:
    // Returns nullptr when the line was read, else why not.
    const char* dispatch(std::string_view line) {
        // starts_with inlines, consume() would call memcmp on every line.
        if (line.starts_with(users_of_prefix))
            return users_of(line.substr(users_of_prefix.size()));
        if (section_ == Section::features && feature_)
            if (const UserLineMarker marker = find_user_line_marker(line))
                return user_line(line, marker);
        if (consume(line, "License server status:"))
            return begin_block(trim(line));
        if (is_separator(line))
            return end_block();
        if (line.substr(0, 8) == "lmutil -" || line.substr(0, 8) == "lmstat -" ||
            line == "[Detecting lmgrd processes...]" || line.substr(0, 19) == "License file(s) on ")
            return nullptr;
        if (consume(line, "Flexible License Manager status on "))
            return run_date(line);
        if (consume(line, "Error getting status:")) {
            if (result_.query_error.empty())
                result_.query_error.assign("Error getting status: ").append(trim(line));
            status_seen_ = true;
            return nullptr;
        }
        if (consume(line, "lmgrd is not running:"))
            return lmgrd_down(trim(line));
        if (line.substr(0, 24) == "Vendor daemon status (on") {
            section_ = Section::vendors;
            block_vendors_ = true;
            return nullptr;
        }
        if (line == "Feature usage info:") {
            section_ = Section::features;
            return nullptr;
        }
        if (line.substr(0, 16) == "NOTE: lmstat -i ") {
            section_ = Section::listing;
            return nullptr;
        }
        switch (section_) {
        case Section::servers:
            return server(line);
        case Section::vendors:
            return vendor(line);
        case Section::features:
            return feature_detail(line);
        case Section::listing:
            return listing(line);
        case Section::none:
            break;
        }
        // lmstat -i (file 20) prints its run date bare, with no "status on" before it.
        if (parse_run_date(line))
            return run_date(line);
        return find_user_line_marker(line) ? "user line outside a 'Users of' block"
                                           : "not lmstat -a output";
    }

    const char* begin_block(std::string_view address) {
        end_block();
        section_ = Section::servers;
        block_address_.assign(address);
        ++block_;
        block_vendors_begin_ = result_.vendors.size();
        return nullptr;
    }

    // A separator or the next block: nothing read after it belongs to the block before.
    const char* end_block() {
        section_ = Section::none;
        feature_ = false;
        block_up_ = false;
        block_vendors_ = false;
        return nullptr;
    }

    const char* run_date(std::string_view date) {
        const auto when = parse_run_date(date);
        if (!when)
            return "unreadable status date";
        times_ = StartTimeResolver(*when);
        return nullptr;
    }

    // "lmgrd is not running: msg": every host of the block's address is down.
    const char* lmgrd_down(std::string_view message) {
        std::string_view hosts = block_address_;
        if (hosts.empty())
            hosts = "lmgrd";
        while (!hosts.empty()) {
            const size_t comma = hosts.find(',');
            std::string_view entry = hosts.substr(0, comma);
            hosts = comma == std::string_view::npos ? std::string_view() : hosts.substr(comma + 1);
            const size_t at = entry.find('@');
            ServerStatus down;
            down.host.assign(at == std::string_view::npos ? entry : entry.substr(at + 1));
            down.state = LH_STATE_DOWN;
            down.message.assign(message);
            result_.servers.push_back(std::move(down));
        }
        status_seen_ = true;
        return nullptr;
    }

    const char* server(std::string_view line) {
        auto status = parse_server_line(line);
        if (!status)
            return "unreadable license server status";
        status_seen_ = true;
        block_up_ = block_up_ || status->state == LH_STATE_UP;
        result_.servers.push_back(std::move(*status));
        return nullptr;
    }

    const char* vendor(std::string_view line) {
        auto status = parse_vendor_line(line);
        if (!status)
            return "unreadable vendor daemon status";
        result_.vendors.push_back(std::move(*status));
        return nullptr;
    }

    const char* users_of(std::string_view rest) {
        auto feature = parse_users_of(rest);
        if (!feature) {
            feature_ = false; // its user lines must not count for the feature before it
            return "unreadable 'Users of' line";
        }
        section_ = Section::features;
        // Until its sub-header says otherwise: the vendor of the feature before it in this
        // block (lmstat lists features vendor by vendor), else the block's first vendor.
        if (feature_ && feature_block_ == block_)
            feature->vendor = current().vendor;
        else if (block_vendors_begin_ < result_.vendors.size())
            feature->vendor = result_.vendors[block_vendors_begin_].name;
        feature->line = number_;
        result_.features.push_back(std::move(*feature));
        feature_ = true;
        info_seen_ = false;
        feature_block_ = block_;
        return nullptr;
    }

    const char* feature_detail(std::string_view line) {
        if (!feature_)
            return "feature detail outside a 'Users of' block";
        Feature& feature = current();
        if (line.front() == '"') {
            const auto info = parse_feature_info(line);
            if (!info)
                return "unreadable feature sub-header";
            if (!info_seen_) {
                feature.vendor.assign(info->vendor);
                feature.version.assign(info->version);
                feature.expiry.assign(info->expiry);
                info_seen_ = true;
            }
            return nullptr;
        }
        if (line.substr(0, 16) == "floating license")
            return nullptr;
        if (line.find("nodelocked license") != std::string_view::npos) {
            feature.flags |= LH_FEATURE_NODELOCKED;
            return nullptr;
        }
        if (line.substr(0, 14) == "vendor_string:")
            return nullptr;
        if (starts_with_digit(line)) {
            auto reservation = parse_reservation(line);
            if (!reservation)
                return "unreadable RESERVATION line";
            feature.reserved += reservation->count;
            feature.reservations.push_back(std::move(*reservation));
            return nullptr;
        }
        return "not lmstat -a output";
    }

    // Parsed in place: nearly every user line is a checkout that stays.
    const char* user_line(std::string_view line, UserLineMarker marker) {
        Session& session = result_.sessions.emplace_back();
        if (const char* problem = parse_user_line(line, marker, times_, session)) {
            result_.sessions.pop_back();
            return problem;
        }
        session.feature_index = result_.features.size() - 1;
        session.line = number_;
        if (session.queued) {
            ++current().queued;
            result_.queued.push_back(session);
            result_.sessions.pop_back();
        }
        return nullptr;
    }

    // lmstat -i: the note's continuation, the column header, its underline, then one row per
    // license-file feature.
    const char* listing(std::string_view line) {
        if (line.substr(0, 9) == "but only " || line.substr(0, 9) == "lmstat -a" ||
            line.substr(0, 8) == "Feature " || line.front() == '_')
            return nullptr;
        ++result_.license_listing_rows;
        return nullptr;
    }

    void skip(std::string_view raw, const char* reason) {
        SkippedLine skipped;
        skipped.line = number_;
        skipped.text.assign(raw.substr(0, max_skipped_text));
        skipped.reason = reason;
        result_.skipped.push_back(std::move(skipped));
    }

    // An uncounted feature states no usage: its checkouts are the usage.
    void fill_uncounted_usage() {
        for (const Session& session : result_.sessions) {
            Feature& feature = result_.features[session.feature_index];
            if (feature.flags & LH_FEATURE_UNCOUNTED)
                feature.used += session.count;
        }
    }

    // Why the output is no whole lmstat -a answer, or "". Only its end can be cut, so only
    // what is open at the end is checked: a line without its line end, a block whose servers
    // are up but whose vendor daemon status never came, a feature that lists fewer licenses
    // than its "Total of M licenses in use".
    std::string judge(std::string_view output) const {
        if (!status_seen_)
            return no_status(output);
        if (output.back() != '\n')
            return "cut in the middle of line " + std::to_string(number_) +
                   " (the output does not end with a line end)";
        if (block_up_ && !block_vendors_)
            return "cut after the license server lines of " + in_quotes(block_address_) +
                   ": no vendor daemon status follows";
        if (feature_)
            return cut_feature();
        return {};
    }

    std::string no_status(std::string_view output) const {
        if (trim(output).empty())
            return "no output";
        if (result_.license_listing_rows > 0)
            return "an 'lmstat -i' license-file listing, not 'lmstat -a' output: it shows no "
                   "license server status";
        if (block_ > 0)
            return "cut after 'License server status: " + block_address_ +
                   "': no license server line follows";
        std::string why = "not lmstat -a output: no license server status";
        if (!result_.skipped.empty())
            why += " (first unreadable line " + std::to_string(result_.skipped.front().line) +
                   ": " + in_quotes(trim(result_.skipped.front().text)) + ")";
        return why;
    }

    // The open feature is the last one read; its sessions are the last ones.
    std::string cut_feature() const {
        const Feature& feature = result_.features.back();
        if (feature.flags & (LH_FEATURE_UNCOUNTED | LH_FEATURE_ERROR))
            return {};
        // An unreadable line in it may be a checkout: then its count proves nothing.
        if (!result_.skipped.empty() && result_.skipped.back().line > feature.line)
            return {};
        const size_t index = result_.features.size() - 1;
        int64_t listed = feature.reserved;
        for (auto it = result_.sessions.rbegin();
             it != result_.sessions.rend() && it->feature_index == index; ++it)
            listed += it->count;
        if (listed >= feature.used)
            return {};
        return "cut in feature '" + feature.name + "' (line " + std::to_string(feature.line) +
               "): it says " + std::to_string(feature.used) + " licenses in use, the output " +
               "lists " + std::to_string(listed);
    }

    Feature& current() { return result_.features.back(); }

    LmstatResult result_;
    StartTimeResolver times_;
    Section section_ = Section::none;
    std::string block_address_;
    size_t block_ = 0; // which "License server status:" block we are in
    size_t block_vendors_begin_ = 0;
    size_t feature_block_ = 0;
    bool feature_ = false;       // a "Users of" line was read and its block is open
    bool info_seen_ = false;     // the open feature had its first sub-header
    bool status_seen_ = false;   // a server line, "lmgrd is not running" or "Error getting status"
    bool block_up_ = false;      // a server of the current block is up
    bool block_vendors_ = false; // the current block's vendor daemon status began
    uint32_t number_ = 0;        // of the line being read
};

} // namespace

LmstatResult parse_lmstat(std::string_view output, int64_t poll_time) {
    LmstatReader reader(poll_time, output);
    text::LineCursor cursor(output);
    std::string_view line;
    while (cursor.next(line))
        reader.read(line, cursor.number());
    return reader.finish(output);
}

} // namespace lmharvest::flexnet
