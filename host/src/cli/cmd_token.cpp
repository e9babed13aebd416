// `lmharvest token add NAME --role R [--hosts P...]`: makes a new API token and prints it once,
// with the [[tokens]] lines for the config. The config keeps only the token's SHA-256, so the
// printed token is the only copy.
#include "auth/random_token.hpp"
#include "auth/sha256.hpp"
#include "cli/commands.hpp"
#include "config/config.hpp"
#include "text/ascii_control.hpp"

#include <cstdio>
#include <iostream>

namespace lmharvest::cli {

namespace {

struct TokenOptions {
    std::string name;
    std::string role;
    std::vector<std::string> hosts;
};

// A TOML basic string that reads back as `text`.
std::string toml_string(const std::string& text) {
    std::string out = "\"";
    for (const char c : text) {
        if (c == '"' || c == '\\') {
            out += '\\';
            out += c;
        } else if (text::is_ascii_control(static_cast<unsigned char>(c))) {
            char escaped[8];
            std::snprintf(escaped, sizeof escaped, "\\u%04x", static_cast<unsigned char>(c));
            out += escaped;
        } else {
            out += c;
        }
    }
    return out + '"';
}

std::string token_lines(const TokenOptions& options, const std::string& sha256) {
    std::string lines = "[[tokens]]\nname = " + toml_string(options.name) +
                        "\nrole = " + toml_string(options.role) + "\nsha256 = \"" + sha256 + "\"\n";
    if (!options.hosts.empty()) {
        lines += "hosts = [";
        for (std::size_t i = 0; i < options.hosts.size(); ++i)
            lines += (i ? ", " : "") + toml_string(options.hosts[i]);
        lines += "]\n";
    }
    return lines;
}

int add_token(const TokenOptions& options) {
    const auto token = random_token();
    if (!token) {
        std::cerr << "lmharvest token add: " << token.error() << '\n';
        return 1;
    }
    const std::string lines = token_lines(options, sha256_hex(*token));
    // The lines are checked as the service will read them, so that they never fail there.
    if (const auto checked = load_config_string(lines, "token add"); !checked) {
        for (const ConfigError& error : checked.error())
            std::cerr << "lmharvest token add: " << error.message << '\n';
        return 1;
    }
    std::cout << "Token for " << options.name << " (role " << options.role
              << "), shown only now; keep it secret:\n\n  " << *token
              << "\n\nAdd these lines to the config file and reload the service "
                 "(`systemctl reload lmharvest` or SIGHUP):\n\n"
              << lines;
    return 0;
}

} // namespace

void add_token_command(CLI::App& app, int& exit_code) {
    auto* command = app.add_subcommand("token", "Manage API tokens ([[tokens]] in the config)");
    command->require_subcommand(1);
    auto* add = command->add_subcommand(
        "add", "Make a new API token; prints it once and the [[tokens]] lines to add");
    auto options = std::make_shared<TokenOptions>();
    add->add_option("name", options->name, "Who uses it; the audit log records this name")
        ->required();
    add->add_option("--role", options->role,
                    "viewer (reads), operator (also closes), admin (everything), agent (the "
                    "workstation agent endpoints only)")
        ->required()
        ->check(CLI::IsMember({"viewer", "operator", "admin", "agent"}));
    add->add_option("--hosts", options->hosts,
                    "Agent tokens: the hosts it may report for (patterns with * and ?)");
    add->callback([&exit_code, options] { exit_code = add_token(*options); });
}

} // namespace lmharvest::cli
