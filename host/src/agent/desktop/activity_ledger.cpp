#include "agent/desktop/activity_ledger.hpp"

#include <algorithm>
#include <unordered_set>

namespace lmharvest::agent {
namespace {

using namespace std::chrono_literals;

// Last-input times computed from two samples differ by the time between reading the clock and
// asking the X server; input is new only when it is later than this.
constexpr auto input_jitter = 500ms;

} // namespace

ActivityLedger::ActivityLedger(double ticks_per_second) : ticks_per_second_(ticks_per_second) {}

void ActivityLedger::record(const DesktopSample& desktop, const std::vector<ProcessEntry>& table) {
    table_ = table;
    by_pid_.clear();
    for (std::size_t i = 0; i < table_.size(); ++i)
        by_pid_.emplace(table_[i].pid, i);
    if (!desktop.input_idle_ms) {
        display_since_.reset();
        last_input_.reset();
    } else if (!display_since_) {
        display_since_ = desktop.time;
    }
    credit_input(desktop);
    forget_ended();
    for (const auto& entry : table_)
        first_seen_.try_emplace(entry.pid, desktop.time);

    CpuSample sample{desktop.time, {}};
    for (const auto& entry : table_)
        sample.ticks.emplace(entry.pid, entry.cpu_ticks);
    cpu_.push_back(std::move(sample));
    while (cpu_.size() > 1 && cpu_.front().time < desktop.time - cpu_history)
        cpu_.pop_front();
    last_ = desktop;
}

// Input since the last sample goes to the window focused now: input and focus come together
// (a click focuses), and a window that takes focus without input gets nothing. The first sample
// with X cannot tell where earlier input went, so it credits nobody.
void ActivityLedger::credit_input(const DesktopSample& desktop) {
    if (!desktop.input_idle_ms)
        return;
    const auto input_time = desktop.time - std::chrono::milliseconds(*desktop.input_idle_ms);
    const bool is_new = last_input_ && input_time > *last_input_ + input_jitter;
    if (!last_input_ || is_new)
        last_input_ = input_time;
    if (!is_new || !desktop.focused_pid)
        return;
    auto chain = ancestors(*desktop.focused_pid);
    chain.insert(chain.begin(), *desktop.focused_pid);
    credits_[*desktop.focused_pid] = Credit{input_time, std::move(chain)};
}

void ActivityLedger::forget_ended() {
    std::erase_if(first_seen_, [&](const auto& item) { return !by_pid_.contains(item.first); });
    // A credit stays while any process of its chain lives: the window of an ended helper still
    // counts for the app that started it.
    std::erase_if(credits_, [&](const auto& item) {
        return std::none_of(item.second.chain.begin(), item.second.chain.end(),
                            [&](int64_t pid) { return by_pid_.contains(pid); });
    });
}

std::vector<int64_t> ActivityLedger::ancestors(int64_t pid) const {
    std::vector<int64_t> chain;
    std::unordered_set<int64_t> seen{pid};
    for (auto it = by_pid_.find(pid); it != by_pid_.end(); it = by_pid_.find(chain.back())) {
        const auto parent = table_[it->second].ppid;
        if (parent <= 0 || !seen.insert(parent).second)
            break;
        chain.push_back(parent);
    }
    return chain;
}

// The latest input credited to a window of the app at `pid`: a window whose process is `pid`,
// one of its descendants (then or now), or one of its ancestors (the terminal it runs in).
std::optional<ActivityClock::time_point> ActivityLedger::last_input_to(int64_t pid) const {
    const auto up = ancestors(pid);
    std::optional<ActivityClock::time_point> latest;
    for (const auto& [focused, credit] : credits_) {
        const bool related =
            std::find(credit.chain.begin(), credit.chain.end(), pid) != credit.chain.end() ||
            std::find(up.begin(), up.end(), focused) != up.end();
        if (related && (!latest || credit.input_time > *latest))
            latest = credit.input_time;
    }
    return latest;
}

std::optional<int64_t> ActivityLedger::input_idle_s() const {
    if (!last_.input_idle_ms)
        return std::nullopt;
    return *last_.input_idle_ms / 1000;
}

AppActivity ActivityLedger::app(int64_t pid, std::chrono::seconds window) const {
    AppActivity activity;
    if (!by_pid_.contains(pid))
        return activity;
    activity.cpu_percent = cpu_percent(process_tree(table_, pid), window);
    if (!display_since_)
        return activity;
    // Idle is counted from the last input credited to the app, and at most from when both the
    // app and the display were first seen: input before that went who knows where.
    auto since = std::max(*display_since_, first_seen_.at(pid));
    if (const auto input = last_input_to(pid))
        since = std::max(since, *input);
    activity.focus_idle_s =
        std::chrono::duration_cast<std::chrono::seconds>(last_.time - since).count();
    return activity;
}

double ActivityLedger::cpu_percent(const std::vector<int64_t>& tree,
                                   std::chrono::seconds window) const {
    if (cpu_.size() < 2)
        return 0;
    const auto& now = cpu_.back();
    // The oldest sample inside the window (or the oldest kept, for a window longer than that).
    const auto start = std::find_if(cpu_.begin(), cpu_.end() - 1, [&](const CpuSample& s) {
        return s.time >= now.time - window;
    });
    const double seconds = std::chrono::duration<double>(now.time - start->time).count();
    if (seconds <= 0)
        return 0;
    uint64_t ticks = 0;
    for (const auto pid : tree) {
        const auto current = now.ticks.find(pid);
        if (current == now.ticks.end())
            continue;
        // A process started inside the window has all its ticks inside it.
        const auto before = start->ticks.find(pid);
        const auto base = before == start->ticks.end() ? 0 : before->second;
        ticks += current->second > base ? current->second - base : 0;
    }
    return 100.0 * static_cast<double>(ticks) / ticks_per_second_ / seconds;
}

} // namespace lmharvest::agent
