#include "agent/desktop/activity_sampler.hpp"
#include "desktop_session.hpp"

#include <catch2/catch.hpp>
#include <thread>
#include <unistd.h>

using namespace lmharvest;
using namespace lmharvest::agent;
using namespace std::chrono_literals;

namespace {

std::unique_ptr<test::DesktopSession> start_x() {
    auto desktop = test::DesktopSession::start({.session_bus = false, .notifications = false});
    if (!desktop)
        FAIL(desktop.error());
    return std::move(*desktop);
}

test::TestWindow open(const test::DesktopSession& desktop, const std::string& title,
                      bool spin = false, const std::vector<std::string>& child = {}) {
    auto window = desktop.open_window(title, spin, child);
    if (!window)
        FAIL(window.error());
    return std::move(*window);
}

void check(const Expected<void>& done) {
    if (!done)
        FAIL(done.error());
}

std::vector<ProcessEntry> sample(ActivitySampler& sampler) {
    auto table = list_processes(::getuid());
    REQUIRE(table);
    sampler.sample(*table);
    return *table;
}

int64_t focus_idle(const ActivitySampler& sampler, int64_t pid) {
    const auto idle = sampler.app(pid, 60s).focus_idle_s;
    REQUIRE(idle);
    return *idle;
}

// Samples every 500 ms for `duration`, as the agent's loop does every few seconds.
void sample_for(ActivitySampler& sampler, std::chrono::milliseconds duration) {
    const auto end = std::chrono::steady_clock::now() + duration;
    while (std::chrono::steady_clock::now() < end) {
        std::this_thread::sleep_for(500ms);
        sample(sampler);
    }
}

} // namespace

TEST_CASE("input sent to one window resets only that app's focus idle, and the app inside it") {
    const auto desktop = start_x();
    const auto a = open(*desktop, "A");
    const auto terminal = open(*desktop, "B", false, {"sleep", "600"});
    ActivitySampler sampler(desktop->display());
    REQUIRE(sampler.has_display());
    const auto table = sample(sampler);
    const auto inside = std::find_if(table.begin(), table.end(), [&](const ProcessEntry& entry) {
        return entry.ppid == terminal.process->pid();
    });
    REQUIRE(inside != table.end()); // the app inside the terminal, as octave-cli in an xterm

    sample_for(sampler, 1500ms);
    check(desktop->focus(a.id));
    REQUIRE(desktop->run({"xdotool", "key", "x"}));
    sample_for(sampler, 2500ms);
    const auto a_idle = focus_idle(sampler, a.process->pid());
    CHECK(a_idle <= 3);
    CHECK(focus_idle(sampler, terminal.process->pid()) > a_idle);
    CHECK(focus_idle(sampler, inside->pid) > a_idle);

    check(desktop->focus(terminal.id));
    REQUIRE(desktop->run({"xdotool", "key", "y"}));
    sample_for(sampler, 1000ms);
    CHECK(focus_idle(sampler, terminal.process->pid()) <= 1);
    CHECK(focus_idle(sampler, inside->pid) <= 1);
    CHECK(focus_idle(sampler, a.process->pid()) >= a_idle); // B's input did not reset A
    REQUIRE(sampler.input_idle_s());
    CHECK(*sampler.input_idle_s() <= 1);
}

TEST_CASE("a CPU-busy app is above the busy threshold, an idle one near zero") {
    const auto desktop = start_x();
    const auto busy = open(*desktop, "busy", true);
    const auto calm = open(*desktop, "calm");
    ActivitySampler sampler(desktop->display());
    sample(sampler);
    sample_for(sampler, 3000ms);
    CHECK(sampler.app(busy.process->pid(), 60s).cpu_percent > 5); // DESIGN §4a busy_cpu
    CHECK(sampler.app(calm.process->pid(), 60s).cpu_percent < 1);
}

TEST_CASE("without a display, input is unknown and CPU still works") {
    auto busy = test::ChildProcess::start({"sh", "-c", "while :; do :; done"});
    REQUIRE(busy);
    for (const std::string display : {"", ":4242"}) {
        ActivitySampler sampler(display);
        CHECK_FALSE(sampler.has_display());
        sample(sampler);
        sample_for(sampler, 1500ms);
        CHECK_FALSE(sampler.input_idle_s());
        const auto app = sampler.app((*busy)->pid(), 60s);
        CHECK_FALSE(app.focus_idle_s);
        CHECK(app.cpu_percent > 5);
    }
}

TEST_CASE("an X server that goes away makes input unknown, and the agent keeps running") {
    auto desktop = start_x();
    const auto a = open(*desktop, "A");
    ActivitySampler sampler(desktop->display());
    sample(sampler);
    sample_for(sampler, 1000ms);
    REQUIRE(sampler.app(a.process->pid(), 60s).focus_idle_s);
    const auto pid = static_cast<int64_t>(::getpid());
    desktop->stop_x_server();
    sample(sampler);
    sample(sampler);
    CHECK_FALSE(sampler.has_display());
    CHECK_FALSE(sampler.input_idle_s());
    CHECK_FALSE(sampler.app(pid, 60s).focus_idle_s);
}
