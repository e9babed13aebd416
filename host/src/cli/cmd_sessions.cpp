// `lmharvest sessions`: the open sessions the service has stored, per user, group, feature or
// server, or aggregated per feature (and user).
#include "cli/commands.hpp"
#include "cli/load_config_or_report.hpp"
#include "service/host_assembly.hpp"
#include "service/session_query.hpp"
#include "store/store.hpp"
#include "text/terminal_escape.hpp"

#include "json/iso_time.hpp"
#include "json/records_json.hpp"
#include "json/safe_dump.hpp"
#include <iomanip>
#include <iostream>

namespace lmharvest::cli {

namespace {

struct SessionsOptions {
    std::string config;
    std::string user, group, feature, server;
    std::string by; // "", "feature", "feature-user"
    bool json = false;
};

// Names as a license server printed them, shown rather than sent to the terminal.
std::string show(const std::string& name) {
    return text::escape_for_terminal(name);
}

std::string pad(const std::string& text, std::size_t width) {
    return text.size() >= width ? text + ' ' : text + std::string(width - text.size(), ' ');
}

// false when the JSON could not be written (a full disk, a closed pipe).
bool print_sessions(const std::vector<SessionRecord>& sessions, bool json) {
    if (json)
        return write_json(sessions, file_sink(stdout));
    std::cout << std::left << std::setw(6) << "ID" << std::setw(14) << "SERVER" << std::setw(22)
              << "FEATURE" << std::setw(14) << "USER" << std::setw(16) << "HOST" << std::setw(5)
              << "N"
              << "SINCE\n";
    for (const SessionRecord& r : sessions) {
        const Session& s = r.session;
        std::cout << std::setw(6) << r.id << std::setw(14) << r.server << std::setw(22)
                  << show(s.feature) << std::setw(14) << show(s.user) << std::setw(16)
                  << show(s.host) << std::setw(5) << s.count
                  << (s.checkout_time ? iso8601_local(s.checkout_time) : "?") << '\n';
    }
    std::cout << sessions.size() << " open session" << (sessions.size() == 1 ? "" : "s") << '\n';
    return true;
}

void print_usage(const std::vector<FeatureUse>& usage, bool with_user, bool json) {
    if (json) {
        nlohmann::json array = nlohmann::json::array();
        for (const FeatureUse& u : usage)
            array.push_back(to_json(u, with_user));
        std::cout << safe_dump(array, 2) << '\n';
        return;
    }
    std::cout << std::left << std::setw(14) << "SERVER" << std::setw(12) << "VENDOR"
              << std::setw(24) << "FEATURE" << (with_user ? "USER          " : "")
              << "SESSIONS  LICENSES\n";
    for (const FeatureUse& u : usage)
        std::cout << std::setw(14) << u.server << std::setw(12) << show(u.vendor) << std::setw(24)
                  << show(u.feature) << (with_user ? pad(show(u.user), 14) : "") << std::setw(10)
                  << u.sessions << u.licenses << '\n';
}

int print_from_store(const SessionsOptions& options, const Config& config, Store& store) {
    if (options.by == "feature" || options.by == "feature-user") {
        const bool with_user = options.by == "feature-user";
        print_usage(with_user ? store.usage_by_feature_and_user() : store.usage_by_feature(),
                    with_user, options.json);
        return 0;
    }
    const SessionQuery query{options.user, options.group, options.feature, options.server};
    GroupDirectory groups;
    const auto filter = make_filter(query, config, groups, store);
    if (!filter) {
        std::cerr << options.config << ": " << filter.error() << '\n';
        return 1;
    }
    if (!print_sessions(store.open_sessions(*filter), options.json)) {
        std::cerr << "cannot write the sessions to the standard output\n";
        return 1;
    }
    return 0;
}

int list_sessions(const SessionsOptions& options) {
    std::optional<Config> config = load_config_or_report(options.config);
    if (!config)
        return 1;
    const auto file = store_file(*config);
    auto store = Store::open(file);
    if (!store) {
        std::cerr << store.error() << '\n';
        return 1;
    }
    try {
        return print_from_store(options, *config, **store);
    } catch (const std::exception& e) {
        // A damaged file or one changed behind the store's back: say which and what to do.
        std::cerr << file.string() << ": cannot read the sessions: " << e.what()
                  << "; check the file with `sqlite3 " << file.string()
                  << " 'PRAGMA integrity_check'`, or move it away to start afresh\n";
        return 1;
    }
}

} // namespace

void add_sessions_command(CLI::App& app, int& exit_code) {
    auto* command = app.add_subcommand("sessions", "Open sessions, as the service stored them");
    auto options = std::make_shared<SessionsOptions>();
    command->add_option("--config", options->config, "The config file")->required();
    command->add_option("--user", options->user, "Only this user's sessions");
    command->add_option("--group", options->group, "Only sessions of this [groups] group");
    command->add_option("--feature", options->feature, "Only this feature");
    command->add_option("--server", options->server, "Only this server id");
    command->add_option("--by", options->by, "Aggregate: feature or feature-user")
        ->check(CLI::IsMember({"feature", "feature-user"}));
    command->add_flag("--json", options->json, "Print JSON");
    command->callback([&exit_code, options] { exit_code = list_sessions(*options); });
}

} // namespace lmharvest::cli
