// An operator's close of one session: release through the adapter, record it in the audit log,
// and mark the session closed when the license is free. Every attempt is audited.
#pragma once

#include "harvest/closes_under_way.hpp"
#include "plugins/adapter_instance.hpp"
#include "store/store.hpp"

#include <cstdint>
#include <optional>
#include <string>

namespace lmharvest {

struct CloseRequest {
    int64_t session_id = 0;
    std::string actor = "operator:unknown"; // for the audit log
    std::string reason = "closed by operator";
    /// Set: run the close sequence with this method (save_and_close, ...); none: release now.
    std::optional<std::string> method;
};

struct CloseReport {
    /// started: a close sequence runs (audit_id is its action); no_agent: no app of the session
    /// offers the method (adapter_result.message says why).
    enum class Outcome { closed, failed, not_found, already_closed, under_way, started, no_agent };
    Outcome outcome = Outcome::not_found;
    CloseResult adapter_result; // when the adapter was asked
    int64_t audit_id = 0;       // 0 when nothing was asked of the adapter
    std::optional<SessionRecord> session;
};

const char* to_string(CloseReport::Outcome outcome);

/// Closes a session through `instance` (the adapter instance of the session's server), unless
/// a close of the same session is under way.
CloseReport close_session(Store& store, AdapterInstance& instance, ClosesUnderWay& under_way,
                          const CloseRequest& request, int64_t now);

} // namespace lmharvest
