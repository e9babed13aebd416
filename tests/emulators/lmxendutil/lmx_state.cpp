#include "lmx_state.hpp"

#include "lmx_fields.hpp"
#include "parse_lmx.hpp"

#include <cstring>
#include <fstream>
#include <lmharvest/text/scan.hpp>
#include <sstream>
#include <vector>

namespace lmharvest::lmx::emulator {
namespace {

const std::string rule(40, '-');

std::optional<std::string> read_whole(const std::string& path) {
    std::ifstream file(path, std::ios::binary);
    if (!file)
        return std::nullopt;
    std::ostringstream content;
    content << file.rdbuf();
    return content.str();
}

// The users of a feature in both nestings: FEATURE/USER and FEATURE/USED/USER.
std::vector<pugi::xml_node> users_of(const pugi::xml_node& feature) {
    std::vector<pugi::xml_node> users;
    for (const pugi::xml_node& child : feature.children()) {
        if (std::strcmp(child.name(), "USER") == 0)
            users.push_back(child);
        else if (std::strcmp(child.name(), "USED") == 0)
            for (const pugi::xml_node& user : child.children("USER"))
                users.push_back(user);
    }
    return users;
}

// "Shared on custom string: x" for SHARE_CUSTOM, "Shared on hostname: x" for SHARE_HOSTNAME.
std::string share_line(const pugi::xml_node& user) {
    for (const pugi::xml_attribute& attr : user.attributes()) {
        std::string_view name = attr.name();
        if (!text::consume(name, "SHARE_"))
            continue;
        std::string kind;
        for (const char c : name)
            kind += static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
        if (kind == "custom")
            kind = "custom string";
        return "Shared on " + kind + ": " + attr.value() + " \n";
    }
    return {};
}

void print_feature(std::ostringstream& out, const pugi::xml_node& feature) {
    LmxResult share_words; // holds the sharing words when normalize_share has to rewrite them
    out << rule << "\n"
        << "Feature: " << feature.attribute("NAME").value()
        << " Version: " << feature.attribute("VERSION").value()
        << " Vendor: " << feature.attribute("VENDOR").value() << "\n"
        << "Start date: " << feature.attribute("START").value()
        << " Expire date: " << feature.attribute("END").value() << "\n"
        << "Key type: " << feature.attribute("KEY_TYPE").as_string("EXCLUSIVE")
        << " License sharing: " << normalize_share(feature.attribute("SHARE").value(), share_words)
        << "\n\n";
    const std::vector<pugi::xml_node> users = users_of(feature);
    out << feature.attribute("USED_LICENSES").as_llong() << " of "
        << feature.attribute("TOTAL_LICENSES").as_llong() << " license(s) used"
        << (users.empty() ? "\n" : ":\n");
    for (const pugi::xml_node& user : users)
        out << "\n"
            << user.attribute("USED_LICENSES").as_llong(1) << " license(s) used by "
            << user.attribute("NAME").value() << "@" << user.attribute("HOST").value() << " ["
            << user.attribute("IP").value() << "]\n"
            << "Login time: " << user.attribute("LOGIN_TIME").value()
            << "   Checkout time: " << user.attribute("CHECKOUT_TIME").value() << " \n"
            << share_line(user);
}

} // namespace

std::string LmxState::load(const std::string& path) {
    const std::optional<std::string> content = read_whole(path);
    if (!content)
        return "cannot read state file " + path;
    const std::size_t start = find_xml_start(*content);
    if (start == std::string::npos)
        return "state file " + path + " holds no XML";
    const pugi::xml_parse_result parsed =
        document_.load_buffer(content->data() + start, content->size() - start);
    if (!parsed || !document_.child("LM-X"))
        return "state file " + path + " is not an <LM-X> document: " + parsed.description();
    return {};
}

bool LmxState::save(const std::string& path) const {
    return document_.save_file(path.c_str());
}

std::string LmxState::xml() const {
    std::ostringstream out;
    document_.save(out, "  ");
    return out.str();
}

std::string LmxState::text() const {
    std::ostringstream out;
    out << "++++++++++++++++++++++++++++++++++++++++\n";
    for (const pugi::xml_node& path : document_.child("LM-X").children("LICENSE_PATH")) {
        out << "LM-X License Server on " << path.attribute("HOST").value() << ":\n\n"
            << "Server version: v" << path.attribute("SERVER_VERSION").value()
            << " Uptime: " << path.attribute("UPTIME").value() << "\n";
        for (const pugi::xml_node& feature : path.children("FEATURE"))
            print_feature(out, feature);
    }
    return out.str();
}

int LmxState::remove(const std::string& feature, const std::string& user, const std::string& host) {
    int removed = 0;
    for (pugi::xml_node path : document_.child("LM-X").children("LICENSE_PATH")) {
        for (pugi::xml_node node : path.children("FEATURE")) {
            if (feature != node.attribute("NAME").value())
                continue;
            long long used = node.attribute("USED_LICENSES").as_llong();
            for (pugi::xml_node checkout : users_of(node)) {
                if (user != checkout.attribute("NAME").value() ||
                    host != checkout.attribute("HOST").value())
                    continue;
                used -= checkout.attribute("USED_LICENSES").as_llong(1);
                checkout.parent().remove_child(checkout);
                ++removed;
            }
            node.attribute("USED_LICENSES").set_value(used < 0 ? 0 : used);
        }
    }
    return removed;
}

std::optional<std::string> read_sidecar(const std::string& path, const std::string& suffix) {
    const std::optional<std::string> content = read_whole(path + suffix);
    if (!content)
        return std::nullopt;
    return std::string(text::trim(*content));
}

} // namespace lmharvest::lmx::emulator
