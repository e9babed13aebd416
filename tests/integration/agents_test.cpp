// The agent protocol against the Service and its HTTP API on 127.0.0.1, in this process so
// that the test can post commands into the mailbox the way the close sequence does. A scripted
// agent speaks through the protocol library the real agent will use.
#include "api/http_api.hpp"
#include "auth/sha256.hpp"
#include "config/config.hpp"
#include "harness.hpp"
#include "protocol/agent_json.hpp"
#include "service/service.hpp"

#include <atomic>
#include <catch2/catch.hpp>
#include <future>
#include <httplib.h>
#include <thread>

using namespace lmharvest;
using namespace lmharvest::testing;
using namespace std::chrono_literals;

namespace {

std::string token_entry(const std::string& name, const std::string& role, const std::string& secret,
                        const std::string& hosts = "") {
    return "[[tokens]]\nname = \"" + name + "\"\nrole = \"" + role + "\"\nsha256 = \"" +
           sha256_hex(secret) + "\"\n" + (hosts.empty() ? "" : "hosts = [\"" + hosts + "\"]\n");
}

// The service with its API and these tokens; `more` is further TOML (servers, [harvest]).
class AgentHost {
public:
    explicit AgentHost(const std::string& more = "") {
        const std::string text = "[host]\nstate_dir = \"" + (dir_ / "state").string() +
                                 "\"\nplugin_dirs = [\"" + plugin_dir + "\"]\n" + more +
                                 token_entry("ws", "agent", "secret-ws", "ws-*") +
                                 token_entry("lab", "agent", "secret-lab", "lab-*") +
                                 token_entry("view", "viewer", "secret-view") +
                                 token_entry("boss", "admin", "secret-boss");
        auto config = load_config_string(text, "agents-test.toml");
        REQUIRE(config.has_value());
        auto service = Service::create(std::move(*config));
        REQUIRE(service.has_value());
        service_ = std::move(*service);
        service_->start();
        HostConfig listener = service_->config()->host;
        listener.listen_host = "127.0.0.1";
        listener.listen_port = 0;
        api_ = std::make_unique<HttpApi>(*service_, "file-token", listener);
        const auto port = api_->start();
        REQUIRE(port.has_value());
        port_ = *port;
    }
    ~AgentHost() {
        service_->stop();
        api_.reset();
    }

    Service& service() { return *service_; }
    int port() const { return port_; }

    httplib::Result call(const std::string& method, const std::string& path,
                         const std::string& secret, const std::string& body = "") const {
        httplib::Client client("127.0.0.1", port_);
        client.set_read_timeout(std::chrono::seconds(90));
        const httplib::Headers headers{{"Authorization", "Bearer " + secret}};
        if (method == "GET")
            return client.Get(path.c_str(), headers);
        return client.Post(path.c_str(), headers, body, "application/json");
    }
    nlohmann::json json(const std::string& method, const std::string& path,
                        const std::string& secret, const std::string& body = "") const {
        const auto result = call(method, path, secret, body);
        REQUIRE(result);
        return nlohmann::json::parse(result->body);
    }

private:
    TempDir dir_;
    std::unique_ptr<Service> service_;
    std::unique_ptr<HttpApi> api_;
    int port_ = 0;
};

AgentReport report_of(const std::string& host, const std::string& user, int64_t focus_idle_s) {
    AgentReport report;
    report.agent = host + ":1000";
    report.host = host;
    report.user = user;
    report.display = ":0";
    report.time = std::time(nullptr);
    report.input_idle_s = focus_idle_s;
    ReportedApp matlab;
    matlab.app = "matlab";
    matlab.pid = 4242;
    matlab.executable = "/opt/matlab/bin/MATLAB";
    matlab.features = {"MATLAB"};
    matlab.focus_idle_s = focus_idle_s;
    matlab.cpu_percent = 0.3;
    matlab.handler = "matlab";
    matlab.methods = {"save_and_close", "notify"};
    report.apps = {matlab};
    return report;
}

AgentCommand save_and_close(const std::string& agent) {
    AgentCommand command;
    command.agent = agent;
    command.kind = "save_and_close";
    command.app = "matlab";
    command.pid = 4242;
    command.features = {"MATLAB"};
    command.session_ids = {812};
    command.reason = "idle 47 min, MATLAB 3 of 3 in use";
    return command;
}

// A commands answer's next_poll_s; nullopt when there was no answer or it did not parse.
std::optional<int64_t> next_poll_of(const httplib::Result& result) {
    if (!result)
        return std::nullopt;
    const auto answer = parse_commands_answer(result->body);
    return answer ? std::optional<int64_t>(answer->next_poll_s) : std::nullopt;
}

} // namespace

