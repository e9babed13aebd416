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

#include <cstring>
#include <lmharvest/text/scan.hpp>
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

std::string_view attribute(const pugi::xml_node& node, const char* name) {
    return node.attribute(name).value();
}

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
        std::string label;
        if (const std::optional<LmxAddress> address = parse_address(attribute(path, "HOST"))) {
            LmxServer server;
            server.host = address->host;
            server.port = address->port;
            const std::string_view status = attribute(path, "STATUS");
            server.state = status.empty() || status == "SUCCESS" ? LH_STATE_UP : LH_STATE_DOWN;
            if (server.state == LH_STATE_DOWN)
                server.message = std::string(status);
            server.version = normalize_version(attribute(path, "SERVER_VERSION"));
            server.uptime = std::string(attribute(path, "UPTIME"));
            result_.servers.push_back(std::move(server));
            label = server_label(*address);
        } else {
            skip(path, "LICENSE_PATH without a port@host HOST; its features have no server");
        }
        for (const pugi::xml_node& feature : path.children("FEATURE"))
            read_feature(feature, label);
    }

    void read_feature(const pugi::xml_node& node, const std::string& server) {
        LmxFeature feature;
        feature.name = std::string(attribute(node, "NAME"));
        if (feature.name.empty())
            return skip(node, "FEATURE without NAME");
        if (!read_count(node, "USED_LICENSES", 0, feature.used) ||
            !read_count(node, "TOTAL_LICENSES", -1, feature.total))
            return skip(node, "FEATURE with a license count that is not a number");
        feature.version = std::string(attribute(node, "VERSION"));
        feature.vendor = std::string(attribute(node, "VENDOR"));
        feature.start = std::string(attribute(node, "START"));
        feature.expiry = std::string(attribute(node, "END"));
        feature.share = normalize_share(attribute(node, "SHARE"));
        feature.server = server;
        finish_feature(feature);
        for (const pugi::xml_node& child : node.children()) {
            if (std::strcmp(child.name(), "USER") == 0)
                read_user(child, feature);
            else if (std::strcmp(child.name(), "USED") == 0)
                for (const pugi::xml_node& user : child.children("USER"))
                    read_user(user, feature);
        }
        result_.features.push_back(std::move(feature));
    }

    void read_user(const pugi::xml_node& node, const LmxFeature& feature) {
        LmxSession session;
        session.user = std::string(attribute(node, "NAME"));
        session.host = std::string(attribute(node, "HOST"));
        if (session.user.empty() || session.host.empty())
            return skip(node, "USER without NAME or HOST");
        if (!read_count(node, "USED_LICENSES", 1, session.count))
            return skip(node, "USER with USED_LICENSES that is not a number");
        session.host_ip = std::string(attribute(node, "IP"));
        session.vendor = feature.vendor;
        session.feature = feature.name;
        session.version = feature.version;
        session.server = feature.server;
        read_times(node, session);
        for (const pugi::xml_attribute& attr : node.attributes()) {
            std::string_view name = attr.name();
            if (text::consume(name, "SHARE_")) {
                session.share_kind = normalize_share_kind(name);
                session.share_value = attr.value();
            } else if (name.starts_with("BORROW")) {
                // The attribute's exact name is not documented publicly; any BORROW* attribute
                // holding a date and time is read as the borrow expiry.
                session.borrow_expiry = parse_local_time(attr.value()).value_or(0);
            }
        }
        finish_session(session);
        result_.sessions.push_back(std::move(session));
    }

    void read_times(const pugi::xml_node& node, LmxSession& session) {
        const std::string_view login = attribute(node, "LOGIN_TIME");
        const std::string_view checkout = attribute(node, "CHECKOUT_TIME");
        if (login.empty() && checkout.empty())
            return;
        const std::optional<int64_t> login_time = parse_local_time(login);
        const std::optional<int64_t> checkout_time = parse_local_time(checkout);
        if (!login_time || !checkout_time)
            return skip(node, "USER login or checkout time is not YYYY-MM-DD HH:MM; times unknown");
        session.login_text = std::string(text::trim(login));
        session.checkout_text = std::string(text::trim(checkout));
        session.login_time = *login_time;
        session.checkout_time = *checkout_time;
    }

    // An absent count gives `fallback`; a present one must be a whole number >= 0.
    static bool read_count(const pugi::xml_node& node, const char* name, int64_t fallback,
                           int64_t& out) {
        const pugi::xml_attribute attr = node.attribute(name);
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

    pugi::xml_document document;
    const pugi::xml_parse_result parsed =
        document.load_buffer(xml.data(), xml.size(), pugi::parse_default, pugi::encoding_utf8);
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
    XmlReader(result, xml, first_line).read(root);
    collect_vendors(result);
    return result;
}

} // namespace lmharvest::lmx
