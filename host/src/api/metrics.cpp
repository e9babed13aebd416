#include "api/metrics.hpp"

#include "text/utf8.hpp"

#include <charconv>
#include <map>
#include <variant>

namespace lmharvest {
namespace {

// Label values escape backslash, quote and newline (Prometheus text format 0.0.4).
std::string escape_label(const std::string& value) {
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

using Number = std::variant<int64_t, double>;

Number operator+(const Number& a, const Number& b) {
    if (std::holds_alternative<int64_t>(a) && std::holds_alternative<int64_t>(b))
        return std::get<int64_t>(a) + std::get<int64_t>(b);
    const auto real = [](const Number& n) {
        return std::visit([](auto v) { return static_cast<double>(v); }, n);
    };
    return real(a) + real(b);
}

// Integers in full (2147483647, not 2.14748e+09), doubles in the shortest form that reads
// back to the same value.
void append_number(std::string& out, const Number& number) {
    char buffer[32];
    const auto result = std::visit(
        [&](auto v) { return std::to_chars(buffer, buffer + sizeof buffer, v); }, number);
    out.append(buffer, result.ptr);
}

// One metric family. Its series are keyed by their label values as written, so no two
// series of a family can be the same: the key is the series.
class Family {
public:
    Family(const char* name, const char* type, const char* help,
           std::vector<const char*> label_names)
        : name_(name), type_(type), help_(help), label_names_(std::move(label_names)) {}

    void add(const std::vector<std::string>& label_values, Number value) {
        std::vector<std::string> key;
        key.reserve(label_values.size());
        for (const std::string& label : label_values)
            key.push_back(text::to_valid_utf8(label));
        const auto [series, inserted] = series_.try_emplace(std::move(key), value);
        if (!inserted)
            series->second = series->second + value;
    }

    void write(std::string& out) const {
        out += "# HELP " + name_ + ' ' + help_ + "\n# TYPE " + name_ + ' ' + type_ + '\n';
        for (const auto& [labels, value] : series_) {
            out += name_;
            out += '{';
            for (std::size_t i = 0; i < labels.size(); ++i)
                out += (i ? "," : "") + std::string(label_names_[i]) + "=\"" +
                       escape_label(labels[i]) + '"';
            out += "} ";
            append_number(out, value);
            out += '\n';
        }
    }

private:
    std::string name_, type_, help_;
    std::vector<const char*> label_names_;
    std::map<std::vector<std::string>, Number> series_;
};

} // namespace

std::string render_metrics(const std::vector<PollStats>& polls,
                           const std::vector<ServerRecord>& servers,
                           const std::vector<FeatureRecord>& features,
                           const std::vector<FeatureUse>& sessions_by_pool,
                           const AgentCounts& agents, const std::vector<PlanEntry>& plan,
                           const CloseCounts& harvest_closes) {
    Family success("lmharvest_poll_success", "gauge", "1 if the server's last poll succeeded",
                   {"server"});
    Family duration("lmharvest_poll_duration_seconds", "gauge", "How long the last poll took",
                    {"server"});
    Family polls_total("lmharvest_polls_total", "counter", "Polls since the service started",
                       {"server"});
    Family failures("lmharvest_poll_failures_total", "counter", "Failed polls since start",
                    {"server"});
    Family skipped("lmharvest_skipped_lines_total", "counter",
                   "Tool output lines the adapter could not read, since start", {"server"});
    for (const PollStats& p : polls) {
        success.add({p.id}, int64_t{p.last_ok ? 1 : 0});
        duration.add({p.id}, static_cast<double>(p.last_duration_ms) / 1000.0);
        polls_total.add({p.id}, static_cast<int64_t>(p.polls));
        failures.add({p.id}, static_cast<int64_t>(p.failures));
        skipped.add({p.id}, static_cast<int64_t>(p.skipped_lines));
    }
    Family up("lmharvest_server_up", "gauge", "1 if the server's data is current (not stale)",
              {"server", "adapter"});
    for (const ServerRecord& s : servers)
        up.add({s.id, s.adapter}, int64_t{s.state == ServerState::up ? 1 : 0});
    const std::vector<const char*> pool = {"server", "vendor", "feature", "version"};
    Family used("lmharvest_feature_used", "gauge", "Licenses in use, as the server states it",
                pool);
    Family issued("lmharvest_feature_issued", "gauge", "Licenses issued (counted features only)",
                  pool);
    for (const FeatureRecord& f : features) {
        const std::vector<std::string> labels = {f.server, f.usage.vendor, f.usage.name,
                                                 f.usage.version};
        used.add(labels, f.usage.used);
        if (f.usage.total)
            issued.add(labels, *f.usage.total);
    }
    Family sessions("lmharvest_feature_sessions", "gauge", "Open sessions per license pool", pool);
    for (const FeatureUse& u : sessions_by_pool)
        sessions.add({u.server, u.vendor, u.feature, u.version}, u.sessions);
    // Both states always, so that an alert on silent agents sees 0 rather than nothing.
    Family agent_states("lmharvest_agents", "gauge",
                        "Workstation agents by state (silent: no report for 3 intervals)",
                        {"state"});
    agent_states.add({"reporting"}, agents.reporting);
    agent_states.add({"silent"}, agents.silent);
    // Every planned feature has a series, 0 when nothing would be closed, so an alert can rely
    // on it.
    Family candidates("lmharvest_harvest_candidates", "gauge",
                      "Sessions the current harvest plan would close", {"server", "feature"});
    for (const PlanEntry& e : plan)
        candidates.add({e.server, e.feature}, int64_t{e.close ? 1 : 0});
    Family backoffs("lmharvest_harvest_backoff_sessions", "gauge",
                    "Sessions the current harvest plan keeps after a close that ended without a "
                    "release, until their next try",
                    {"server", "feature"});
    for (const PlanEntry& e : plan)
        backoffs.add({e.server, e.feature}, int64_t{e.next_try ? 1 : 0});

    Family closes("lmharvest_harvest_closes_total", "counter",
                  "Close sequences ended since start, by their last step's outcome",
                  {"server", "feature", "method", "outcome"});
    for (const auto& [labels, count] : harvest_closes)
        closes.add(labels, count);

    std::string out;
    for (const Family* family :
         {&success, &duration, &polls_total, &failures, &skipped, &up, &used, &issued, &sessions,
          &agent_states, &candidates, &backoffs, &closes})
        family->write(out);
    return out;
}

} // namespace lmharvest
