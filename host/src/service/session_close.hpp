// An operator's close of one session: release through the adapter, record it in the audit log,
// and mark the session closed when the license is free. Every attempt is audited.
#pragma once

#include "plugins/adapter_instance.hpp"
#include "store/store.hpp"

#include <cstdint>
#include <mutex>
#include <set>
#include <string>

namespace lmharvest {

struct CloseRequest {
    int64_t session_id = 0;
    std::string actor = "operator:unknown"; // for the audit log
    std::string reason = "closed by operator";
};

struct CloseReport {
    enum class Outcome { closed, failed, not_found, already_closed, under_way };
    Outcome outcome = Outcome::not_found;
    CloseResult adapter_result; // when the adapter was asked
    int64_t audit_id = 0;       // 0 when nothing was asked of the adapter
    std::optional<SessionRecord> session;
};

const char* to_string(CloseReport::Outcome outcome);

/// The sessions whose close is running now. A second close of one of them is answered at once
/// with Outcome::under_way (it does not wait: its caller learns the first one's outcome from the
/// session and the audit log), so one session never gets two releases or two "closed" rows.
class ClosesUnderWay {
public:
    /// Marks `session_id` as being closed; false when it already was.
    bool begin(int64_t session_id);
    void end(int64_t session_id);

private:
    std::mutex mutex_; // guards ids_
    std::set<int64_t> ids_;
};

/// Closes a session through `instance` (the adapter instance of the session's server), unless
/// a close of the same session is under way.
CloseReport close_session(Store& store, AdapterInstance& instance, ClosesUnderWay& under_way,
                          const CloseRequest& request, int64_t now);

} // namespace lmharvest
