// The text form, `lmxendutil -licstat`, read line by line in one pass. The layout (fixture 01):
//
//   LM-X License Server on 6200@licserv0013.com:
//   Server version: v5.1 Uptime: 3 day(s) 12 hour(s) 0 min(s) 51 sec(s)
//   ----------------------------------------
//   Feature: GlobalZoneEU Version: 21.0 Vendor: ALTAIR
//   Start date: 2022-02-17 Expire date: 2023-01-31
//   Key type: EXCLUSIVE License sharing: CUSTOM VIRTUAL
//   40000 of 1000003 license(s) used:
//   15000 license(s) used by VRAAFG@RD0082879 [138.106.159.158]
//   Login time: 2022-02-18 09:26   Checkout time: 2022-02-18 09:29
//   Shared on custom string: VRAAFG:RD0082879
//
// Detail lines may be indented (RaySearch) or not (Omnivector); both are read the same.
#include "lmx_address.hpp"
#include "lmx_fields.hpp"
#include "parse_lmx.hpp"

#include <lmharvest/text/lines.hpp>
#include <lmharvest/text/scan.hpp>

namespace lmharvest::lmx {
namespace {

constexpr std::size_t none = static_cast<std::size_t>(-1);

bool is_rule(std::string_view line) {
    if (line.size() < 4 || (line.front() != '-' && line.front() != '+'))
        return false;
    return line.find_first_not_of(line.front()) == std::string_view::npos;
}

// string_view::rfind compares the whole marker at every position; testing its first byte first
// is several times faster on long lines.
std::size_t rfind_marker(std::string_view text, std::string_view marker) {
    if (marker.size() > text.size())
        return std::string_view::npos;
    for (std::size_t at = text.size() - marker.size() + 1; at-- > 0;)
        if (text[at] == marker.front() && text.substr(at, marker.size()) == marker)
            return at;
    return std::string_view::npos;
}

// Splits "A<marker>B" at the last marker; false when the marker is absent.
bool split_last(std::string_view text, std::string_view marker, std::string_view& before,
                std::string_view& after) {
    const std::size_t at = rfind_marker(text, marker);
    if (at == std::string_view::npos)
        return false;
    before = text::trim(text.substr(0, at));
    after = text::trim(text.substr(at + marker.size()));
    return true;
}

class TextParser {
public:
    explicit TextParser(LmxResult& result) : result_(result) {}

    void read(std::string_view output) {
        text::LineCursor cursor(output);
        std::string_view raw;
        while (cursor.next(raw)) {
            line_number_ = cursor.number();
            raw_ = raw;
            read_line(text::trim(raw));
        }
        result_.unusable = judge(output);
    }

private:
    // Why the output is no whole -licstat answer, or "". Only its end can be cut, so only what
    // is open there is checked: a line without its line end, a feature whose count line never
    // came or whose users hold fewer licenses than its "N of M license(s) used".
    std::string judge(std::string_view output) const {
        if (result_.servers.empty() && result_.unavailable.empty()) {
            if (text::trim(output).empty())
                return "no output";
            return "no 'LM-X License Server on PORT@HOST:' header and no 'There are no license "
                   "server(s) available': no server status";
        }
        if (output.back() != '\n')
            return "cut in the middle of line " + std::to_string(line_number_) +
                   " (the output does not end with a line end)";
        if (feature_ == none)
            return {};
        const LmxFeature& feature = result_.features[feature_];
        const std::string name = "cut in feature '" + std::string(feature.name) + "'";
        if (!counted_)
            return name + " before its 'N of M license(s) used' line";
        int64_t listed = 0;
        for (std::size_t i = feature_sessions_begin_; i < result_.sessions.size(); ++i)
            listed += result_.sessions[i].count;
        if (listed < feature.used)
            return name + ": it says " + std::to_string(feature.used) +
                   " licenses used, the output lists " + std::to_string(listed);
        return {};
    }

    // The line's first byte picks the few prefixes it can start with: trying them all on every
    // line cost more than reading the line.
    void read_line(std::string_view line) {
        if (line.empty())
            return;
        std::string_view rest = line;
        switch (line.front()) {
        case '-':
        case '+':
            if (!is_rule(line))
                break;
            if (line.front() == '-')
                end_feature();
            return;
        case 'L':
            if (line.starts_with("LM-X End-user Utility") || line == "LM-X license server(s):")
                return;
            if (text::consume(rest, "LM-X License Server on "))
                return read_server(rest);
            if (text::consume(rest, "Login time:"))
                return read_times(rest);
            break;
        case 'C':
            if (line.starts_with("Copyright (C)"))
                return;
            break;
        case 'S':
            if (text::consume(rest, "Server version:"))
                return read_server_version(rest);
            if (text::consume(rest, "Start date:"))
                return read_dates(rest);
            if (text::consume(rest, "Shared on "))
                return read_shared_on(rest);
            break;
        case 'F':
            if (text::consume(rest, "Feature:"))
                return read_feature(rest);
            break;
        case 'K':
            if (text::consume(rest, "Key type:"))
                return read_key_type(rest);
            break;
        case 'T':
            if (line.starts_with("There are no license server(s) available")) {
                result_.unavailable = std::string(line);
                return;
            }
            break;
        default:
            if (int64_t count = 0; text::consume_uint(rest, count))
                return read_counts(count, rest);
        }
        skip("not a line of lmxendutil -licstat output");
    }

