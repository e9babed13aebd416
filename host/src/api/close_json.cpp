#include "api/close_json.hpp"

#include "config/config.hpp"

#include "json/records_json.hpp"
#include <algorithm>

namespace lmharvest {
namespace {

constexpr std::size_t max_text = 1000; // an actor or a reason longer than this is no name

Expected<std::string> text_field(const nlohmann::json& body, const char* key,
                                 const std::string& fallback) {
    const auto field = body.find(key);
    if (field == body.end())
        return fallback;
    if (!field->is_string())
        return unexpected(std::string(key) + ": must be a string, not " + field->type_name());
    const std::string& text = field->get_ref<const std::string&>();
    if (text.empty() || text.size() > max_text)
        return unexpected(std::string(key) + ": must have 1 to " + std::to_string(max_text) +
                          " characters");
    return text;
}

} // namespace

Expected<CloseRequest> read_close_fields(const nlohmann::json& body, CloseRequest request,
                                         ActorFrom actor_from,
                                         std::initializer_list<const char*> other_keys) {
    if (!body.is_object())
        return unexpected(std::string("the body must be a JSON object, not ") + body.type_name());
    const bool actor_known = actor_from == ActorFrom::body;
    if (!actor_known && body.contains("actor"))
        return unexpected("actor: not accepted; the audit log names the token's name ('" +
                          request.actor + "'); say who asked in \"reason\"");
    for (const auto& [key, value] : body.items()) {
        const bool known = (key == "actor" && actor_known) || key == "reason" || key == "method" ||
                           std::find(other_keys.begin(), other_keys.end(), key) != other_keys.end();
        if (known)
            continue;
        std::string names = actor_known ? "actor, reason, method" : "reason, method";
        for (const char* other : other_keys)
            names += std::string(", ") + other;
        return unexpected(key + ": unknown field; known: " + names);
    }
    auto actor = text_field(body, "actor", request.actor);
    if (!actor)
        return unexpected(actor.error());
    auto reason = text_field(body, "reason", request.reason);
    if (!reason)
        return unexpected(reason.error());
    if (body.contains("method")) {
        auto method = text_field(body, "method", "");
        if (!method)
            return unexpected(method.error());
        if (std::find(harvest_methods.begin(), harvest_methods.end(), *method) ==
            harvest_methods.end())
            return unexpected("method: unknown '" + *method +
                              "'; known: save_and_close, suspend, release, notify");
        request.method = std::move(*method);
    }
    request.actor = std::move(*actor);
    request.reason = std::move(*reason);
    return request;
}

nlohmann::json close_report_json(const CloseReport& report) {
    const bool under_way = report.outcome == CloseReport::Outcome::under_way;
    nlohmann::json body = {{"outcome", to_string(report.outcome)},
                           {"status", report.adapter_result.status},
                           {"message", under_way
                                           ? "a close of this session is already under way; see "
                                             "/api/v1/actions for its outcome"
                                           : report.adapter_result.message},
                           {"retry_after_ms", report.adapter_result.retry_after_ms},
                           {"audit_id", report.audit_id}};
    if (report.session)
        body["session"] = to_json(*report.session);
    return body;
}

int close_http_status(CloseReport::Outcome outcome) {
    switch (outcome) {
    case CloseReport::Outcome::closed:
        return 200;
    case CloseReport::Outcome::failed:
        return 502; // the license server refused or failed
    case CloseReport::Outcome::started:
        return 202; // the sequence waits for the agent; its steps are in /api/v1/actions
    case CloseReport::Outcome::already_closed:
    case CloseReport::Outcome::under_way:
    case CloseReport::Outcome::no_agent:
        return 409;
    case CloseReport::Outcome::not_found:
        break;
    }
    return 404;
}

} // namespace lmharvest
