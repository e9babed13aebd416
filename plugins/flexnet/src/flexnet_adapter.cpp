// The FlexNet adapter plugin: polls `lmutil lmstat -a`, closes sessions with `lmutil lmremove`,
// and reports denials from the vendor daemon's debug log. Built on plugin.hpp only.
#include "debuglog_follower.hpp"
#include "debuglog_parser.hpp"
#include "lmremove_outcome.hpp"
#include "lmstat_parser.hpp"
#include "lmutil_commands.hpp"
#include "poll_emitter.hpp"

#include <lmharvest/plugin.hpp>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace lmharvest::flexnet {

namespace {

// lmremove does not say how long is left before a -64 clears; publishers commonly set a
// 120 s minimum connection time, so that is the earliest retry worth making unless the server's
// lmremove_retry_after says the vendor's interval.
constexpr int64_t default_too_soon_retry_ms = 120000;
constexpr int64_t shortest_too_soon_retry_ms = 1000;
constexpr int64_t longest_too_soon_retry_ms = 3600000;

int64_t too_soon_retry_ms(const sdk::Instance& instance) {
    const auto retry = instance.get_duration_ms("lmremove_retry_after");
    if (!retry)
        return default_too_soon_retry_ms;
    if (*retry < shortest_too_soon_retry_ms || *retry > longest_too_soon_retry_ms)
        throw sdk::Error(LH_ERR_INVALID_ARGUMENT,
                         "lmremove_retry_after must be from 1s to 1h, like \"120s\"");
    return *retry;
}

std::string run_failure(const char* what, const sdk::ProcessOutput& run, uint32_t timeout_ms,
                        const std::string& program) {
    if (run.status == LH_ERR_TIMEOUT)
        return std::string("lmutil ") + what + " did not finish within " +
               std::to_string(timeout_ms) + " ms and was killed";
    if (run.status == LH_ERR_SPAWN)
        return "cannot start '" + program +
               "'; set lmutil = \"/path/to/lmutil\" in the server's [servers.flexnet] table";
    // The host says why in its own message (e.g. an output over the server's max_output).
    return std::string("lmutil ") + what + " was stopped by the host (status " +
           std::to_string(run.status) + ")";
}

int32_t denial_kind(DebugEventKind kind) {
    switch (kind) {
    case DebugEventKind::denied:
        return LH_DENIAL_DENIED;
    case DebugEventKind::queued:
        return LH_DENIAL_QUEUED;
    case DebugEventKind::unsupported:
        return LH_DENIAL_UNSUPPORTED;
    default:
        return 0; // OUT, IN, DEQUEUED: usage, not refusals
    }
}

} // namespace

class FlexnetAdapter {
public:
    static constexpr bool reports_denials = true;

    explicit FlexnetAdapter(const sdk::Instance& instance)
        : address_(instance.address()), timeout_ms_(instance.timeout_ms()),
          lmutil_(instance.get_string("lmutil").value_or("lmutil")),
          extra_args_(instance.get_string_list("extra_args").value_or(std::vector<std::string>{})),
          too_soon_retry_ms_(too_soon_retry_ms(instance)) {
        if (address_.empty())
            throw sdk::Error(LH_ERR_INVALID_ARGUMENT, "flexnet needs an address (port@host)");
        const auto lmremove_timeout = instance.get_duration_ms("lmremove_timeout");
        lmremove_timeout_ms_ =
            lmremove_timeout ? static_cast<uint32_t>(*lmremove_timeout) : timeout_ms_;
        if (const auto debug_log = instance.get_string("debug_log")) {
            if (instance.state_dir().empty())
                throw sdk::Error(LH_ERR_INVALID_ARGUMENT,
                                 "debug_log needs a state directory for its bookmark");
            follower_ = std::make_unique<DebugLogFollower>(
                *debug_log, instance.state_dir() + "/debuglog.bookmark",
                instance.get_bool("debug_log_from_start").value_or(false));
        }
    }

    void poll(const lh_poll_request& request, sdk::PollSink& sink) {
        const sdk::ProcessOutput run =
            sdk::run_process(lmstat_argv(lmutil_, address_, extra_args_), timeout_ms_);
        if (run.status != LH_OK)
            throw sdk::Error(run.status, run_failure("lmstat", run, timeout_ms_, lmutil_));
        const LmstatResult result = parse_lmstat(run.out, request.poll_time);
        // Emitted even when refused, so that `lmharvest parse` shows what was read; the host
        // keeps none of a failed poll's records.
        emit_lmstat(result, address_, sink);
        report_skipped(result);
        if (!result.unusable.empty())
            throw sdk::Error(LH_ERR_GENERIC, refusal(result.unusable, run));
        if (follower_)
            read_denials(request, sink);
    }

