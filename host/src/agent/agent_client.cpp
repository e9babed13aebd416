#include "agent/agent_client.hpp"

#include "protocol/agent_json.hpp"

#include <httplib.h>

namespace lmharvest::agent {

AgentClient::AgentClient(const ClientSettings& settings)
    : origin_(settings.origin), read_timeout_(settings.read_timeout),
      client_(std::make_unique<httplib::Client>(settings.origin)) {
    client_->set_bearer_token_auth(settings.token);
    client_->set_connection_timeout(std::chrono::seconds(5));
    if (!settings.ca_file.empty())
        client_->set_ca_cert_path(settings.ca_file);
    client_->enable_server_certificate_verification(true);
}

AgentClient::~AgentClient() = default;

Expected<std::string> AgentClient::call(const std::string& method, const std::string& path,
                                        const std::string& body,
                                        std::chrono::seconds read_timeout) {
    client_->set_read_timeout(read_timeout);
    const httplib::Result answer =
        method == "GET" ? client_->Get(path) : client_->Post(path, body, "application/json");
    if (!answer)
        return unexpected(method + " " + origin_ + path + ": " +
                          httplib::to_string(answer.error()));
    if (answer->status != 200)
        return unexpected(method + " " + origin_ + path + ": " + std::to_string(answer->status) +
                          " " + answer->body);
    return answer->body;
}

Expected<ReportAnswer> AgentClient::report(const AgentReport& report) {
    auto body = call("POST", "/api/v1/agents/report", to_json(report), read_timeout_);
    if (!body)
        return unexpected(body.error());
    auto answer = parse_report_answer(*body);
    if (!answer)
        return unexpected("the host's answer to a report: " + answer.error().text());
    return *answer;
}

Expected<CommandsAnswer> AgentClient::commands(const std::string& agent,
                                               std::chrono::seconds wait) {
    auto body = call(
        "GET", "/api/v1/agents/" + agent + "/commands?wait=" + std::to_string(wait.count()) + "s",
        "", wait + read_timeout_);
    if (!body)
        return unexpected(body.error());
    auto answer = parse_commands_answer(*body);
    if (!answer)
        return unexpected("the host's commands: " + answer.error().text());
    return *answer;
}

Expected<void> AgentClient::result(const std::string& agent, const ResultMessage& result) {
    auto body =
        call("POST", "/api/v1/agents/" + agent + "/results", to_json(result), read_timeout_);
    if (!body)
        return unexpected(body.error());
    return {};
}

Expected<std::string> AgentClient::get(const std::string& path) {
    return call("GET", path, "", read_timeout_);
}

} // namespace lmharvest::agent
