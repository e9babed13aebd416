// The agent protocol's client side (DESIGN §4a) over HTTP(S): report, long-poll the commands,
// post results. `lmharvest agent` and the demo's scripted agent both talk to the host through it.
#pragma once

#include "common/expected.hpp"
#include "protocol/agent_messages.hpp"

#include <chrono>
#include <memory>
#include <string>

namespace httplib {
class Client;
}

namespace lmharvest::agent {

struct ClientSettings {
    std::string origin;  ///< "https://lmharvest.corp:8940" or "http://127.0.0.1:8940"
    std::string token;   ///< the agent token's secret
    std::string ca_file; ///< "": the system's CA store
    std::chrono::seconds read_timeout{10};
};

class AgentClient {
public:
    explicit AgentClient(const ClientSettings& settings);
    ~AgentClient();
    AgentClient(const AgentClient&) = delete;
    AgentClient& operator=(const AgentClient&) = delete;

    Expected<ReportAnswer> report(const AgentReport& report);
    /// Waits up to `wait` (at most 60 s) for commands for `agent`.
    Expected<CommandsAnswer> commands(const std::string& agent, std::chrono::seconds wait);
    Expected<void> result(const std::string& agent, const ResultMessage& result);
    /// GET `path` (with the token); the body of a 200 answer.
    Expected<std::string> get(const std::string& path);

private:
    Expected<std::string> call(const std::string& method, const std::string& path,
                               const std::string& body, std::chrono::seconds read_timeout);
    std::string origin_;
    std::chrono::seconds read_timeout_;
    std::unique_ptr<httplib::Client> client_;
};

} // namespace lmharvest::agent
