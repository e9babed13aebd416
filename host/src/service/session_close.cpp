#include "service/session_close.hpp"

#include "json/safe_dump.hpp"
#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>

namespace lmharvest {

const char* to_string(CloseReport::Outcome outcome) {
    switch (outcome) {
    case CloseReport::Outcome::closed:
        return "closed";
    case CloseReport::Outcome::failed:
        return "failed";
    case CloseReport::Outcome::already_closed:
        return "already_closed";
    case CloseReport::Outcome::under_way:
        return "under_way";
    case CloseReport::Outcome::started:
        return "started";
    case CloseReport::Outcome::no_agent:
        return "no_agent";
    case CloseReport::Outcome::not_found:
        break;
    }
    return "not_found";
}

namespace {

// Ends the session's entry in ClosesUnderWay however the close returns.
class UnderWay {
public:
    UnderWay(ClosesUnderWay& closes, int64_t id) : closes_(closes), id_(id) {
        began_ = closes_.begin(id_);
    }
    ~UnderWay() {
        if (began_)
            closes_.end(id_);
    }
    UnderWay(const UnderWay&) = delete;
    UnderWay& operator=(const UnderWay&) = delete;
    bool began() const { return began_; }

private:
    ClosesUnderWay& closes_;
    int64_t id_;
    bool began_ = false;
};

} // namespace

CloseReport close_session(Store& store, AdapterInstance& instance, ClosesUnderWay& under_way,
                          const CloseRequest& request, int64_t now) {
    CloseReport report;
    // Claimed before the session is read: a close that finished a moment ago has marked it
    // closed by then, so the next caller sees already_closed, never a second release.
    const UnderWay claim(under_way, request.session_id);
    if (!claim.began()) {
        report.outcome = CloseReport::Outcome::under_way;
        report.session = store.session(request.session_id);
        return report;
    }
    report.session = store.session(request.session_id);
    if (!report.session)
        return report;
    if (report.session->closed_at) {
        report.outcome = CloseReport::Outcome::already_closed;
        return report;
    }
    const SessionRecord& record = *report.session;
    report.adapter_result = instance.close(record.session.close_token);
    const CloseResult& result = report.adapter_result;
    report.outcome = result.freed() ? CloseReport::Outcome::closed : CloseReport::Outcome::failed;

    Action action;
    action.time = now;
    action.actor = request.actor;
    action.kind = "close";
    action.server = record.server;
    action.session_id = record.id;
    action.user = record.session.user;
    action.feature = record.session.feature;
    action.outcome = to_string(report.outcome);
    action.message = result.message;
    const nlohmann::json steps =
        nlohmann::json::array({{{"step", "release"},
                                {"adapter", instance.plugin().info.name},
                                {"status", result.status},
                                {"message", result.message},
                                {"retry_after_ms", result.retry_after_ms}}});
    action.steps_json = safe_dump(steps);
    report.audit_id = store.append_action(action);
    if (result.freed())
        store.mark_session_closed(record.id, now, request.reason);
    spdlog::info("close session={} server={} feature={} user={} host={} actor={} outcome={} "
                 "status={} audit={}",
                 record.id, record.server, record.session.feature, record.session.user,
                 record.session.host, request.actor, action.outcome, result.status,
                 report.audit_id);
    return report;
}

} // namespace lmharvest
