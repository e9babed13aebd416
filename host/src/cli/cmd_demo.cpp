// `lmharvest demo`: the service on the bundled demo (simulated license servers, no license server
// needed) with a scripted agent standing in for the users' workstations, so that the harvester
// closes idle sessions for real within minutes. Prints the page's address.
#include "auth/random_token.hpp"
#include "auth/sha256.hpp"
#include "cli/commands.hpp"
#include "cli/run_service.hpp"
#include "demo/demo_agent.hpp"

#include <iostream>
#include <spdlog/spdlog.h>

namespace lmharvest::cli {

namespace {

using namespace std::chrono_literals;

int run_demo(RunOptions options) {
    auto token = random_token();
    if (!token) {
        std::cerr << "lmharvest demo: " << token.error() << '\n';
        return 1;
    }
    // The scripted agent's token lives only in this process: the config gets its hash.
    options.adjust_config = [hash = sha256_hex(*token)](Config& config) {
        config.tokens.push_back({"demo-agent", Role::agent, hash, {"*"}});
    };
    options.on_serving = [secret = *token](Service& service, const std::string& host,
                                           int port) -> std::shared_ptr<void> {
        std::cout << "lmharvest demo: the sessions page is at http://" << host << ':' << port
                  << "/ ; a scripted agent reports the simulated users; Ctrl-C stops" << std::endl;
        return std::make_shared<DemoAgent>(service.store(), host, port, secret, 5s);
    };
    return run_service(options);
}

} // namespace

void add_demo_command(CLI::App& app, int& exit_code) {
    auto* command = app.add_subcommand(
        "demo", "Run the demo: simulated license servers, a scripted agent, real harvesting");
    auto options = std::make_shared<RunOptions>();
    options->config = "config/demo.toml";
    command->add_option("--config", options->config, "The demo's config file")
        ->capture_default_str()
        ->check(CLI::ExistingFile);
    command->callback([&app, &exit_code, options] {
        options->log_level_given = app.get_option("--log-level")->count() > 0;
        exit_code = run_demo(*options);
    });
}

} // namespace lmharvest::cli