TEST_CASE("agents: a report is stored and listed; another host's is 403, a malformed one 400") {
    AgentHost host;
    const auto stored = host.call("POST", "/api/v1/agents/report", "secret-ws",
                                  to_json(report_of("ws-alice.corp", "alice", 3000)));
    REQUIRE(stored);
    CHECK(stored->status == 200);
    const auto answer = parse_report_answer(stored->body);
    REQUIRE(answer.has_value());
    CHECK(answer->report_every_s == 60);

    const nlohmann::json agents = host.json("GET", "/api/v1/agents", "secret-view");
    REQUIRE(agents.size() == 1);
    CHECK(agents[0].at("agent") == "ws-alice.corp:1000");
    CHECK(agents[0].at("user") == "alice");
    CHECK(agents[0].at("state") == "reporting");
    CHECK(agents[0].at("token") == "ws");
    CHECK(agents[0].at("input_idle_s") == 3000);
    REQUIRE(agents[0].at("apps").size() == 1);
    CHECK(agents[0].at("apps")[0].at("executable") == "/opt/matlab/bin/MATLAB");
    CHECK(agents[0].at("apps")[0].at("features") == nlohmann::json::array({"MATLAB"}));

    // A report is the whole truth: no app now means matlab has ended; the agent stays listed.
    AgentReport ended = report_of("ws-alice.corp", "alice", 10);
    ended.apps.clear();
    CHECK(host.call("POST", "/api/v1/agents/report", "secret-ws", to_json(ended))->status == 200);
    CHECK(host.json("GET", "/api/v1/agents", "secret-view")[0].at("apps").empty());
    CHECK(host.service().store().activity().empty());

    const auto other_host = host.call("POST", "/api/v1/agents/report", "secret-ws",
                                      to_json(report_of("lab-7.corp", "bob", 10)));
    REQUIRE(other_host);
    CHECK(other_host->status == 403);
    CHECK(nlohmann::json::parse(other_host->body).at("error") ==
          "token 'ws' may not report for host 'lab-7.corp' (its hosts: ws-*)");

    AgentReport borrowed_id = report_of("ws-alice.corp", "alice", 10);
    borrowed_id.agent = "ws-bob.corp:1000";
    const auto borrowed =
        host.call("POST", "/api/v1/agents/report", "secret-ws", to_json(borrowed_id));
    REQUIRE(borrowed);
    CHECK(borrowed->status == 400);
    CHECK(nlohmann::json::parse(borrowed->body).at("field") == "agent");

    nlohmann::json malformed =
        nlohmann::json::parse(to_json(report_of("ws-alice.corp", "alice", 10)));
    malformed["apps"][0]["cpu_percent"] = 9000;
    const auto refused = host.call("POST", "/api/v1/agents/report", "secret-ws", malformed.dump());
    REQUIRE(refused);
    CHECK(refused->status == 400);
    const auto error = nlohmann::json::parse(refused->body);
    CHECK(error.at("field") == "apps[0].cpu_percent");
    CHECK(error.at("error") == "apps[0].cpu_percent: must be a number from 0 to 6400");
    for (const char* body : {"", "not json", "[]", "{\"agent\": 5}"}) {
        INFO(body);
        const auto bad = host.call("POST", "/api/v1/agents/report", "secret-ws", body);
        REQUIRE(bad);
        CHECK(bad->status == 400);
        CHECK_FALSE(nlohmann::json::parse(bad->body).at("field").get<std::string>().empty());
    }

    // An admin token may report for any host; viewers may not report at all.
    CHECK(host.call("POST", "/api/v1/agents/report", "secret-boss",
                    to_json(report_of("lab-7.corp", "bob", 10)))
              ->status == 200);
    CHECK(host.call("POST", "/api/v1/agents/report", "secret-view",
                    to_json(report_of("ws-alice.corp", "alice", 10)))
              ->status == 403);
    CHECK(host.json("GET", "/api/v1/agents", "secret-view").size() == 2);

    const auto metrics = host.call("GET", "/metrics", "secret-view");
    REQUIRE(metrics);
    CHECK_THAT(metrics->body, Catch::Contains("lmharvest_agents{state=\"reporting\"} 2\n"));
    CHECK_THAT(metrics->body, Catch::Contains("lmharvest_agents{state=\"silent\"} 0\n"));
}

