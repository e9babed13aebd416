// The XML form, `lmxendutil -licstatxml`, read with pugixml. Shape (element and attribute names
// as public parsers read them; see docs/lmx.md):
//
//   LM-X End-user Utility v3.32            <- banner lines before the XML, dropped
//   <?xml version="1.0" encoding="UTF-8"?>
//   <LM-X>
//     <LICENSE_PATH TYPE="NETWORK" HOST="6200@server1" SERVER_VERSION="5.5" UPTIME="..."
//                   STATUS="SUCCESS">
//       <FEATURE NAME="F" VERSION="22.0" VENDOR="ALTAIR" START="2020-04-25" END="2025-12-31"
//                USED_LICENSES="655000" TOTAL_LICENSES="1150000" SHARE="CUSTOM ,VIRTUAL">
//         <USER NAME="u" HOST="h" IP="10.0.0.1" USED_LICENSES="21000"
//               LOGIN_TIME="2022-02-01 15:12" CHECKOUT_TIME="2022-02-01 15:12"
//               SHARE_CUSTOM="u:h"/>          <- or inside <USED>...</USED>
#include "lmx_address.hpp"
#include "lmx_fields.hpp"
#include "parse_lmx.hpp"

#include <array>
#include <cstring>
#include <lmharvest/text/scan.hpp>
#include <memory>
#include <pugixml.hpp>

namespace lmharvest::lmx {
namespace {

// Line numbers of element offsets, counted forward only: elements are visited in document
// order, so the whole output is scanned once however many elements are skipped.
class LineCounter {
public:
    LineCounter(std::string_view xml, uint32_t first_line)
        : xml_(xml), first_line_(first_line), line_(first_line) {}

    uint32_t line_at(std::size_t offset) {
        offset = std::min(offset, xml_.size());
        if (offset < position_) { // not expected; stay correct anyway
            position_ = 0;
            line_ = first_line_;
        }
        for (; position_ < offset; ++position_)
            line_ += xml_[position_] == '\n';
        return line_;
    }

private:
    std::string_view xml_;
    uint32_t first_line_;
    uint32_t line_;
    std::size_t position_ = 0;
};

std::string_view value(const pugi::xml_attribute& attr) {
    return attr.value();
}

// Looks up `names` in one pass over the element's attributes, where pugixml's attribute(name)
// walks them with strcmp on every call. As there, the first attribute of a name wins. Attributes
// with other names go to `other(name, attribute)`.
template <std::size_t N, class Other>
std::array<pugi::xml_attribute, N> find_attributes(const pugi::xml_node& node,
                                                   const std::array<std::string_view, N>& names,
                                                   Other&& other) {
    std::array<pugi::xml_attribute, N> found{};
    for (pugi::xml_attribute attr = node.first_attribute(); attr; attr = attr.next_attribute()) {
        const std::string_view name = attr.name();
        std::size_t i = 0;
        // The first byte tells most names apart before a whole comparison.
        while (i < N && (name.size() != names[i].size() || name.front() != names[i].front() ||
                         name != names[i]))
            ++i;
        if (i == N)
            other(name, attr);
        else if (!found[i])
            found[i] = attr;
    }
    return found;
}

template <std::size_t N>
std::array<pugi::xml_attribute, N> find_attributes(const pugi::xml_node& node,
                                                   const std::array<std::string_view, N>& names) {
    return find_attributes(node, names, [](std::string_view, const pugi::xml_attribute&) {});
}

enum PathAttribute { path_host, path_status, path_server_version, path_uptime };
constexpr std::array<std::string_view, 4> path_attributes = {"HOST", "STATUS", "SERVER_VERSION",
                                                             "UPTIME"};

enum FeatureAttribute {
    feature_name,
    feature_used,
    feature_total,
    feature_version,
    feature_vendor,
    feature_start,
    feature_end,
    feature_share
};
constexpr std::array<std::string_view, 8> feature_attributes = {
    "NAME", "USED_LICENSES", "TOTAL_LICENSES", "VERSION", "VENDOR", "START", "END", "SHARE"};

enum UserAttribute { user_name, user_host, user_used, user_ip, user_login, user_checkout };
constexpr std::array<std::string_view, 6> user_attributes = {"NAME", "HOST",       "USED_LICENSES",
                                                             "IP",   "LOGIN_TIME", "CHECKOUT_TIME"};

class XmlReader {
public:
    XmlReader(LmxResult& result, std::string_view xml, uint32_t first_line)
        : result_(result), xml_(xml), lines_(xml, first_line) {}

