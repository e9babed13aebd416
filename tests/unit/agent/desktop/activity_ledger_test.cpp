#include "agent/desktop/activity_ledger.hpp"
#include "process_records.hpp"

#include <catch2/catch.hpp>

using namespace lmharvest::agent;
using namespace std::chrono_literals;

namespace {

const auto t0 = ActivityClock::time_point{} + 100000s;

// A: a window at 100. B: a terminal window at 200 with the app 201 inside it, whose helper 202
// may open a window too. C: 300, no window.
std::vector<ProcessEntry> desktop_table(uint64_t a_ticks = 0, uint64_t b_ticks = 0) {
    using test_rows::process;
    return {process(1, 0),
            process(100, 1, a_ticks),
            process(200, 1, b_ticks),
            process(201, 200, b_ticks),
            process(202, 201),
            process(300, 1)};
}

DesktopSample at(std::chrono::seconds offset, std::chrono::milliseconds idle,
                 std::optional<int64_t> focused) {
    return {t0 + offset, idle.count(), focused};
}

int64_t focus_idle(const ActivityLedger& ledger, int64_t pid) {
    const auto idle = ledger.app(pid, 60s).focus_idle_s;
    REQUIRE(idle);
    return *idle;
}

} // namespace

TEST_CASE("without a display, input is unknown and CPU is still measured") {
    ActivityLedger ledger(100);
    ledger.record({t0, std::nullopt, std::nullopt}, desktop_table(0));
    ledger.record({t0 + 10s, std::nullopt, std::nullopt}, desktop_table(500));
    CHECK_FALSE(ledger.input_idle_s());
    const auto app = ledger.app(100, 60s);
    CHECK_FALSE(app.focus_idle_s);
    CHECK(app.cpu_percent == Approx(50));
}

TEST_CASE("idle counts from when the app and the display were first seen, not before") {
    ActivityLedger ledger(100);
    ledger.record(at(0s, 10min, 100), desktop_table());
    ledger.record(at(30s, 10min + 30s, 100), desktop_table());
    CHECK(ledger.input_idle_s() == 630);
    // The session saw no input for 10 min, but where the input before went is unknown.
    CHECK(focus_idle(ledger, 100) == 30);
    CHECK(focus_idle(ledger, 300) == 30);
}

TEST_CASE("input goes to the app whose window had focus, and to that window's process tree") {
    ActivityLedger ledger(100);
    ledger.record(at(0s, 5s, 100), desktop_table());
    ledger.record(at(10s, 1s, 200), desktop_table()); // typed into the terminal at +9 s
    ledger.record(at(20s, 11s, 200), desktop_table());
    CHECK(focus_idle(ledger, 200) == 11);
    CHECK(focus_idle(ledger, 201) == 11); // the app inside the terminal
    CHECK(focus_idle(ledger, 100) == 20); // not touched since first seen
    CHECK(focus_idle(ledger, 300) == 20);

    ledger.record(at(30s, 2s, 100), desktop_table()); // typed into A at +28 s
    CHECK(focus_idle(ledger, 100) == 2);
    CHECK(focus_idle(ledger, 200) == 21); // A's input does not reset B
    CHECK(ledger.input_idle_s() == 2);
}

TEST_CASE("a window of a descendant credits the app, also after the descendant ended") {
    ActivityLedger ledger(100);
    ledger.record(at(0s, 5s, std::nullopt), desktop_table());
    ledger.record(at(10s, 1s, 202), desktop_table()); // the helper's plot window
    CHECK(focus_idle(ledger, 201) == 1);
    CHECK(focus_idle(ledger, 200) == 1);
    CHECK(focus_idle(ledger, 100) == 10);

    auto without_helper = desktop_table();
    std::erase_if(without_helper, [](const ProcessEntry& entry) { return entry.pid == 202; });
    ledger.record(at(20s, 11s, std::nullopt), without_helper);
    CHECK(focus_idle(ledger, 201) == 11);
}

TEST_CASE("focus that moves without input credits nothing; nor does unknown focus") {
    ActivityLedger ledger(100);
    ledger.record(at(0s, 0s, 100), desktop_table());
    ledger.record(at(5s, 4s, 100), desktop_table());           // input to A at +1 s
    ledger.record(at(10s, 9s, 200), desktop_table());          // a window took focus, no input
    ledger.record(at(15s, 1s, std::nullopt), desktop_table()); // input, no window with a pid
    ledger.record(at(20s, 6s, 200), desktop_table());
    CHECK(focus_idle(ledger, 200) == 20);
    CHECK(focus_idle(ledger, 100) == 19);
    // Several samples of the same input, a few ms apart: still one input, at +14 s.
    ledger.record({t0 + 25s + 300ms, 11000 + 300, 200}, desktop_table());
    CHECK(focus_idle(ledger, 200) == 25);
}

TEST_CASE("a display lost and found again counts idle from when it came back") {
    ActivityLedger ledger(100);
    ledger.record(at(0s, 1s, 100), desktop_table());
    ledger.record({t0 + 10s, std::nullopt, std::nullopt}, desktop_table());
    CHECK_FALSE(ledger.app(100, 60s).focus_idle_s);
    ledger.record(at(20s, 20s, 100), desktop_table());
    ledger.record(at(25s, 25s, 100), desktop_table());
    CHECK(focus_idle(ledger, 100) == 5);
}

TEST_CASE("CPU is the process tree's ticks over the window, in percent of one core") {
    ActivityLedger ledger(100);
    ledger.record(at(0s, 0s, 100), desktop_table(0, 0));
    ledger.record(at(5s, 5s, 100), desktop_table(100, 50));
    ledger.record(at(10s, 10s, 100), desktop_table(500, 100));
    // A: 500 ticks = 5 s of CPU in 10 s. B's tree: 200 and 201, 100 ticks each, 2 s in 10 s.
    CHECK(ledger.app(100, 60s).cpu_percent == Approx(50));
    CHECK(ledger.app(200, 60s).cpu_percent == Approx(20));
    CHECK(ledger.app(201, 60s).cpu_percent == Approx(10));
    CHECK(ledger.app(300, 60s).cpu_percent == Approx(0));
    // Over the last 5 s only: A 400 ticks, B's tree 100.
    CHECK(ledger.app(100, 5s).cpu_percent == Approx(80));
    CHECK(ledger.app(200, 5s).cpu_percent == Approx(20));

    // A process started inside the window counts with all its ticks.
    auto table = desktop_table(500, 100);
    table.push_back(test_rows::process(203, 201, 300));
    ledger.record(at(15s, 15s, 100), table);
    CHECK(ledger.app(201, 5s).cpu_percent == Approx(60));
}

TEST_CASE("an app not in the last table has no figures") {
    ActivityLedger ledger(100);
    ledger.record(at(0s, 0s, 100), desktop_table());
    const auto app = ledger.app(999, 60s);
    CHECK_FALSE(app.focus_idle_s);
    CHECK(app.cpu_percent == 0);
    // One sample measures no CPU yet.
    CHECK(ledger.app(100, 60s).cpu_percent == 0);
}