TEST_CASE("agents: the long poll returns a posted command, and the result is answered once") {
    AgentHost host;
    REQUIRE(host.call("POST", "/api/v1/agents/report", "secret-ws",
                      to_json(report_of("ws-alice.corp", "alice", 3000)))
                ->status == 200);
    const std::string commands = "/api/v1/agents/ws-alice.corp:1000/commands";

    auto poll = std::async(std::launch::async,
                           [&] { return host.call("GET", commands + "?wait=30s", "secret-ws"); });
    std::this_thread::sleep_for(200ms); // the poll is usually waiting by now; it works either way
    const auto posted_at = std::chrono::steady_clock::now();
    const int64_t id = host.service().mailbox().post(save_and_close("ws-alice.corp:1000"));
    const auto got = poll.get();
    CHECK(std::chrono::steady_clock::now() - posted_at < 10s);
    REQUIRE(got);
    REQUIRE(got->status == 200);
    const auto answer = parse_commands_answer(got->body);
    REQUIRE(answer.has_value());
    REQUIRE(answer->commands.size() == 1);
    CHECK(answer->commands[0].id == id);
    CHECK(answer->commands[0].kind == "save_and_close");
    CHECK(answer->commands[0].session_ids == std::vector<int64_t>{812});
    CHECK(answer->next_poll_s == 0);

    // Another agent's token may not read or answer this agent's commands.
    CHECK(host.call("GET", commands + "?wait=0s", "secret-lab")->status == 403);
    CHECK(host.call("GET", "/api/v1/agents/lab-1:1000/commands", "secret-lab")->status == 403);
    const auto bad_wait = host.call("GET", commands + "?wait=5min", "secret-ws");
    REQUIRE(bad_wait);
    CHECK(bad_wait->status == 400);
    CHECK(nlohmann::json::parse(bad_wait->body).at("field") == "wait");

    ResultMessage result;
    result.command = id;
    result.outcome = "saved_and_closed";
    result.projects = {{"MATLAB R2024b", "/home/alice/model.slx", std::time(nullptr)}};
    result.message = "saved 1 project";
    const std::string results = "/api/v1/agents/ws-alice.corp:1000/results";
    CHECK(host.call("POST", results, "secret-lab", to_json(result))->status == 403);
    const auto answered = host.call("POST", results, "secret-ws", to_json(result));
    REQUIRE(answered);
    CHECK(answered->status == 200);
    CHECK(nlohmann::json::parse(answered->body).at("projects_saved") == 1);
    const auto waited = host.service().mailbox().wait_result(id, 0ms);
    REQUIRE(waited.has_value());
    CHECK(waited->outcome == "saved_and_closed");
    const auto saved = host.service().store().closed_projects("alice", 10);
    REQUIRE(saved.size() == 1);
    CHECK(saved[0].path == "/home/alice/model.slx");
    CHECK(saved[0].host == "ws-alice.corp");

    const auto twice = host.call("POST", results, "secret-ws", to_json(result));
    REQUIRE(twice);
    CHECK(twice->status == 409);
    CHECK_THAT(nlohmann::json::parse(twice->body).at("error").get<std::string>(),
               Catch::Contains("already answered"));
    CHECK(host.service().store().closed_projects("alice", 10).size() == 1); // not saved twice
    result.outcome = "finished";
    const auto malformed = host.call("POST", results, "secret-ws",
                                     replace_once(to_json(result), "\"command\"", "\"kommand\""));
    REQUIRE(malformed);
    CHECK(malformed->status == 400);
    CHECK(nlohmann::json::parse(malformed->body).at("field") == "command");
}