    void read(const pugi::xml_node& root) {
        for (const pugi::xml_node& path : root.children("LICENSE_PATH"))
            read_path(path);
    }

private:
    void read_path(const pugi::xml_node& path) {
        const auto attrs = find_attributes(path, path_attributes);
        std::string_view label;
        if (const std::optional<LmxAddress> address = parse_address(value(attrs[path_host]))) {
            LmxServer server;
            server.host = result_.keep(address->host);
            server.port = address->port;
            const std::string_view status = value(attrs[path_status]);
            server.state = status.empty() || status == "SUCCESS" ? LH_STATE_UP : LH_STATE_DOWN;
            if (server.state == LH_STATE_DOWN)
                server.message = status;
            server.version = normalize_version(value(attrs[path_server_version]), result_);
            server.uptime = value(attrs[path_uptime]);
            result_.servers.push_back(std::move(server));
            label = result_.keep(server_label(*address));
        } else {
            skip(path, "LICENSE_PATH without a port@host HOST; its features have no server");
        }
        for (const pugi::xml_node& feature : path.children("FEATURE"))
            read_feature(feature, label);
    }

    void read_feature(const pugi::xml_node& node, std::string_view server) {
        const auto attrs = find_attributes(node, feature_attributes);
        LmxFeature feature;
        feature.name = value(attrs[feature_name]);
        if (feature.name.empty())
            return skip(node, "FEATURE without NAME");
        if (!read_count(attrs[feature_used], 0, feature.used) ||
            !read_count(attrs[feature_total], -1, feature.total))
            return skip(node, "FEATURE with a license count that is not a number");
        feature.version = value(attrs[feature_version]);
        feature.vendor = value(attrs[feature_vendor]);
        feature.start = value(attrs[feature_start]);
        feature.expiry = value(attrs[feature_end]);
        feature.share = normalize_share(value(attrs[feature_share]), result_);
        feature.server = server;
        finish_feature(feature);
        for (const pugi::xml_node& child : node.children()) {
            if (std::strcmp(child.name(), "USER") == 0)
                read_user(child, feature);
            else if (std::strcmp(child.name(), "USED") == 0)
                for (const pugi::xml_node& user : child.children("USER"))
                    read_user(user, feature);
        }
        result_.features.push_back(feature);
    }

    void read_user(const pugi::xml_node& node, const LmxFeature& feature) {
        LmxSession session;
        const auto attrs = find_attributes(
            node, user_attributes, [&](std::string_view name, const pugi::xml_attribute& attr) {
                if (text::consume(name, "SHARE_")) {
                    session.share_kind = share_kind(name);
                    session.share_value = value(attr);
                } else if (name.starts_with("BORROW")) {
                    // The attribute's exact name is not documented publicly; any BORROW*
                    // attribute holding a date and time is read as the borrow expiry.
                    session.borrow_expiry = parse_local_time(value(attr)).value_or(0);
                }
            });
        session.user = value(attrs[user_name]);
        session.host = value(attrs[user_host]);
        if (session.user.empty() || session.host.empty())
            return skip(node, "USER without NAME or HOST");
        if (!read_count(attrs[user_used], 1, session.count))
            return skip(node, "USER with USED_LICENSES that is not a number");
        session.host_ip = value(attrs[user_ip]);
        session.vendor = feature.vendor;
        session.feature = feature.name;
        session.version = feature.version;
        session.server = feature.server;
        read_times(node, value(attrs[user_login]), value(attrs[user_checkout]), session);
        finish_session(session);
        result_.sessions.push_back(std::move(session));
    }

    // Users of one output share a few kinds: the last one is remembered.
    std::string_view share_kind(std::string_view name) {
        if (name != last_kind_name_) {
            last_kind_name_ = name;
            last_kind_ = normalize_share_kind(name, result_);
        }
        return last_kind_;
    }

