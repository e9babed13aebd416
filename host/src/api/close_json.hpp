// A close request's JSON fields and the answer to a close, the same over HTTP and over the local
// control socket.
#pragma once

#include "common/expected.hpp"
#include "service/session_close.hpp"

#include <initializer_list>
#include <nlohmann/json.hpp>
#include <string>

namespace lmharvest {

/// Who a close's audit row names: the request's "actor" field (the control socket, whose peer
/// the kernel vouches for), or the caller that `request.actor` already holds (HTTP: the token's
/// name; an "actor" field is refused, never silently dropped).
enum class ActorFrom { body, caller };

/// Reads "reason", "method" (one of harvest_methods: the close sequence) and, from the body,
/// "actor" (optional strings) of a JSON object into
/// `request`. Keys other than those and `other_keys` are refused; each error names the field.
Expected<CloseRequest> read_close_fields(const nlohmann::json& body, CloseRequest request,
                                         ActorFrom actor_from,
                                         std::initializer_list<const char*> other_keys = {});

/// {"outcome","status","message","retry_after_ms","audit_id"[,"session"]}
nlohmann::json close_report_json(const CloseReport& report);

/// The HTTP status of an outcome: 200 closed, 202 a close sequence started, 502 failed, 404 not
/// found, 409 already closed, a close under way, or no agent for the method.
int close_http_status(CloseReport::Outcome outcome);

} // namespace lmharvest
