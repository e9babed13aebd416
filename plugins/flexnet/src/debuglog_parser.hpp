// Reader of FlexNet debug-log lines (lmgrd and vendor daemons):
//   "HH:MM:SS (vendor) OUT: "feature" user@host  [GROUP:SUB] (N licenses)"
//   "... IN: ...", "... DENIED: "feature" user@host  (reason (-4,342))",
//   "... UNSUPPORTED: "feature" (checkout data) user@host  (reason)", "... QUEUED: ...",
//   "... TIMESTAMP M/D/YYYY".
// Lines carry only a time of day: the reader keeps the date from TIMESTAMP lines and moves to the
// next day when the time goes backwards by more than an hour (a midnight without TIMESTAMP).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace lmharvest::flexnet {

enum class DebugEventKind { out, in, denied, queued, dequeued, unsupported };

struct DebugEvent {
    DebugEventKind kind = DebugEventKind::out;
    std::string vendor; // the daemon in parentheses
    std::string feature;
    std::string user;
    std::string host;
    std::string detail; // OUT/IN extras: "[MSCONE:NASTRAN]", "(INACTIVE)", "(SHUTDOWN)"
    std::string reason; // DENIED/QUEUED/UNSUPPORTED: the server's reason, outer parentheses off
    int64_t count = 1;
    int64_t time = 0; // epoch seconds, from the tracked date and the line's time of day
};

/// The date the reader is at, kept between polls (and restarts) by the caller.
struct DebugClock {
    int64_t year = 0; // 0: not known yet
    unsigned month = 0;
    unsigned day = 0;
    int32_t last_second = -1; // time of day of the last timed line, -1 when none

    /// The local date and time of day of `epoch`: where a reader starts without history.
    static DebugClock at(int64_t epoch);
    std::string serialize() const;
    static std::optional<DebugClock> parse(std::string_view text);
};

class DebugLogReader {
public:
    explicit DebugLogReader(DebugClock clock) : clock_(clock) {}

    /// Reads one line; returns the usage event it holds, if any. Never throws.
    std::optional<DebugEvent> read(std::string_view line);

    const DebugClock& clock() const { return clock_; }
    uint32_t timestamp_lines() const { return timestamp_lines_; }

private:
    void advance_to(int32_t second_of_day);

    DebugClock clock_;
    uint32_t timestamp_lines_ = 0;
};

} // namespace lmharvest::flexnet