TEST_CASE("agents: reads are served while long polls wait; stop ends them all") {
    AgentHost host;
    REQUIRE(host.call("POST", "/api/v1/agents/report", "secret-ws",
                      to_json(report_of("ws-alice.corp", "alice", 3000)))
                ->status == 200);
    const std::string commands = "/api/v1/agents/ws-alice.corp:1000/commands?wait=60s";
    std::vector<std::future<httplib::Result>> polls;
    for (int i = 0; i < 8; ++i)
        polls.push_back(std::async(std::launch::async,
                                   [&] { return host.call("GET", commands, "secret-ws"); }));
    std::this_thread::sleep_for(500ms);
    // Reads still get a worker while they wait.
    CHECK(host.call("GET", "/api/v1/agents", "secret-view")->status == 200);

    host.service().stop();
    for (auto& poll : polls) {
        REQUIRE(poll.wait_for(10s) == std::future_status::ready);
        const auto result = poll.get();
        REQUIRE(result);
        CHECK(parse_commands_answer(result->body)->commands.empty());
    }
}

TEST_CASE("agents: 8 long polls hold half the 16 workers; a 9th is answered at once with "
          "next_poll_s, and /healthz still answers") {
    AgentHost host;
    const auto agent_of = [](int i) { return "ws-poll" + std::to_string(i) + ".corp"; };
    for (int i = 0; i <= 8; ++i)
        REQUIRE(host.call("POST", "/api/v1/agents/report", "secret-ws",
                          to_json(report_of(agent_of(i), "user" + std::to_string(i), 3000)))
                    ->status == 200);
    const auto commands = [&](int i, const std::string& wait) {
        return "/api/v1/agents/" + agent_of(i) + ":1000/commands?wait=" + wait;
    };
    // Each of the 8 polls in its own thread on its own connection (AgentHost::call opens one);
    // one turned away while the probe below held a slot polls again, as an agent would.
    std::vector<std::future<httplib::Result>> polls;
    for (int i = 0; i < 8; ++i)
        polls.push_back(std::async(std::launch::async, [&, i] {
            for (;;) {
                auto result = host.call("GET", commands(i, "60s"), "secret-ws");
                if (next_poll_of(result) != 10)
                    return result;
            }
        }));
    // The 8 are in flight once a short probe from a 9th agent is turned away.
    REQUIRE(eventually(
        [&] { return next_poll_of(host.call("GET", commands(8, "1s"), "secret-ws")) == 10; }));
    for (auto& poll : polls)
        REQUIRE(poll.wait_for(0ms) == std::future_status::timeout); // all 8 still waiting

    const auto asked_at = std::chrono::steady_clock::now();
    const auto ninth = host.call("GET", commands(8, "30s"), "secret-ws");
    CHECK(std::chrono::steady_clock::now() - asked_at < 10s); // not the 30 s it asked for
    REQUIRE(ninth);
    REQUIRE(ninth->status == 200);
    const auto busy = parse_commands_answer(ninth->body);
    REQUIRE(busy.has_value());
    CHECK(busy->commands.empty());
    CHECK(busy->next_poll_s == 10);

    httplib::Client plain("127.0.0.1", host.port());
    plain.set_read_timeout(std::chrono::seconds(10));
    const auto health = plain.Get("/healthz");
    REQUIRE(health);
    CHECK(health->status == 200);

    // The 8 are real waiters: a command posted for one of them is handed to its poll.
    const int64_t id = host.service().mailbox().post(save_and_close(agent_of(3) + ":1000"));
    REQUIRE(polls[3].wait_for(10s) == std::future_status::ready);
    const auto woken = polls[3].get();
    REQUIRE(woken);
    const auto answer = parse_commands_answer(woken->body);
    REQUIRE(answer.has_value());
    REQUIRE(answer->commands.size() == 1);
    CHECK(answer->commands[0].id == id);
    CHECK(answer->next_poll_s == 0);
    // With a slot free again, a poll waits again instead of being turned away.
    const int64_t next = host.service().mailbox().post(save_and_close(agent_of(8) + ":1000"));
    const auto waited = host.call("GET", commands(8, "30s"), "secret-ws");
    REQUIRE(waited);
    const auto got = parse_commands_answer(waited->body);
    REQUIRE(got.has_value());
    REQUIRE(got->commands.size() == 1);
    CHECK(got->commands[0].id == next);
    CHECK(got->next_poll_s == 0);

    host.service().stop();
    for (auto& poll : polls)
        if (poll.valid())
            CHECK(poll.wait_for(10s) == std::future_status::ready);
}

