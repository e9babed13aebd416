// The agent protocol's messages from and to JSON text. Every field is checked (type, range,
// length, UTF-8, ISO 8601 with a zone); the first problem is returned with the field's path
// ("apps[2].cpu_percent"). Unknown fields are ignored, so that a newer agent still talks to an
// older host; unknown values of known fields (a kind, a method) are refused.
#pragma once

#include "common/expected.hpp"
#include "protocol/agent_messages.hpp"

#include <string>
#include <string_view>

namespace lmharvest {

struct FieldError {
    std::string field;   ///< "apps[2].cpu_percent"; "(body)" for the body as a whole
    std::string problem; ///< "must be a number from 0 to 6400"
    /// "apps[2].cpu_percent: must be a number from 0 to 6400"
    std::string text() const { return field + ": " + problem; }
};

Expected<AgentReport, FieldError> parse_report(std::string_view body);
Expected<ReportAnswer, FieldError> parse_report_answer(std::string_view body);
Expected<CommandsAnswer, FieldError> parse_commands_answer(std::string_view body);
/// A result with `command`, or without it an agent's own `resumed` (with `pid` and `app`).
Expected<ResultMessage, FieldError> parse_result(std::string_view body);
Expected<LicensesAnswer, FieldError> parse_licenses_answer(std::string_view body);

/// An agent id ("ws-031.corp:1000"): a host name, ':', and the user's id on it. `field` names
/// where it was read.
Expected<void, FieldError> check_agent_id(std::string_view id, const std::string& field);
/// The host part of a well-formed agent id.
std::string_view agent_id_host(std::string_view id);

std::string to_json(const AgentReport& report);
std::string to_json(const ReportAnswer& answer);
std::string to_json(const CommandsAnswer& answer);
std::string to_json(const ResultMessage& result);
std::string to_json(const LicensesAnswer& answer);

} // namespace lmharvest