    void read_server(std::string_view rest) {
        end_feature();
        rest = text::trim(rest);
        if (!rest.empty() && rest.back() == ':')
            rest.remove_suffix(1);
        const std::optional<LmxAddress> address = parse_address(rest);
        if (!address) {
            server_ = none;
            return skip("server address is not port@host");
        }
        LmxServer server;
        server.host = result_.keep(address->host);
        server.port = address->port;
        // A server block is printed only for a server that answered.
        server.state = LH_STATE_UP;
        result_.servers.push_back(std::move(server));
        server_ = result_.servers.size() - 1;
        server_label_ = result_.keep(server_label(*address));
    }

    void read_server_version(std::string_view rest) {
        if (server_ == none)
            return skip("server version outside a server block");
        std::string_view version = rest, uptime;
        if (split_last(rest, "Uptime:", version, uptime))
            result_.servers[server_].uptime = uptime;
        result_.servers[server_].version = normalize_version(version, result_);
    }

    void read_feature(std::string_view rest) {
        end_feature();
        std::string_view head, vendor, name, version;
        if (!split_last(rest, " Vendor:", head, vendor) ||
            !split_last(head, " Version:", name, version) || name.empty())
            return skip("feature line without name, Version: and Vendor:");
        LmxFeature feature;
        feature.name = name;
        feature.version = version;
        feature.vendor = vendor;
        if (server_ != none)
            feature.server = server_label_;
        result_.features.push_back(std::move(feature));
        feature_ = result_.features.size() - 1;
        feature_sessions_begin_ = result_.sessions.size();
        counted_ = false;
    }

    void read_dates(std::string_view rest) {
        if (feature_ == none)
            return skip("dates outside a feature block");
        std::string_view start = rest, expiry;
        if (!split_last(rest, "Expire date:", start, expiry))
            return skip("start date without expire date");
        result_.features[feature_].start = start;
        result_.features[feature_].expiry = expiry;
    }

    void read_key_type(std::string_view rest) {
        if (feature_ == none)
            return skip("key type outside a feature block");
        std::string_view key_type, share;
        if (split_last(rest, "License sharing:", key_type, share))
            result_.features[feature_].share = normalize_share(share, result_);
    }

    // "N of M license(s) used[:]" or "K license(s) used by user@host [ip]".
    void read_counts(int64_t count, std::string_view rest) {
        if (feature_ == none)
            return skip("license count outside a feature block");
        LmxFeature& feature = result_.features[feature_];
        if (text::consume(rest, " of ")) {
            int64_t total = 0;
            if (!text::consume_uint(rest, total) || !text::consume(rest, " license(s) used"))
                return skip("count line is not 'N of M license(s) used'");
            feature.used = count;
            feature.total = total;
            counted_ = true;
            finish_feature(feature);
            return;
        }
        if (!text::consume(rest, " license(s) used by "))
            return skip("count line is neither 'N of M' nor 'K license(s) used by'");
        read_user(count, text::trim(rest), feature);
    }

    void read_user(int64_t count, std::string_view rest, const LmxFeature& feature) {
        LmxSession session;
        if (!rest.empty() && rest.back() == ']') {
            const std::size_t open = rest.rfind('[');
            if (open != std::string_view::npos) {
                session.host_ip = rest.substr(open + 1, rest.size() - open - 2);
                rest = text::trim(rest.substr(0, open));
            }
        }
        const std::size_t at = rest.rfind('@');
        if (at == std::string_view::npos || at == 0 || at + 1 == rest.size())
            return skip("user is not user@host");
        session.user = rest.substr(0, at);
        session.host = rest.substr(at + 1);
        session.vendor = feature.vendor;
        session.feature = feature.name;
        session.version = feature.version;
        session.server = feature.server;
        session.count = count;
        result_.sessions.push_back(std::move(session));
        session_ = result_.sessions.size() - 1;
    }

    void read_times(std::string_view rest) {
        if (session_ == none)
            return skip("login time outside a user entry");
        std::string_view login = rest, checkout;
        if (!split_last(rest, "Checkout time:", login, checkout))
            return skip("login time without checkout time");
        LmxSession& session = result_.sessions[session_];
        const std::optional<int64_t> login_time = parse_local_time(login);
        const std::optional<int64_t> checkout_time = parse_local_time(checkout);
        if (!login_time || !checkout_time)
            return skip("login or checkout time is not YYYY-MM-DD HH:MM");
        session.login_text = login;
        session.checkout_text = checkout;
        session.login_time = *login_time;
        session.checkout_time = *checkout_time;
    }

    void read_shared_on(std::string_view rest) {
        if (session_ == none)
            return skip("share line outside a user entry");
        const std::size_t colon = rest.find(':');
        if (colon == std::string_view::npos)
            return skip("share line without ':'");
        LmxSession& session = result_.sessions[session_];
        session.share_kind = normalize_share_kind(rest.substr(0, colon), result_);
        session.share_value = text::trim(rest.substr(colon + 1));
    }

    void end_feature() {
        feature_ = none;
        session_ = none;
    }

    void skip(const char* reason) {
        result_.skipped.push_back({line_number_, cut_for_report(raw_), reason});
    }

    LmxResult& result_;
    std::size_t server_ = none;
    std::size_t feature_ = none;
    std::size_t session_ = none;
    std::size_t feature_sessions_begin_ = 0; // the open feature's first session
    bool counted_ = false;                   // the open feature's count line was read
    std::string_view server_label_;
    uint32_t line_number_ = 0;
    std::string_view raw_;
};

} // namespace

LmxResult parse_lmx_text(std::string_view output, [[maybe_unused]] int64_t poll_time) {
    // LM-X prints full dates, so the poll time is not needed to read them.
    LmxResult result;
    result.format = LmxFormat::text;
    TextParser(result).read(output);
    // Once a session's lines are all read: its checkout time is part of the close token.
    for (LmxSession& session : result.sessions)
        finish_session(session);
    collect_vendors(result);
    return result;
}

} // namespace lmharvest::lmx
