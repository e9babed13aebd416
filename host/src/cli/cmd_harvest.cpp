// `lmharvest harvest plan`: the harvest plan the service stored after each server's last good
// poll: every open session considered, close or keep, and why.
#include "cli/commands.hpp"
#include "cli/load_config_or_report.hpp"
#include "service/host_assembly.hpp"
#include "store/store.hpp"

#include "json/plan_json.hpp"
#include <iomanip>
#include <iostream>

namespace lmharvest::cli {

namespace {

struct PlanOptions {
    std::string config;
    std::string server, feature;
    bool json = false;
};

std::optional<std::string> set_or_none(const std::string& text) {
    return text.empty() ? std::nullopt : std::optional<std::string>(text);
}

void print_plan(const std::vector<PlanEntry>& plan) {
    std::cout << std::left << std::setw(14) << "SERVER" << std::setw(20) << "FEATURE"
              << std::setw(6) << "ID" << std::setw(12) << "USER" << std::setw(14) << "HOST"
              << std::setw(4) << "N" << std::setw(7) << "PLAN"
              << "REASON\n";
    for (const PlanEntry& e : plan)
        std::cout << std::setw(14) << e.server << std::setw(20) << e.feature << std::setw(6)
                  << e.session_id << std::setw(12) << e.user << std::setw(14) << e.host
                  << std::setw(4) << e.count << std::setw(7) << (e.close ? "close" : "keep")
                  << e.reason << '\n';
    const auto closes =
        std::count_if(plan.begin(), plan.end(), [](const PlanEntry& e) { return e.close; });
    std::cout << plan.size() << " session" << (plan.size() == 1 ? "" : "s") << " considered, "
              << closes << " to close\n";
}

int show_plan(const PlanOptions& options) {
    std::optional<Config> config = load_config_or_report(options.config);
    if (!config)
        return 1;
    auto store = Store::open(store_file(*config));
    if (!store) {
        std::cerr << store.error() << '\n';
        return 1;
    }
    const auto plan =
        (*store)->harvest_plan(set_or_none(options.server), set_or_none(options.feature));
    if (options.json)
        std::cout << plan_to_json(plan).dump(2) << '\n';
    else
        print_plan(plan);
    return 0;
}

} // namespace

void add_harvest_command(CLI::App& app, int& exit_code) {
    auto* harvest = app.add_subcommand("harvest", "What the harvester plans and did");
    harvest->require_subcommand(1);
    auto* plan = harvest->add_subcommand("plan", "The stored plan: each session, close or keep, "
                                                 "and why");
    auto options = std::make_shared<PlanOptions>();
    plan->add_option("--config", options->config, "The config file")->required();
    plan->add_option("--server", options->server, "Only this server id");
    plan->add_option("--feature", options->feature, "Only this feature");
    plan->add_flag("--json", options->json, "Print JSON");
    plan->callback([&exit_code, options] { exit_code = show_plan(*options); });
}

} // namespace lmharvest::cli
