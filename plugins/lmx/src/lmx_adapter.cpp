// The lmx plugin: polls an LM-X server with lmxendutil and closes sessions with the configured
// close command, behind the SDK's adapter interface.
#include "close_command.hpp"
#include "close_outcome.hpp"
#include "close_token.hpp"
#include "lmx_settings.hpp"
#include "parse_lmx.hpp"
#include "password_file.hpp"

#include <lmharvest/plugin.hpp>

namespace lmharvest::lmx {
namespace {

// The tool's last words, for an error message: tools end with what went wrong (the status
// output holds no secret).
std::string last_line(const sdk::ProcessOutput& run) {
    const std::string& source =
        run.err.find_first_not_of(" \t\r\n") == std::string::npos ? run.out : run.err;
    const std::size_t end = source.find_last_not_of(" \t\r\n");
    if (end == std::string::npos)
        return "(no output)";
    const std::size_t start = source.find_last_of('\n', end);
    const std::size_t from = start == std::string::npos ? 0 : start + 1;
    return source.substr(from, std::min<std::size_t>(end + 1 - from, 200));
}

} // namespace

class LmxAdapter {
public:
    explicit LmxAdapter(const sdk::Instance& instance) : settings_(read_settings(instance)) {}

    void poll(const lh_poll_request& request, sdk::PollSink& sink) {
        // The records view the tool's output: it stays here until they are all emitted.
        const sdk::ProcessOutput run = run_status_tool();
        const LmxResult result = read_status(run, request.poll_time);
        // Emitted even when refused, so that `lmharvest parse` shows what was read; the host
        // keeps none of a failed poll's records. Refused, the server goes stale with its
        // sessions kept instead of losing them all.
        emit(result, sink);
        if (!result.unusable.empty())
            throw sdk::Error(LH_ERR_GENERIC, "lmx: " + status_what() +
                                                 " gave no usable answer: " + result.unusable +
                                                 exit_text(run) + ": " + last_line(run));
    }

    sdk::CloseOutcome close_session(std::string_view close_token) {
        if (settings_.close_command.empty())
            return {LH_ERR_UNSUPPORTED,
                    "lmx: closing a session needs close_command in the server's [servers.lmx] "
                    "table (LM-X's remove option is not publicly documented; see docs/lmx.md)"};
        const std::optional<CloseKey> key = decode_close_token(close_token);
        if (!key)
            return {LH_ERR_INVALID_ARGUMENT,
                    "lmx: '" + std::string(close_token) + "' is not an lmx close token"};
        const std::string password =
            settings_.password_file.empty() ? "" : read_password_file(settings_.password_file);
        const CloseFields fields{
            key->feature, key->version,           key->user,
            key->host,    settings_.address.host, std::to_string(settings_.address.port),
            key->vendor};
        const std::vector<std::string> argv =
            expand_close_command(settings_.close_command, fields, password);
        // A template without {password} gets it on stdin, so it never shows in a process list.
        const std::string stdin_data =
            password.empty() || close_template_uses_password(settings_.close_command)
                ? std::string()
                : password + "\n";
        const sdk::ProcessOutput run = sdk::run_process(argv, settings_.timeout_ms, stdin_data);
        return close_outcome(run, argv.front(), password);
    }

private:
    std::vector<std::string> status_argv() const {
        return status_command(settings_, settings_.format != QueryFormat::text);
    }

    // "'lmxendutil -licstatxml'", for error messages.
    std::string status_what() const {
        return "'" + settings_.lmxendutil + " " + status_argv()[1] + "'";
    }

    sdk::ProcessOutput run_status_tool() const {
        sdk::ProcessOutput run = sdk::run_process(status_argv(), settings_.timeout_ms);
        if (run.status == LH_ERR_TIMEOUT)
            throw sdk::Error(LH_ERR_TIMEOUT, "lmx: " + status_what() +
                                                 " was killed at its timeout of " +
                                                 std::to_string(settings_.timeout_ms) + " ms");
        if (run.status == LH_ERR_SPAWN)
            throw sdk::Error(LH_ERR_SPAWN, "lmx: cannot start " + status_what());
        // The host says why in its own message (e.g. an output over the server's max_output).
        if (run.status != LH_OK)
            throw sdk::Error(run.status, "lmx: " + status_what() + " was stopped by the host " +
                                             "(status " + std::to_string(run.status) + ")");
        return run;
    }

