// `lmharvest close ID`: asks the running service to close one session through its adapter
// (lmremove, ...). The service owns the adapter instances, so the close is serialized with its
// polls, and it writes the audit log. The request goes over the control socket in state_dir,
// never over TCP: whoever binds the port while the service is down learns nothing.
#include "api/api_token.hpp"
#include "api/control_client.hpp"
#include "api/control_socket.hpp"
#include "cli/commands.hpp"
#include "cli/load_config_or_report.hpp"
#include "text/terminal_escape.hpp"

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
    std::string method; // empty: release now; else the close sequence (save_and_close, ...)
};

// Who runs the command, for the audit log: the account's name from passwd (what an operator
// would check), else $USER.
std::string default_actor() {
    if (const passwd* entry = ::getpwuid(::getuid()); entry && entry->pw_name)
        return std::string("operator:") + entry->pw_name;
    const char* user = std::getenv("USER");
    return std::string("operator:") + (user && *user ? user : "unknown");
}

int close_session(const CloseOptions& options) {
    std::optional<Config> config = load_config_or_report(options.config);
    if (!config)
        return 1;
    // A token others may read lets them close sessions over HTTP: say so before anything else.
    if (const auto token = check_api_token_mode(config->host.state_dir); !token) {
        std::cerr << token.error() << '\n';
        return 1;
    }
    nlohmann::json request = {{"command", "close"},
                              {"session_id", options.session_id},
                              {"actor", options.actor.empty() ? default_actor() : options.actor},
                              {"reason", options.reason}};
    if (!options.method.empty())
        request["method"] = options.method;
    // lmremove may take its whole timeout, and the session's server may be polling first.
    const auto answer = ask_service(config->host.state_dir, request, std::chrono::minutes(2));
    if (!answer) {
        std::cerr << "session " << options.session_id << ": " << answer.error();
        if (!std::filesystem::exists(control_socket_file(config->host.state_dir)))
            std::cerr << "; start it with `lmharvest run --config " << options.config << '`';
        std::cerr << '\n';
        return 1;
    }
    const nlohmann::json& reply = *answer;
    if (!reply.contains("outcome")) {
        std::cerr << "session " << options.session_id << ": "
                  << text::escape_for_terminal(reply.value("error", "")) << '\n';
        return 1;
    }
    const std::string outcome = reply["outcome"];
    std::cout << "session " << options.session_id << ": " << outcome;
    // Names come from the license tool: escaped, so that they cannot move the cursor.
    if (reply.contains("session")) {
        const nlohmann::json& session = reply["session"];
        std::cout << " (" << text::escape_for_terminal(session.value("feature", "")) << ", "
                  << text::escape_for_terminal(session.value("user", "")) << '@'
                  << text::escape_for_terminal(session.value("host", "")) << ')';
    }
    const std::string message = text::escape_for_terminal(reply.value("message", ""));
    std::cout << (message.empty() ? "" : ": " + message);
    if (reply.value("audit_id", 0) > 0)
        std::cout << " [audit #" << reply["audit_id"].get<int64_t>() << ']';
    std::cout << '\n';
    if (reply.value("retry_after_ms", 0) > 0)
        std::cout << "the license server allows a retry in "
                  << reply["retry_after_ms"].get<int64_t>() / 1000 << " s\n";
    if (outcome == "started")
        std::cout << "the close sequence runs; its steps: `curl .../api/v1/actions`\n";
    return outcome == "closed" || outcome == "started" ? 0 : 1;
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
    command
        ->add_option("--method", options->method,
                     "Run the close sequence instead of releasing now: the agent saves and "
                     "closes the app first (save_and_close, suspend, release, notify)")
        ->check(CLI::IsMember(harvest_methods));
    command->callback([&exit_code, options] { exit_code = close_session(*options); });
}

} // namespace lmharvest::cli
