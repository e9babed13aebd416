#include "cli/parse_text.hpp"

#include "text/terminal_escape.hpp"

#include "json/iso_time.hpp"
#include <sstream>

namespace lmharvest {

std::string to_text(const PollSnapshot& snapshot) {
    // Every field is what a license server printed: shown, never sent to the terminal.
    const auto show = [](const std::string& field) { return text::escape_for_terminal(field); };
    const auto show_after = [&show](const char* gap, const std::string& field) {
        return field.empty() ? std::string() : gap + show(field);
    };
    std::ostringstream out;
    out << "servers (" << snapshot.servers.size() << "):\n";
    for (const ServerStatus& s : snapshot.servers)
        out << "  " << show(s.host) << ' ' << to_string(s.state) << (s.is_master ? " MASTER" : "")
            << show_after(" ", s.version) << show_after("  ", s.message) << '\n';
    out << "vendors (" << snapshot.vendors.size() << "):\n";
    for (const VendorStatus& v : snapshot.vendors)
        out << "  " << show(v.name) << ' ' << to_string(v.state) << show_after(" ", v.version)
            << '\n';
    out << "features (" << snapshot.features.size() << "):\n";
    for (const FeatureUsage& f : snapshot.features)
        out << "  " << show(f.vendor) << '/' << show(f.name) << show_after(" ", f.version) << ": "
            << f.used << " of " << (f.total ? std::to_string(*f.total) : std::string("uncounted"))
            << " in use" << (f.reserved ? ", " + std::to_string(f.reserved) + " reserved" : "")
            << (f.queued ? ", " + std::to_string(f.queued) + " queued" : "")
            << show_after("  error: ", f.error_text) << '\n';
    out << "sessions (" << snapshot.sessions.size() << "):\n";
    for (const Session& s : snapshot.sessions)
        out << "  " << show(s.feature) << "  " << show(s.user) << '@' << show(s.host)
            << show_after(" ", s.display) << "  x" << s.count << "  since "
            << (s.checkout_time ? iso8601_local(s.checkout_time) : "?")
            << show_after("  handle ", s.handle) << '\n';
    if (!snapshot.denials.empty())
        out << "denials (" << snapshot.denials.size() << ")\n";
    out << "skipped lines (" << snapshot.skipped.size() << "):\n";
    for (const SkippedLine& s : snapshot.skipped)
        out << "  line " << s.line << ": " << show(s.reason) << ": " << show(s.text) << '\n';
    return out.str();
}

} // namespace lmharvest
