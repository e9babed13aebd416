#include "api/metrics.hpp"

#include <sstream>

namespace lmharvest {
namespace {

// Label values escape backslash, quote and newline (Prometheus text format 0.0.4).
std::string escape(const std::string& value) {
    std::string escaped;
    escaped.reserve(value.size());
    for (char c : value) {
        if (c == '\\' || c == '"')
            escaped += '\\';
        if (c == '\n') {
            escaped += "\\n";
            continue;
        }
        escaped += c;
    }
    return escaped;
}

class Exposition {
public:
    void family(const char* name, const char* type, const char* help) {
        out_ << "# HELP " << name << ' ' << help << "\n# TYPE " << name << ' ' << type << '\n';
    }
    Exposition& sample(const char* name,
                       std::initializer_list<std::pair<const char*, std::string>> labels,
                       double value) {
        out_ << name << '{';
        const char* comma = "";
        for (const auto& [key, label] : labels) {
            out_ << comma << key << "=\"" << escape(label) << '"';
            comma = ",";
        }
        out_ << "} " << value << '\n';
        return *this;
    }
    std::string text() const { return out_.str(); }

private:
    std::ostringstream out_;
};

} // namespace

std::string render_metrics(const std::vector<PollStats>& polls,
                           const std::vector<ServerRecord>& servers,
                           const std::vector<FeatureRecord>& features,
                           const std::vector<FeatureUse>& sessions_by_feature) {
    Exposition m;
    m.family("lmharvest_poll_success", "gauge", "1 if the server's last poll succeeded");
    for (const PollStats& p : polls)
        m.sample("lmharvest_poll_success", {{"server", p.id}}, p.last_ok ? 1 : 0);
    m.family("lmharvest_poll_duration_seconds", "gauge", "How long the last poll took");
    for (const PollStats& p : polls)
        m.sample("lmharvest_poll_duration_seconds", {{"server", p.id}},
                 static_cast<double>(p.last_duration_ms) / 1000.0);
    m.family("lmharvest_polls_total", "counter", "Polls since the service started");
    for (const PollStats& p : polls)
        m.sample("lmharvest_polls_total", {{"server", p.id}}, static_cast<double>(p.polls));
    m.family("lmharvest_poll_failures_total", "counter", "Failed polls since start");
    for (const PollStats& p : polls)
        m.sample("lmharvest_poll_failures_total", {{"server", p.id}},
                 static_cast<double>(p.failures));
    m.family("lmharvest_skipped_lines_total", "counter",
             "Tool output lines the adapter could not read, since start");
    for (const PollStats& p : polls)
        m.sample("lmharvest_skipped_lines_total", {{"server", p.id}},
                 static_cast<double>(p.skipped_lines));
    m.family("lmharvest_server_up", "gauge", "1 if the server's data is current (not stale)");
    for (const ServerRecord& s : servers)
        m.sample("lmharvest_server_up", {{"server", s.id}, {"adapter", s.adapter}},
                 s.state == ServerState::up ? 1 : 0);
    m.family("lmharvest_feature_used", "gauge", "Licenses in use, as the server states it");
    for (const FeatureRecord& f : features)
        m.sample("lmharvest_feature_used",
                 {{"server", f.server}, {"vendor", f.usage.vendor}, {"feature", f.usage.name}},
                 static_cast<double>(f.usage.used));
    m.family("lmharvest_feature_issued", "gauge", "Licenses issued (counted features only)");
    for (const FeatureRecord& f : features)
        if (f.usage.total)
            m.sample("lmharvest_feature_issued",
                     {{"server", f.server}, {"vendor", f.usage.vendor}, {"feature", f.usage.name}},
                     static_cast<double>(*f.usage.total));
    m.family("lmharvest_feature_sessions", "gauge", "Open sessions per feature");
    for (const FeatureUse& u : sessions_by_feature)
        m.sample("lmharvest_feature_sessions",
                 {{"server", u.server}, {"vendor", u.vendor}, {"feature", u.feature}},
                 static_cast<double>(u.sessions));
    return m.text();
}

} // namespace lmharvest
