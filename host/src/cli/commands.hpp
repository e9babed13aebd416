// The subcommands of `lmharvest`, one file each. Each adds itself to the CLI11 app and, when
// chosen, stores its exit code in `exit_code`.
#pragma once

#include <CLI/CLI.hpp>

namespace lmharvest::cli {

void add_run_command(CLI::App& app, int& exit_code);
void add_check_config_command(CLI::App& app, int& exit_code);
void add_plugins_command(CLI::App& app, int& exit_code);
void add_parse_command(CLI::App& app, int& exit_code);
void add_sessions_command(CLI::App& app, int& exit_code);
void add_close_command(CLI::App& app, int& exit_code);
void add_harvest_command(CLI::App& app, int& exit_code);
void add_token_command(CLI::App& app, int& exit_code);
void add_demo_command(CLI::App& app, int& exit_code);
void add_agent_command(CLI::App& app, int& exit_code);
void add_plugin_worker_command(CLI::App& app, int& exit_code);

/// Runs the CLI; returns the process exit code.
int main(int argc, char** argv);

} // namespace lmharvest::cli