    void read_times(const pugi::xml_node& node, std::string_view login, std::string_view checkout,
                    LmxSession& session) {
        if (login.empty() && checkout.empty())
            return;
        const std::optional<int64_t> login_time = parse_local_time(login);
        const std::optional<int64_t> checkout_time = parse_local_time(checkout);
        if (!login_time || !checkout_time)
            return skip(node, "USER login or checkout time is not YYYY-MM-DD HH:MM; times unknown");
        session.login_text = text::trim(login);
        session.checkout_text = text::trim(checkout);
        session.login_time = *login_time;
        session.checkout_time = *checkout_time;
    }

    // An absent count gives `fallback`; a present one must be a whole number >= 0.
    static bool read_count(const pugi::xml_attribute& attr, int64_t fallback, int64_t& out) {
        if (!attr) {
            out = fallback;
            return true;
        }
        const std::optional<int64_t> value = text::to_int(text::trim(attr.value()));
        if (!value || *value < 0)
            return false;
        out = *value;
        return true;
    }

    void skip(const pugi::xml_node& node, const char* reason) {
        const std::ptrdiff_t offset = node.offset_debug();
        std::string_view tag;
        uint32_t line = 0;
        if (offset >= 0 && static_cast<std::size_t>(offset) < xml_.size()) {
            // offset_debug points at the element's name; its tag starts at the '<' before it.
            std::size_t start = static_cast<std::size_t>(offset);
            if (start > 0 && xml_[start - 1] == '<')
                --start;
            const std::size_t end = xml_.find('>', start);
            tag = xml_.substr(start, end == std::string_view::npos ? end : end - start + 1);
            line = lines_.line_at(start);
        }
        result_.skipped.push_back({line, cut_for_report(tag), reason});
    }

    LmxResult& result_;
    std::string_view xml_;
    LineCounter lines_;
    std::string_view last_kind_name_;
    std::string_view last_kind_;
};

uint32_t count_lines(std::string_view text) {
    uint32_t lines = 0;
    for (const char c : text)
        lines += c == '\n';
    return lines;
}

LmxResult failure(std::string error) {
    LmxResult result;
    result.format = LmxFormat::xml;
    result.ok = false;
    result.error = std::move(error);
    return result;
}

} // namespace

LmxResult parse_lmx_xml(std::string_view output, [[maybe_unused]] int64_t poll_time) {
    // LM-X prints full dates, so the poll time is not needed to read them.
    const std::size_t xml_start = find_xml_start(output);
    if (xml_start == std::string_view::npos)
        return failure("no XML in the output (no '<?xml' or '<LM-X')");
    const std::string_view xml = output.substr(xml_start);
    const uint32_t first_line = count_lines(output.substr(0, xml_start)) + 1;

    // pugixml copies the buffer it is given anyway: parsing a copy the result keeps, in place,
    // lets the records view the values (decoded there) instead of copying each one.
    std::unique_ptr<char[]> xml_text = std::make_unique_for_overwrite<char[]>(xml.size());
    std::memcpy(xml_text.get(), xml.data(), xml.size());
    pugi::xml_document document;
    const pugi::xml_parse_result parsed = document.load_buffer_inplace(
        xml_text.get(), xml.size(), pugi::parse_default, pugi::encoding_utf8);
    if (!parsed) {
        LineCounter lines(xml, first_line);
        return failure("malformed XML at line " +
                       std::to_string(lines.line_at(static_cast<std::size_t>(parsed.offset))) +
                       ": " + parsed.description());
    }
    const pugi::xml_node root = document.child("LM-X");
    if (!root)
        return failure("the XML has no <LM-X> element");

    LmxResult result;
    result.format = LmxFormat::xml;
    result.xml_text = std::move(xml_text);
    XmlReader(result, xml, first_line).read(root);
    collect_vendors(result);
    if (result.servers.empty())
        result.unusable = "no <LICENSE_PATH> with a port@host HOST in the XML: no server status";
    return result;
}

} // namespace lmharvest::lmx
