// A report whose process list was taken before a save ended an app must not bring that app back
// to the host; a later list cannot show it, and a pid reused later is another app.
#include "agent/ended_apps.hpp"

#include <catch2/catch.hpp>

using namespace lmharvest;
using namespace lmharvest::agent;
using namespace std::chrono_literals;

namespace {

AgentReport report_of(std::initializer_list<int64_t> pids) {
    AgentReport report;
    for (const int64_t pid : pids) {
        ReportedApp app;
        app.app = "matlab";
        app.pid = pid;
        report.apps.push_back(app);
    }
    return report;
}

std::vector<int64_t> pids_of(const AgentReport& report) {
    std::vector<int64_t> pids;
    for (const ReportedApp& app : report.apps)
        pids.push_back(app.pid);
    return pids;
}

} // namespace

TEST_CASE("an app that ended after a report's list was taken is dropped from that report only") {
    const EndedApps::Clock::time_point start{};
    EndedApps ended;
    ended.ended(4242, start + 5s);

    AgentReport listed_before = report_of({4242, 77});
    ended.drop_from(listed_before, start + 4s);
    CHECK(pids_of(listed_before) == std::vector<int64_t>{77});

    // A list taken after the app ended: pid 4242 there is a new process, and it stays.
    AgentReport listed_after = report_of({4242, 77});
    ended.drop_from(listed_after, start + 6s);
    CHECK(pids_of(listed_after) == std::vector<int64_t>{4242, 77});
    AgentReport once_more = report_of({4242});
    ended.drop_from(once_more, start + 4s); // forgotten: even an old list keeps it now
    CHECK(pids_of(once_more) == std::vector<int64_t>{4242});
}

TEST_CASE("a report listed at the moment the app ended drops it") {
    const EndedApps::Clock::time_point at{100s};
    EndedApps ended;
    ended.ended(9, at);
    AgentReport report = report_of({9});
    ended.drop_from(report, at);
    CHECK(report.apps.empty());
}