TEST_CASE("agents: a reported idle app shows in the plan's reasons for its user's session") {
    AgentHost host("[[servers]]\nid = \"sim1\"\nadapter = \"sim\"\naddress = \"27000@sim\"\n"
                   "interval = \"1s\"\n[servers.sim]\nseed = 7\nusers = 40\nchurn = 0\n"
                   "[harvest]\ndry_run = true\n");
    // A session of a counted pool that the plan keeps for want of activity data.
    nlohmann::json session;
    REQUIRE(eventually([&] {
        const nlohmann::json plan =
            host.json("GET", "/api/v1/harvest/plan?server=sim1", "secret-view");
        for (const nlohmann::json& entry : plan.value("entries", nlohmann::json::array()))
            if (entry.at("reason") == "no activity data") {
                session = entry;
                return true;
            }
        return false;
    }));
    const std::string user = session.at("user"), feature = session.at("feature");
    const std::string session_host = session.at("host");
    const int64_t id = session.at("session_id");
    const std::string plan_path = "/api/v1/harvest/plan?server=sim1&feature=" + feature;
    const auto reason_of_session = [&]() -> std::string {
        const nlohmann::json plan = host.json("GET", plan_path, "secret-view");
        for (const nlohmann::json& entry : plan.value("entries", nlohmann::json::array()))
            if (entry.at("session_id") == id)
                return entry.at("reason");
        return "";
    };

    // The sim's host names are its own: an admin token may report for any host.
    AgentReport report = report_of(session_host, user, 50 * 60);
    report.apps[0].features = {feature};
    const auto stored = host.call("POST", "/api/v1/agents/report", "secret-boss", to_json(report));
    REQUIRE(stored);
    INFO(stored->body);
    REQUIRE(stored->status == 200);
    REQUIRE(eventually([&] { return reason_of_session().rfind("idle 50 min", 0) == 0; }));
}

TEST_CASE("agents: [agents] report_every is the answer's report_every_s and the agent's "
          "interval; 60 s without it") {
    const auto [agents_table, expected] = GENERATE(table<std::string, int64_t>({
        {"", 60},
        {"[agents]\nreport_every = \"15s\"\n", 15},
    }));
    AgentHost host(agents_table);
    const auto posted = host.call("POST", "/api/v1/agents/report", "secret-ws",
                                  to_json(report_of("ws-031.corp", "jberg", 60)));
    REQUIRE(posted);
    REQUIRE(posted->status == 200);
    CHECK(nlohmann::json::parse(posted->body) == nlohmann::json{{"report_every_s", expected}});
    const nlohmann::json agents = host.json("GET", "/api/v1/agents", "secret-view");
    REQUIRE(agents.size() == 1);
    CHECK(agents[0].at("report_every_s") == expected);
    CHECK(host.service().store().activity().at(0).report_interval_s == expected);
}

