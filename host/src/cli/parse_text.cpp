#include "cli/parse_text.hpp"

#include "json/iso_time.hpp"
#include <sstream>

namespace lmharvest {

std::string to_text(const PollSnapshot& snapshot) {
    std::ostringstream out;
    out << "servers (" << snapshot.servers.size() << "):\n";
    for (const ServerStatus& s : snapshot.servers)
        out << "  " << s.host << ' ' << to_string(s.state) << (s.is_master ? " MASTER" : "")
            << (s.version.empty() ? "" : " " + s.version)
            << (s.message.empty() ? "" : "  " + s.message) << '\n';
    out << "vendors (" << snapshot.vendors.size() << "):\n";
    for (const VendorStatus& v : snapshot.vendors)
        out << "  " << v.name << ' ' << to_string(v.state)
            << (v.version.empty() ? "" : " " + v.version) << '\n';
    out << "features (" << snapshot.features.size() << "):\n";
    for (const FeatureUsage& f : snapshot.features)
        out << "  " << f.vendor << '/' << f.name << (f.version.empty() ? "" : " " + f.version)
            << ": " << f.used << " of "
            << (f.total ? std::to_string(*f.total) : std::string("uncounted")) << " in use"
            << (f.reserved ? ", " + std::to_string(f.reserved) + " reserved" : "")
            << (f.queued ? ", " + std::to_string(f.queued) + " queued" : "")
            << (f.error_text.empty() ? "" : "  error: " + f.error_text) << '\n';
    out << "sessions (" << snapshot.sessions.size() << "):\n";
    for (const Session& s : snapshot.sessions)
        out << "  " << s.feature << "  " << s.user << '@' << s.host
            << (s.display.empty() ? "" : " " + s.display) << "  x" << s.count << "  since "
            << (s.checkout_time ? iso8601_local(s.checkout_time) : "?")
            << (s.handle.empty() ? "" : "  handle " + s.handle) << '\n';
    if (!snapshot.denials.empty())
        out << "denials (" << snapshot.denials.size() << ")\n";
    out << "skipped lines (" << snapshot.skipped.size() << "):\n";
    for (const SkippedLine& s : snapshot.skipped)
        out << "  line " << s.line << ": " << s.reason << ": " << s.text << '\n';
    return out.str();
}

} // namespace lmharvest
