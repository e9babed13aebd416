// The way back from a suspend, as plain data: who is asked about at a report, who was offered,
// which features lack a license in the host's answer.
#include "agent/resume_queue.hpp"

#include <catch2/catch.hpp>

using namespace lmharvest;
using namespace lmharvest::agent;

namespace {

SuspendedApp app(int64_t pid, std::vector<std::string> features, int64_t command = 17) {
    return {pid, "matlab", std::move(features), command, 0};
}

std::vector<int64_t> pids(const std::vector<SuspendedApp>& apps) {
    std::vector<int64_t> out;
    for (const SuspendedApp& a : apps)
        out.push_back(a.pid);
    return out;
}

} // namespace

TEST_CASE("resume queue: suspended, waiting after a refused click, offered once one is free") {
    ResumeQueue queue;
    queue.add(app(4242, {"MATLAB"}));
    CHECK(queue.state(4242) == ResumeState::suspended);
    CHECK(queue.to_ask().empty()); // nobody asked yet: nothing to ask the host about
    queue.wait(4242);              // a click found no license free
    CHECK(queue.state(4242) == ResumeState::waiting);
    CHECK(pids(queue.to_ask()) == std::vector<int64_t>{4242});
    queue.offer(4242); // a report found one free and told the user
    CHECK(queue.state(4242) == ResumeState::offered);
    CHECK(queue.to_ask().empty()); // told once, not at every report
    queue.wait(4242);              // the click on the offer came too late: asked about again
    CHECK(pids(queue.to_ask()) == std::vector<int64_t>{4242});
    queue.remove(4242);
    CHECK_FALSE(queue.state(4242).has_value());
    CHECK_FALSE(queue.find(4242).has_value());
    queue.wait(4242); // unknown pids change nothing
    CHECK(queue.to_ask().empty());
}

TEST_CASE("resume queue: oldest first, suspended again starts over, ended apps are dropped") {
    ResumeQueue queue;
    queue.add(app(300, {"MATLAB"}, 1));
    queue.add(app(100, {"Signal_Toolbox", "MATLAB"}, 2));
    queue.add(app(200, {"SIMULINK"}, 3));
    for (int64_t pid : {100, 200, 300})
        queue.wait(pid);
    CHECK(pids(queue.to_ask()) == std::vector<int64_t>{300, 100, 200}); // by suspend, not pid
    CHECK(queue.using_feature("MATLAB")->pid == 300);
    CHECK(queue.using_feature("Signal_Toolbox")->pid == 100);
    CHECK_FALSE(queue.using_feature("ARC/INFO").has_value());

    queue.add(app(300, {"MATLAB"}, 9)); // stopped again by a newer command
    CHECK(queue.state(300) == ResumeState::suspended);
    CHECK(queue.find(300)->command == 9);
    CHECK(queue.using_feature("MATLAB")->pid == 100);

    const auto ended = queue.drop_ended([](const SuspendedApp& app) { return app.pid != 200; });
    CHECK(pids(ended) == std::vector<int64_t>{200});
    CHECK(pids(queue.to_ask()) == std::vector<int64_t>{100});
}

TEST_CASE("resume queue: features without a free license in the host's answer") {
    LicensesAnswer answer;
    answer.features = {{"MATLAB", 1, 9, 10, false, 1},
                       {"Signal_Toolbox", 0, 5, 5, false, 2},
                       {"Uncounted", 0, 4, 0, true, 1},
                       {"Gone", 0, 0, 0, false, 0}};
    CHECK(features_without_license(answer, {"MATLAB"}).empty());
    CHECK(features_without_license(answer, {"Uncounted"}).empty());
    CHECK(features_without_license(answer, {"MATLAB", "Signal_Toolbox"}) ==
          std::vector<std::string>{"Signal_Toolbox"});
    // Not listed by any server, or not in the answer at all: none free.
    CHECK(features_without_license(answer, {"Gone", "Missing"}) ==
          std::vector<std::string>{"Gone", "Missing"});
    CHECK(feature_list({"MATLAB"}) == "MATLAB");
    CHECK(feature_list({"MATLAB", "Signal_Toolbox"}) == "MATLAB and Signal_Toolbox");
    CHECK(feature_list({"A", "B", "C"}) == "A, B and C");
}