    LmxResult read_status(const sdk::ProcessOutput& run, int64_t poll_time) const {
        LmxResult result = settings_.format == QueryFormat::xml ? parse_lmx_xml(run.out, poll_time)
                           : settings_.format == QueryFormat::text
                               ? parse_lmx_text(run.out, poll_time)
                               : parse_lmx(run.out, poll_time);
        if (result.ok)
            return result;
        // Strict XML still knows LM-X's one-line answer for an unreachable server: that is a
        // server status, not a failed poll.
        LmxResult down;
        down.unavailable = parse_lmx_text(run.out, poll_time).unavailable;
        if (!down.unavailable.empty())
            return down;
        throw sdk::Error(LH_ERR_GENERIC, "lmx: " + status_what() + " gave no usable answer (" +
                                             result.error + ")" + exit_text(run) + ": " +
                                             last_line(run));
    }

    static std::string exit_text(const sdk::ProcessOutput& run) {
        return run.exit_code == 0 && run.term_signal == 0
                   ? ""
                   : "; it exited with " + std::to_string(run.exit_code);
    }

    void emit(const LmxResult& result, sdk::PollSink& sink) const {
        const std::string own_label = server_label(settings_.address);
        sdk::CStrings c;
        for (const LmxServer& server : result.servers) {
            c.next_record();
            lh_server_status record{};
            record.host = c.lend(server.host);
            record.state = server.state;
            record.version = c.lend_or_null(server.version);
            record.message = c.lend_or_null(server.message);
            sink.server(record);
        }
        if (result.servers.empty()) {
            // "No license server(s) available", or an output cut before its server header.
            lh_server_status record{};
            record.host = settings_.address.host.c_str();
            record.state = result.unavailable.empty() ? LH_STATE_UP : LH_STATE_DOWN;
            record.message = result.unavailable.empty() ? nullptr : result.unavailable.c_str();
            sink.server(record);
        }
        for (const LmxVendor& vendor : result.vendors) {
            c.next_record();
            lh_vendor_status record{};
            record.name = c.lend(vendor.name);
            record.state = vendor.state;
            sink.vendor(record);
        }
        for (const LmxFeature& feature : result.features) {
            c.next_record();
            lh_feature record{};
            record.vendor = c.lend_or_null(feature.vendor);
            record.name = c.lend(feature.name);
            record.version = c.lend_or_null(feature.version);
            record.total = feature.total;
            record.used = feature.used;
            record.expiry = c.lend_or_null(feature.expiry);
            record.flags = feature.flags;
            sink.feature(record);
        }
        for (const LmxSession& session : result.sessions) {
            c.next_record();
            lh_session record{};
            record.vendor = c.lend_or_null(session.vendor);
            record.feature = c.lend(session.feature);
            record.version = c.lend_or_null(session.version);
            record.user = c.lend(session.user);
            record.host = c.lend(session.host);
            record.host_ip = c.lend_or_null(session.host_ip);
            record.count = session.count;
            record.checkout_time = session.checkout_time;
            record.borrow_expiry = session.borrow_expiry;
            record.server = c.lend(session.server.empty() ? own_label : session.server);
            record.close_token = session.close_token.c_str();
            sink.session(record);
        }
        for (const LmxSkipped& skipped : result.skipped)
            sink.skipped(skipped.line, skipped.text, skipped.reason);
    }

    LmxSettings settings_;
};

} // namespace lmharvest::lmx

LMHARVEST_ADAPTER_PLUGIN(lmharvest::lmx::LmxAdapter, "lmx", "0.1.0",
                         "LM-X (X-Formation) license servers through lmxendutil")
