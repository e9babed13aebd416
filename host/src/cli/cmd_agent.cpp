// `lmharvest agent`: the workstation agent in the user's desktop session (docs/agent.md);
// `agent recent` lists the projects it saved before closing apps, `agent reopen N` reopens one.
#include "agent/agent.hpp"
#include "agent/pop_ups.hpp"
#include "agent/reopen_project.hpp"
#include "agent/x11_activity.hpp"
#include "cli/commands.hpp"

#include <algorithm>
#include <csignal>
#include <cstring>
#include <fstream>
#include <future>
#include <iostream>
#include <spdlog/spdlog.h>
#include <sys/stat.h>

namespace lmharvest::cli {
namespace {

using namespace lmharvest::agent;

std::string default_config() {
    const char* xdg = std::getenv("XDG_CONFIG_HOME");
    const char* home = std::getenv("HOME");
    const std::string base = xdg && *xdg == '/' ? xdg : std::string(home ? home : "") + "/.config";
    return base + "/lmharvest/agent.toml";
}

std::optional<AgentConfig> agent_config_or_report(const std::string& file) {
    auto config = load_agent_config(file);
    if (config)
        return std::move(*config);
    for (const ConfigError& error : config.error())
        std::cerr << error.to_string() << '\n';
    std::cerr << file << ": " << config.error().size() << " error"
              << (config.error().size() == 1 ? "" : "s") << "; nothing was started\n";
    return std::nullopt;
}

// The first line of the token file, which only its owner may read (it lets anyone report and
// take commands as this user).
Expected<std::string> read_token(const std::string& file) {
    struct stat info {};
    if (::stat(file.c_str(), &info) != 0)
        return unexpected(file + ": cannot read the agent token (" + std::strerror(errno) +
                          "); write the secret of an agent token there (chmod 600)");
    if (info.st_mode & 077)
        return unexpected(file + ": the agent token is readable by others; chmod 600 " + file);
    std::ifstream in(file);
    std::string token;
    std::getline(in, token);
    while (!token.empty() && std::isspace(static_cast<unsigned char>(token.back())))
        token.pop_back();
    if (token.empty())
        return unexpected(file + ": is empty; write the secret of an agent token there");
    return token;
}

int run_agent(const std::string& file) {
    auto config = agent_config_or_report(file);
    if (!config)
        return 1;
    auto token = read_token(config->token_file);
    if (!token) {
        std::cerr << token.error() << '\n';
        return 1;
    }
    auto handlers = create_handlers(*config);
    if (!handlers) {
        for (const std::string& problem : handlers.error())
            std::cerr << problem << '\n';
        return 1;
    }
    if (config->insecure && config->host_url.starts_with("http://"))
        spdlog::warn("agent: insecure = true: the token and commands cross the network in the "
                     "clear to {}",
                     config->host_url);
    // The threads start with the stop signals blocked; this one waits for them.
    sigset_t signals;
    sigemptyset(&signals);
    sigaddset(&signals, SIGINT);
    sigaddset(&signals, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &signals, nullptr);
    PopUps pop_ups(*config);
    // With a display, input is credited per window; without one (ssh), input is unknown.
    const char* display = std::getenv("DISPLAY");
    std::unique_ptr<ActivitySource> activity;
    if (display && *display)
        activity = std::make_unique<X11Activity>(
            display, std::chrono::duration_cast<std::chrono::seconds>(config->report_every));
    else
        activity = std::make_unique<CpuOnlyActivity>();
    Agent agent(
        std::move(*config), std::move(*token), std::move(*handlers), std::move(activity),
        [&pop_ups](const Message& message) { pop_ups.tell(message); },
        [&pop_ups] { return pop_ups.takes_clicks(); });
    pop_ups.on_resume([&agent](int64_t pid) { agent.resume_clicked(pid); });
    std::atomic<bool> stop = false;
    auto done = std::async(std::launch::async, [&] { agent.run(stop); });
    int signal = 0;
    sigwait(&signals, &signal);
    spdlog::info("agent: signal={}: stopping", signal);
    stop = true;
    // A long poll or a handler may hold a thread for a while; the agent does not wait for them.
    if (done.wait_for(std::chrono::seconds(3)) != std::future_status::ready)
        std::_Exit(0);
    pop_ups.on_resume({}); // the agent goes before the pop-ups' thread
    return 0;
}

std::string when(int64_t epoch) {
    char text[32] = {};
    const std::time_t time = epoch;
    std::tm local{};
    localtime_r(&time, &local);
    std::strftime(text, sizeof text, "%Y-%m-%d %H:%M", &local);
    return text;
}

int list_recent(const std::string& file) {
    auto config = agent_config_or_report(file);
    if (!config)
        return 1;
    const auto projects = RecentProjects(config->state_dir).list();
    if (projects.empty())
        std::cout << "No project was saved and closed yet.\n";
    int n = 0;
    for (const RecentProject& p : projects)
        std::cout << ++n << "  " << when(p.saved_time) << "  " << p.app << "  " << p.path << "  ("
                  << (p.why.empty() ? "no reason given" : p.why) << ")\n";
    return 0;
}

int reopen(const std::string& file, int number) {
    auto config = agent_config_or_report(file);
    if (!config)
        return 1;
    const auto projects = RecentProjects(config->state_dir).list();
    if (number < 1 || static_cast<size_t>(number) > projects.size()) {
        std::cerr << "agent reopen: no project " << number << "; `lmharvest agent recent` lists "
                  << projects.size() << '\n';
        return 1;
    }
    const RecentProject& project = projects[static_cast<size_t>(number - 1)];
    if (auto opened = reopen_project(std::move(*config), project); !opened) {
        std::cerr << "agent reopen: " << opened.error() << '\n';
        return 1;
    }
    std::cout << "Reopened " << project.path << " (" << project.app << ")\n";
    return 0;
}

} // namespace

void add_agent_command(CLI::App& app, int& exit_code) {
    auto* command = app.add_subcommand(
        "agent", "The workstation agent: reports licensed apps to the host, saves and closes");
    auto file = std::make_shared<std::string>(default_config());
    command->add_option("--config", *file, "agent.toml (default $XDG_CONFIG_HOME/lmharvest/)");
    auto* recent = command->add_subcommand("recent", "The projects saved before an app was closed");
    auto* reopen_command = command->add_subcommand("reopen", "Reopen project N of `agent recent`");
    auto number = std::make_shared<int>(0);
    reopen_command->add_option("n", *number, "Its number in `agent recent`")->required();
    recent->callback([&exit_code, file] { exit_code = list_recent(*file); });
    reopen_command->callback([&exit_code, file, number] { exit_code = reopen(*file, *number); });
    command->callback([&exit_code, file, command] {
        if (command->get_subcommands().empty())
            exit_code = run_agent(*file);
    });
}

} // namespace lmharvest::cli
