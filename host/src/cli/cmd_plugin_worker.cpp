// `lmharvest plugin-worker --fd N`: the hidden mode the host starts an adapter worker in
// (isolation/). Not for people: it speaks frames on fd N.
#include "cli/commands.hpp"
#include "isolation/worker_main.hpp"

namespace lmharvest::cli {

void add_plugin_worker_command(CLI::App& app, int& exit_code) {
    auto* cmd = app.add_subcommand("plugin-worker", "");
    cmd->group(""); // hidden from --help
    auto fd = std::make_shared<int>(-1);
    cmd->add_option("--fd", *fd, "the socket to the host")->required();
    cmd->callback([fd, &exit_code] { exit_code = isolation::run_plugin_worker(*fd); });
}

} // namespace lmharvest::cli