TEST_CASE("agents: GET licenses says how many of each feature asked are free, to the agent's "
          "own token and admins only; a bad parameter is 400 naming it") {
    AgentHost host;
    PollSnapshot poll;
    poll.server_id = "eng";
    poll.poll_time = std::time(nullptr);
    for (const auto& [name, total, used] :
         {std::tuple{"MATLAB", 10, 7}, std::tuple{"Signal_Toolbox", 2, 2},
          std::tuple{"SIMULINK", 5, 0}}) {
        FeatureUsage usage;
        usage.vendor = "MLM";
        usage.name = name;
        usage.total = total;
        usage.used = used;
        poll.features.push_back(usage);
    }
    host.service().store().record_poll(poll, "flexnet", "27000@lic1");
    REQUIRE(host.call("POST", "/api/v1/agents/report", "secret-ws",
                      to_json(report_of("ws-alice.corp", "alice", 3000)))
                ->status == 200);
    const std::string licenses =
        "/api/v1/agents/ws-alice.corp:1000/licenses?features=MATLAB,Signal_Toolbox,ARC%2FINFO";

    const auto mine = host.call("GET", licenses, "secret-ws");
    REQUIRE(mine);
    INFO(mine->body);
    REQUIRE(mine->status == 200);
    CHECK(nlohmann::json::parse(mine->body) == nlohmann::json::parse(R"({"features": [
            {"feature": "MATLAB", "free": 3, "used": 7, "total": 10, "unlimited": false, "pools": 1, "stale_pools": 0},
            {"feature": "Signal_Toolbox", "free": 0, "used": 2, "total": 2, "unlimited": false, "pools": 1, "stale_pools": 0},
            {"feature": "ARC/INFO", "free": 0, "used": 0, "total": 0, "unlimited": false, "pools": 0, "stale_pools": 0}]})"));
    const auto parsed = parse_licenses_answer(mine->body);
    REQUIRE(parsed.has_value());
    CHECK(parsed->features.size() == 3); // SIMULINK was not asked about

    // The server's next poll fails: its last figures are not a free license any more.
    PollSnapshot failed;
    failed.server_id = "eng";
    failed.poll_time = poll.poll_time + 60;
    failed.ok = false;
    failed.error = "lmstat printed nothing";
    host.service().store().record_poll(failed, "flexnet", "27000@lic1");
    const nlohmann::json stale = host.json("GET", licenses, "secret-ws");
    CHECK(stale.at("features")[0].at("free") == 0);
    CHECK(stale.at("features")[0].at("pools") == 1);
    CHECK(stale.at("features")[0].at("stale_pools") == 1);

    CHECK(host.call("GET", licenses, "secret-boss")->status == 200); // admin: any agent
    CHECK(host.call("GET", licenses, "secret-lab")->status == 403);  // another agent's token
    CHECK(host.call("GET", licenses, "secret-view")->status == 403); // a viewer is no agent
    CHECK(host.call("GET", licenses, "no-such-secret")->status == 401);
    CHECK(host.call("GET", "/api/v1/agents/lab-1:1000/licenses?features=MATLAB", "secret-lab")
              ->status == 403); // never reported
    for (const std::string query : {"", "?features=", "?features=MATLAB,,SIMULINK"}) {
        INFO(query);
        const auto bad =
            host.call("GET", "/api/v1/agents/ws-alice.corp:1000/licenses" + query, "secret-ws");
        REQUIRE(bad);
        CHECK(bad->status == 400);
        CHECK(nlohmann::json::parse(bad->body).at("field") == "features");
    }
}

TEST_CASE("agents: a resumed result without a command is the agent's own resume, kept in the "
          "audit log; any other outcome needs its command") {
    AgentHost host;
    REQUIRE(host.call("POST", "/api/v1/agents/report", "secret-ws",
                      to_json(report_of("ws-alice.corp", "alice", 3000)))
                ->status == 200);
    const std::string results = "/api/v1/agents/ws-alice.corp:1000/results";
    ResultMessage own;
    own.outcome = "resumed";
    own.pid = 4242;
    own.app = "matlab";
    own.features = {"MATLAB"};
    own.follows = 17;
    own.message = "the user clicked Resume";
    CHECK(host.call("POST", results, "secret-lab", to_json(own))->status == 403);
    const auto answered = host.call("POST", results, "secret-ws", to_json(own));
    REQUIRE(answered);
    INFO(answered->body);
    REQUIRE(answered->status == 200);
    const nlohmann::json answer = nlohmann::json::parse(answered->body);
    CHECK(answer.at("command").is_null());
    const std::vector<Action> actions = host.service().store().actions(10);
    REQUIRE(actions.size() == 1);
    CHECK(actions[0].id == answer.at("action"));
    CHECK(actions[0].actor == "agent:ws-alice.corp:1000");
    CHECK(actions[0].kind == "resume");
    CHECK(actions[0].outcome == "resumed");
    CHECK(actions[0].user == "alice");
    CHECK(actions[0].feature == "MATLAB");
    CHECK(actions[0].message ==
          "matlab (pid 4242) resumed on ws-alice.corp: the user clicked Resume");
    CHECK(nlohmann::json::parse(actions[0].policy_json).at("follows") == 17);

    nlohmann::json suspended = nlohmann::json::parse(to_json(own));
    suspended["outcome"] = "suspended";
    const auto refused = host.call("POST", results, "secret-ws", suspended.dump());
    REQUIRE(refused);
    CHECK(refused->status == 400);
    CHECK(nlohmann::json::parse(refused->body).at("field") == "command");
    CHECK(host.service().store().actions(10).size() == 1);
}
