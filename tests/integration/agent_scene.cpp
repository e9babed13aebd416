#include "agent_scene.hpp"

#include "auth/sha256.hpp"
#include "desktop_session.hpp"

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <httplib.h>
#include <pwd.h>
#include <unistd.h>

using namespace std::chrono_literals;

namespace lmharvest::testing {
namespace {

constexpr const char* agent_secret = "secret-agent";

std::string host_config(const std::string& harvest) {
    return "[[servers]]\nid = \"eng\"\nadapter = \"flexnet\"\naddress = \"27000@lic1\"\n"
           "interval = \"1s\"\n[servers.flexnet]\nlmutil = \"" +
           emulator_dir + "/lmutil\"\n" + harvest +
           "[[tokens]]\nname = \"ws\"\nrole = \"agent\"\nsha256 = \"" +
           lmharvest::sha256_hex(agent_secret) + "\"\nhosts = [\"*\"]\n";
}

} // namespace

std::string this_user() {
    return ::getpwuid(::getuid())->pw_name;
}

std::string this_host() {
    char name[256] = {};
    ::gethostname(name, sizeof name - 1);
    return name;
}

std::string lmstat_one_of_one_held_by(std::time_t now, const std::string& user,
                                      const std::string& host) {
    std::string text = lmstat_three_of_three(now);
    text = replace_once(text, "Total of 3 licenses issued;  Total of 3 licenses in use",
                        "Total of 1 license issued;  Total of 1 license in use");
    const size_t alice = text.find("    alice");
    const size_t end = text.find("\n\n", alice);
    const std::string line = text.substr(alice, text.find('\n', alice) - alice);
    std::string holder = replace_once(line, "alice ws-alice", user + " " + host);
    return text.substr(0, alice) + holder + text.substr(end);
}

std::string lmstat_one_of_one(std::time_t now) {
    return lmstat_one_of_one_held_by(now, this_user(), this_host());
}

std::string lmstat_none_of_one(std::time_t now) {
    std::string text = lmstat_one_of_one_held_by(now, "alice", "ws-alice");
    text = replace_once(text, "Total of 1 license in use", "Total of 0 licenses in use");
    const size_t alice = text.find("    alice");
    return text.substr(0, alice) + text.substr(text.find('\n', alice) + 1);
}

std::map<std::string, std::string> env_of(const lmharvest::test::DesktopSession& desktop) {
    std::map<std::string, std::string> env;
    for (const auto& [name, value] : desktop.env())
        env[name] = value;
    return env;
}

int displayed_pop_ups(const lmharvest::test::DesktopSession& desktop) {
    const auto shown = desktop.run({"dunstctl", "count", "displayed"});
    return shown ? std::atoi(shown->c_str()) : -1;
}

void check_pop_up_history(const lmharvest::test::DesktopSession& desktop, const std::string& text) {
    std::string history;
    const bool found = eventually([&] {
        const auto got = desktop.notification_history();
        history = got ? *got : got.error();
        return history.find(text) != std::string::npos;
    });
    INFO(history);
    CHECK(found);
}

char process_state(pid_t pid) {
    std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
    std::string stat;
    std::getline(in, stat);
    const size_t close = stat.rfind(')');
    return close == std::string::npos || close + 2 >= stat.size() ? 0 : stat[close + 2];
}

AgentScene::AgentScene(const AgentSceneSetup& setup)
    : host(host_config(setup.harvest), {{"LMUTIL_EMULATOR_STATE", state}}),
      agent_env_(setup.agent_env) {
    const std::string token = dir.write("token", agent_secret);
    std::filesystem::permissions(token, std::filesystem::perms::owner_read |
                                            std::filesystem::perms::owner_write);
    config = dir.write("agent.toml",
                       "[agent]\nhost = \"http://127.0.0.1:" + std::to_string(host.port()) +
                           "\"\ntoken_file = \"token\"\nreport_every = \"5s\"\n"
                           "saved_dir = \"saved\"\nstate_dir = \"state\"\n" +
                           setup.handlers);
    REQUIRE(host.wait_for_sessions(1)); // the API is up: the agent's first report lands
}

void AgentScene::start_agent() {
    agent = std::make_unique<RunningHost>(config, agent_env_, dir / "agent.log",
                                          std::vector<std::string>{}, "agent");
}

nlohmann::json AgentScene::agent_entry() const {
    const nlohmann::json agents = get_json(host.port(), "/api/v1/agents");
    if (agents.is_array())
        for (const nlohmann::json& a : agents)
            if (a.at("host") == this_host())
                return a;
    return nullptr;
}

nlohmann::json AgentScene::reported(int64_t pid) const {
    const nlohmann::json a = agent_entry();
    if (!a.is_null())
        for (const nlohmann::json& app : a.at("apps"))
            if (app.at("pid") == pid)
                return app;
    return nullptr;
}

nlohmann::json AgentScene::close_by_hand(const std::string& method) const {
    const int64_t id = host.sessions()[0].at("id").get<int64_t>();
    httplib::Client client("127.0.0.1", host.port());
    client.set_read_timeout(60s);
    std::string secret = read_file(host.dir() / "state" / "api-token");
    while (!secret.empty() && secret.back() == '\n')
        secret.pop_back();
    const auto answer = client.Post(
        ("/api/v1/sessions/" + std::to_string(id) + "/close").c_str(),
        {{"Authorization", "Bearer " + secret}},
        nlohmann::json{{"method", method}, {"reason", "test close"}}.dump(), "application/json");
    REQUIRE(answer);
    INFO(answer->body);
    return nlohmann::json::parse(answer->body);
}

bool AgentScene::has_step(const std::string& step, const std::string& outcome) const {
    const nlohmann::json actions = get_json(host.port(), "/api/v1/actions");
    if (actions.is_array())
        for (const nlohmann::json& action : actions)
            for (const nlohmann::json& s : action.value("steps", nlohmann::json::array()))
                if (s.value("step", "") == step && s.value("outcome", "") == outcome)
                    return true;
    return false;
}

bool AgentScene::has_action(const std::string& kind, const std::string& outcome) const {
    const nlohmann::json actions = get_json(host.port(), "/api/v1/actions");
    if (actions.is_array())
        for (const nlohmann::json& action : actions)
            if (action.value("kind", "") == kind && action.value("outcome", "") == outcome)
                return true;
    return false;
}

int64_t AgentScene::matlab_used() const {
    const nlohmann::json features = get_json(host.port(), "/api/v1/features");
    if (features.is_array())
        for (const nlohmann::json& f : features)
            if (f.value("feature", "") == "MATLAB")
                return f.value("used", int64_t{-1});
    return -1;
}

void AgentScene::set_license_state(const std::string& text) const {
    const std::string next = state + ".next";
    std::ofstream(next) << text;
    std::filesystem::rename(next, state);
}

std::string AgentScene::license_tool_calls() const {
    return read_file(state + ".calls");
}

CliRun AgentScene::agent_cli(const std::vector<std::string>& args) const {
    std::vector<std::string> all{"agent", "--config", config};
    all.insert(all.end(), args.begin(), args.end());
    return run_cli(all);
}

} // namespace lmharvest::testing