    sdk::CloseOutcome close_session(std::string_view token) {
        sdk::CloseOutcome outcome;
        const auto target = decode_close_token(token);
        if (!target) {
            outcome.status = LH_ERR_INVALID_ARGUMENT;
            outcome.message = "not a flexnet close token";
            return outcome;
        }
        const sdk::ProcessOutput run =
            sdk::run_process(lmremove_argv(lmutil_, address_, *target), lmremove_timeout_ms_);
        if (run.status != LH_OK) {
            outcome.status = run.status;
            outcome.message = run_failure("lmremove", run, lmremove_timeout_ms_, lmutil_);
            return outcome;
        }
        if (run.term_signal != 0) {
            outcome.status = LH_ERR_GENERIC;
            outcome.message =
                "lmutil lmremove was killed by signal " + std::to_string(run.term_signal);
            return outcome;
        }
        LmremoveOutcome mapped =
            classify_lmremove(run.exit_code, run.out + "\n" + run.err, too_soon_retry_ms_);
        outcome.status = mapped.status;
        outcome.message = std::move(mapped.message);
        outcome.retry_after_ms = mapped.retry_after_ms;
        return outcome;
    }

private:
    // An output that is no answer fails the poll, so that the server goes stale with its last
    // data kept instead of losing every session; lmutil's own words, if any, come along.
    static std::string refusal(const std::string& why, const sdk::ProcessOutput& run) {
        std::string message = "lmutil lmstat gave no usable answer: " + why;
        if (run.exit_code != 0)
            message += "; it exited with status " + std::to_string(run.exit_code);
        if (const std::string said = first_line(run.err); !said.empty())
            message += "; it said: " + said;
        return message;
    }

    static std::string first_line(const std::string& text) {
        const size_t begin = text.find_first_not_of(" \t\r\n");
        if (begin == std::string::npos)
            return {};
        const size_t end = text.find_first_of("\r\n", begin);
        return text.substr(begin, end == std::string::npos ? std::string::npos : end - begin);
    }

    // One warning per poll, with the count, not one per line: a server with a strange format
    // would otherwise flood the log every minute.
    void report_skipped(const LmstatResult& result) {
        if (result.skipped.empty())
            return;
        skipped_total_ += result.skipped.size();
        const SkippedLine& first = result.skipped.front();
        sdk::log(LH_LOG_WARN, "flexnet " + address_ + ": skipped " +
                                  std::to_string(result.skipped.size()) +
                                  " unreadable lmstat lines (" + std::to_string(skipped_total_) +
                                  " since start); first: line " + std::to_string(first.line) +
                                  ": " + first.reason);
    }

    void read_denials(const lh_poll_request& request, sdk::PollSink& sink) {
        const DebugLogFollower::Chunk chunk = follower_->read_new();
        if (!chunk.error.empty()) {
            sdk::log(LH_LOG_WARN, "flexnet " + address_ + ": " + chunk.error);
            return;
        }
        const auto saved = DebugClock::parse(follower_->context());
        DebugLogReader reader(saved ? *saved : DebugClock::at(request.poll_time));
        size_t begin = 0;
        while (begin < chunk.lines.size()) {
            const size_t end = chunk.lines.find('\n', begin);
            const std::string_view line(chunk.lines.data() + begin, end - begin);
            begin = end + 1;
            const auto event = reader.read(line);
            if (!event || denial_kind(event->kind) == 0)
                continue;
            lh_denial record{};
            record.kind = denial_kind(event->kind);
            record.vendor = event->vendor.c_str();
            record.feature = event->feature.c_str();
            record.user = event->user.c_str();
            record.host = event->host.c_str();
            record.reason = event->reason.empty() ? nullptr : event->reason.c_str();
            record.time = event->time;
            record.count = event->count;
            sink.denial(record);
        }
        if (const std::string error = follower_->commit(reader.clock().serialize()); !error.empty())
            sdk::log(LH_LOG_WARN, "flexnet " + address_ + ": " + error);
    }

    std::string address_;
    uint32_t timeout_ms_;
    uint32_t lmremove_timeout_ms_ = 0;
    std::string lmutil_;
    std::vector<std::string> extra_args_;
    int64_t too_soon_retry_ms_;
    std::unique_ptr<DebugLogFollower> follower_;
    uint64_t skipped_total_ = 0;
};

} // namespace lmharvest::flexnet

LMHARVEST_ADAPTER_PLUGIN(lmharvest::flexnet::FlexnetAdapter, "flexnet", "0.1.0",
                         "FlexNet Publisher (FLEXlm): lmstat polling, lmremove, debug-log denials")
