// `lmharvest close ID`: asks the running service to close one session through its adapter
// (lmremove, ...). The service owns the adapter instances, so the close is serialized with its
// polls, and it writes the audit log.
#include "api/api_token.hpp"
#include "api/http_api.hpp"
#include "cli/commands.hpp"
#include "cli/load_config_or_report.hpp"

#include "json/safe_dump.hpp"
#include <fstream>
#include <httplib.h>
#include <iostream>
#include <nlohmann/json.hpp>
#include <pwd.h>
#include <unistd.h>

namespace lmharvest::cli {

namespace {

struct CloseOptions {
    std::string config;
    int64_t session_id = 0;
    std::string actor;
    std::string reason = "closed by operator";
};

// Who runs the command, for the audit log: the account's name from passwd (what an operator
// would check), else $USER.
std::string default_actor() {
    if (const passwd* entry = ::getpwuid(::getuid()); entry && entry->pw_name)
        return std::string("operator:") + entry->pw_name;
    const char* user = std::getenv("USER");
    return std::string("operator:") + (user && *user ? user : "unknown");
}

// The address the service wrote when it started, else the configured one.
std::pair<std::string, int> service_address(const Config& config) {
    std::ifstream in(api_address_file(config.host.state_dir));
    std::string line;
    if (in && std::getline(in, line)) {
        const auto colon = line.rfind(':');
        if (colon != std::string::npos)
            return {line.substr(0, colon), std::atoi(line.c_str() + colon + 1)};
    }
    return {config.host.listen_host, config.host.listen_port};
}

int close_session(const CloseOptions& options) {
    std::optional<Config> config = load_config_or_report(options.config);
    if (!config)
        return 1;
    const auto token = read_api_token(config->host.state_dir);
    if (!token) {
        std::cerr << token.error() << '\n';
        return 1;
    }
    const auto [host, port] = service_address(*config);
    httplib::Client client(host, port);
    client.set_read_timeout(std::chrono::minutes(2)); // lmremove may take its full timeout
    const nlohmann::json body = {{"actor", options.actor.empty() ? default_actor() : options.actor},
                                 {"reason", options.reason}};
    const auto response =
        client.Post("/api/v1/sessions/" + std::to_string(options.session_id) + "/close",
                    httplib::Headers{{"Authorization", "Bearer " + *token}}, safe_dump(body),
                    "application/json");
    if (!response) {
        std::cerr << "the service is not reachable at " << host << ':' << port
                  << "; start it with `lmharvest run --config " << options.config << "`\n";
        return 1;
    }
    const auto reply = nlohmann::json::parse(response->body, nullptr, false);
    if (reply.is_discarded() || !reply.contains("outcome")) {
        std::cerr << "session " << options.session_id << ": HTTP " << response->status << ' '
                  << (reply.is_discarded() ? response->body : reply.value("error", "")) << '\n';
        return 1;
    }
    const std::string outcome = reply["outcome"];
    std::cout << "session " << options.session_id << ": " << outcome;
    if (reply.contains("session"))
        std::cout << " (" << reply["session"].value("feature", "") << ", "
                  << reply["session"].value("user", "") << '@' << reply["session"].value("host", "")
                  << ')';
    const std::string message = reply.value("message", "");
    std::cout << (message.empty() ? "" : ": " + message);
    if (reply.value("audit_id", 0) > 0)
        std::cout << " [audit #" << reply["audit_id"].get<int64_t>() << ']';
    std::cout << '\n';
    if (reply.value("retry_after_ms", 0) > 0)
        std::cout << "the license server allows a retry in "
                  << reply["retry_after_ms"].get<int64_t>() / 1000 << " s\n";
    return outcome == "closed" ? 0 : 1;
}

} // namespace

void add_close_command(CLI::App& app, int& exit_code) {
    auto* command = app.add_subcommand(
        "close", "Close one session through its adapter (asks the running service)");
    auto options = std::make_shared<CloseOptions>();
    command->add_option("--config", options->config, "The config file")->required();
    command->add_option("id", options->session_id, "The session id (see `lmharvest sessions`)")
        ->required();
    command->add_option("--actor", options->actor,
                        "Who asks, for the audit log (default: operator:$USER)");
    command->add_option("--reason", options->reason, "Why, for the session history");
    command->callback([&exit_code, options] { exit_code = close_session(*options); });
}

} // namespace lmharvest::cli
