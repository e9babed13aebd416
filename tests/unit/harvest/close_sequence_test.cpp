// The close sequence on a real store file and a real agent mailbox, with a scripted agent thread
// answering the commands: every outcome, the "too soon" retry, the confirmation by the next
// polls. The release stands in for the adapter (the integration test uses the FlexNet plugin).
#include "harvest/close_sequences.hpp"
#include "harvest/planner.hpp"
#include "policy_fixture.hpp"
#include "store_fixture.hpp"

#include "json/iso_time.hpp"
#include <algorithm>
#include <catch2/catch.hpp>
#include <lmharvest/status.h>
#include <thread>

using namespace lmharvest;
using namespace std::chrono_literals;

namespace {

const std::string agent = "ann-pc:1000";

// An agent on its own thread: takes each command for `agent` and answers `outcome` (none: it
// stays silent), with a saved project for saved_and_closed.
class ScriptedAgent {
public:
    ScriptedAgent(AgentMailbox& mailbox, std::optional<std::string> outcome)
        : mailbox_(mailbox), thread_([this, outcome] {
              while (!stop_) {
                  for (const AgentCommand& command : mailbox_.take(agent, 50ms)) {
                      std::lock_guard lock(mutex_);
                      commands_.push_back(command);
                      if (!outcome)
                          continue;
                      AgentResult result{command.id, *outcome, {}, "scripted"};
                      if (*outcome == "saved_and_closed")
                          result.projects.push_back(
                              {0, "", "", "MATLAB R2024b", "/home/ann/model.m", now});
                      answers_ok_ = answers_ok_ && bool(mailbox_.answer(agent, result));
                  }
              }
          }) {}
    ~ScriptedAgent() {
        stop_ = true;
        thread_.join();
    }
    std::vector<AgentCommand> commands() {
        std::lock_guard lock(mutex_);
        return commands_;
    }
    bool answers_ok() {
        std::lock_guard lock(mutex_);
        return answers_ok_;
    }

private:
    AgentMailbox& mailbox_;
    std::atomic<bool> stop_{false};
    std::mutex mutex_;
    std::vector<AgentCommand> commands_;
    bool answers_ok_ = true;
    std::thread thread_;
};

// The adapter's close_session, scripted: the answers in order, then LH_OK.
struct ScriptedRelease {
    std::mutex mutex;
    std::vector<CloseResult> answers;
    int calls = 0;
    CloseResult operator()(int64_t) {
        std::lock_guard lock(mutex);
        const std::size_t index = static_cast<std::size_t>(calls++);
        return index < answers.size() ? answers[index] : CloseResult{};
    }
    int count() {
        std::lock_guard lock(mutex);
        return calls;
    }
};

// One MATLAB pool of 1 license, ann's session in it, ann's matlab idle 50 min.
struct Scene {
    StoreOnTempFile s;
    AgentMailbox mailbox;
    ClosesUnderWay under_way;
    ScriptedRelease release;
    std::atomic<int64_t> clock{now}; // the steps' times; the back-off tests move it
    std::unique_ptr<CloseSequences> sequences;
    int64_t session_id = 0;

    explicit Scene(std::vector<std::string> methods = {"save_and_close", "suspend", "notify"},
                   std::chrono::milliseconds agent_timeout = 5s) {
        s.record(poll_with_ann(true));
        session_id = s.store->open_sessions().at(0).id;
        this->methods = std::move(methods);
        report_idle();
        sequences = std::make_unique<CloseSequences>(
            CloseSequenceEnv{*s.store, mailbox, [this](int64_t id) { return release(id); },
                             agent_timeout, nullptr, [this] { return clock.load(); }},
            under_way);
    }
    std::vector<std::string> methods;
    // ann's agent reports her matlab idle 50 min, at the scene's clock.
    void report_idle() {
        AppActivity app = matlab_app("ann", 50);
        app.methods = methods;
        app.report_time = clock;
        s.store->replace_agent_activity(app.agent, {app});
    }
    static PollSnapshot poll_with_ann(bool ann) {
        PollSnapshot snapshot = make_snapshot("eng", now, {});
        snapshot.features.push_back(usage_of(1, ann ? 1 : 0));
        if (ann)
            snapshot.sessions.push_back(make_session("ann", "MATLAB", now - 3600));
        return snapshot;
    }
    PlanEntry entry(const std::string& method) const {
        PlanEntry e;
        e.server = "eng";
        e.vendor = "MLM";
        e.feature = "MATLAB";
        e.version = "1.0";
        e.session_id = session_id;
        e.user = "ann";
        e.host = "ann-pc";
        e.used = 1;
        e.total = 1;
        e.target = 0;
        e.idle_s = 50 * minute;
        e.close = true;
        e.reason = "idle 50 min > 20 min, used 1 > target 0";
        e.method = method;
        e.on_no_handler = "skip";
        return e;
    }
    int64_t start(const std::string& method, OnNoHandler on_no_handler = OnNoHandler::skip) {
        const PlanEntry e = entry(method);
        auto started =
            sequences->start(e, sequences->route_for(e, on_no_handler), "harvester", "harvest");
        REQUIRE(started);
        return *started;
    }
    // The action's steps as "step:outcome", once its last step is `last` (within 10 s).
    // The action's steps once its last step has outcome `last` for the `times`-th time: a
    // sequence that fails twice the same way passes through that outcome once on its way.
    std::vector<std::string> steps_until(int64_t action, const std::string& last, int times = 1) {
        const std::string suffix = ":" + last;
        for (int i = 0; i < 1000; ++i) {
            std::vector<std::string> steps;
            for (const Action& a : s.store->actions(100))
                if (a.id == action)
                    for (const ActionStep& step : a.steps)
                        steps.push_back(step.step + ":" + step.outcome);
            const auto seen = std::count_if(steps.begin(), steps.end(), [&](const std::string& x) {
                return x.ends_with(suffix);
            });
            if (!steps.empty() && steps.back().ends_with(suffix) && seen >= times)
                return steps;
            std::this_thread::sleep_for(10ms);
        }
        FAIL("action " << action << " never reached " << last);
        return {};
    }
    bool closing() const { return under_way.ids().count(session_id) == 1; }
    // Released and waiting for the polls (within 10 s): only then does a poll count for it.
    bool awaiting_confirmation() const {
        for (int i = 0; i < 1000 && !sequences->awaiting_confirmation(session_id); ++i)
            std::this_thread::sleep_for(10ms);
        return sequences->awaiting_confirmation(session_id);
    }
    // A sequence that ended lets go of its session right after its last step (within 10 s).
    bool let_go() const {
        for (int i = 0; i < 1000 && closing(); ++i)
            std::this_thread::sleep_for(10ms);
        return !closing();
    }
    int64_t counted(const std::string& method, const std::string& outcome) const {
        const CloseCounts counts = sequences->counts();
        const auto found = counts.find({"eng", "MATLAB", method, outcome});
        return found == counts.end() ? 0 : found->second;
    }
};

} // namespace

TEST_CASE("save_and_close: the agent saves, the license is released, the next poll confirms") {
    Scene scene;
    ScriptedAgent ann(scene.mailbox, "saved_and_closed");
    const int64_t action = scene.start("save_and_close");
    CHECK(scene.steps_until(action, "released") ==
          std::vector<std::string>{"start:started", "agent_command:posted",
                                   "agent_result:saved_and_closed", "release:released"});
    const auto commands = ann.commands();
    REQUIRE(commands.size() == 1);
    CHECK(commands[0].kind == "save_and_close");
    CHECK(commands[0].app == "matlab");
    CHECK(commands[0].pid == 4242);
    CHECK(commands[0].session_ids == std::vector<int64_t>{scene.session_id});
    CHECK(commands[0].reason == "idle 50 min, MATLAB 1 of 1 in use");
    CHECK(commands[0].deadline_s == 5);
    CHECK(ann.answers_ok());
    CHECK(scene.release.count() == 1);
    // The agent's saved projects are kept by the results route, not here: once, not twice.
    CHECK(scene.s.store->closed_projects("ann", 10).empty());

    // Released, not yet confirmed: still under way, so the planner leaves it alone.
    CHECK(scene.closing());
    REQUIRE(scene.awaiting_confirmation());
    scene.s.record(Scene::poll_with_ann(false)); // the store closes it as "gone"
    scene.sequences->on_good_poll("eng");
    CHECK(scene.steps_until(action, "confirmed").size() == 5);
    CHECK_FALSE(scene.closing());
    CHECK(scene.counted("save_and_close", "confirmed") == 1);
    // Every step carries the policy figures.
    const Action logged = scene.s.store->actions(1).at(0);
    CHECK(logged.actor == "harvester");
    CHECK(logged.steps.back().policy_json.find("\"target\":0") != std::string::npos);
}

TEST_CASE("a released session the polls still show is given up after 3 polls") {
    Scene scene;
    const int64_t action = scene.start("release");
    scene.steps_until(action, "released");
    REQUIRE(scene.awaiting_confirmation());
    for (int poll = 0; poll < 2; ++poll) {
        scene.s.record(Scene::poll_with_ann(true));
        scene.sequences->on_good_poll("eng");
        CHECK(scene.closing());
    }
    scene.sequences->on_good_poll("other-server"); // another server's poll says nothing
    CHECK(scene.closing());
    scene.s.record(Scene::poll_with_ann(true));
    scene.sequences->on_good_poll("eng");
    CHECK(scene.steps_until(action, "not_confirmed").back() == "confirm:not_confirmed");
    CHECK_FALSE(scene.closing());
    CHECK(
        scene.s.store->actions(1).at(0).steps.back().message.starts_with("release not confirmed"));
}

TEST_CASE("an agent that never answers: agent_timeout, nothing released") {
    Scene scene({"save_and_close"}, 200ms);
    ScriptedAgent silent(scene.mailbox, std::nullopt);
    const int64_t action = scene.start("save_and_close");
    CHECK(scene.steps_until(action, "agent_timeout") ==
          std::vector<std::string>{"start:started", "agent_command:posted",
                                   "agent_result:agent_timeout"});
    CHECK(silent.commands().size() == 1);
    CHECK(scene.release.count() == 0);
    CHECK(scene.let_go());
    CHECK(scene.counted("save_and_close", "agent_timeout") == 1);
}

TEST_CASE("the agent's answer decides: failed, refused and app_gone release nothing") {
    // app_gone: the app the plan named had ended before the command came. The license may be
    // another app's now (the user opened it again), so nothing is released on that guess.
    const auto [answer, last] = GENERATE(table<std::string, std::string>({
        {"failed", "agent_failed"},
        {"refused", "agent_refused"},
        {"app_gone", "app_gone"},
    }));
    Scene scene;
    ScriptedAgent ann(scene.mailbox, answer);
    const int64_t action = scene.start("save_and_close");
    const auto steps = scene.steps_until(action, last);
    CHECK(steps.at(2) == "agent_result:" + last);
    CHECK(scene.release.count() == 0);
    CHECK(scene.let_go());
}

TEST_CASE("an app the agent saved and closed, or found gone, leaves the host's copy of the "
          "agent's report; one it failed to close or suspended stays") {
    const auto [answer, method, last, stays] =
        GENERATE(table<std::string, std::string, std::string, bool>({
            {"saved_and_closed", "save_and_close", "released", false},
            {"app_gone", "save_and_close", "app_gone", false},
            {"failed", "save_and_close", "agent_failed", true},
            {"suspended", "suspend", "released", true},
        }));
    Scene scene;
    ScriptedAgent ann(scene.mailbox, answer);
    REQUIRE(scene.s.store->activity().size() == 1);
    scene.steps_until(scene.start(method), last);
    // Its stale idle figures would otherwise make the next session of this user (the app
    // reopened) look idle before the agent reported the new app.
    CHECK(scene.s.store->activity().size() == (stays ? 1u : 0u));
}

TEST_CASE("suspend releases after the agent suspended the app; notify releases nothing") {
    SECTION("suspend") {
        Scene scene;
        ScriptedAgent ann(scene.mailbox, "suspended");
        const int64_t action = scene.start("suspend");
        CHECK(scene.steps_until(action, "released").at(2) == "agent_result:suspended");
        CHECK(ann.commands().at(0).kind == "suspend");
        CHECK(scene.release.count() == 1);
    }
    SECTION("notify") {
        Scene scene;
        ScriptedAgent ann(scene.mailbox, "notified");
        const int64_t action = scene.start("notify");
        CHECK(scene.steps_until(action, "notified").size() == 3);
        const auto commands = ann.commands();
        REQUIRE(commands.size() == 1);
        CHECK(commands[0].kind == "notify");
        CHECK(commands[0].text.starts_with("Please close matlab: idle 50 min"));
        CHECK(scene.release.count() == 0);
        CHECK(scene.let_go());
    }
}

TEST_CASE("method release asks no agent") {
    Scene scene;
    ScriptedAgent ann(scene.mailbox, "saved_and_closed");
    const int64_t action = scene.start("release");
    CHECK(scene.steps_until(action, "released") ==
          std::vector<std::string>{"start:started", "release:released"});
    CHECK(ann.commands().empty());
}

TEST_CASE("no handler for the method: on_no_handler skip does nothing, release releases") {
    Scene scene({"notify"}); // matlab's handler cannot save_and_close
    SECTION("skip") {
        const int64_t action = scene.start("save_and_close");
        const auto steps = scene.steps_until(action, "skipped");
        CHECK(steps.back() == "route:skipped");
        CHECK(scene.s.store->actions(1).at(0).steps.back().message ==
              "no handler for save_and_close");
        CHECK(scene.release.count() == 0);
    }
    SECTION("release") {
        const int64_t action = scene.start("save_and_close", OnNoHandler::release);
        CHECK(scene.steps_until(action, "released") ==
              std::vector<std::string>{"start:started", "release:released"});
    }
}

TEST_CASE("too soon: one retry at retry_after, never a loop") {
    Scene scene;
    const CloseResult too_soon{LH_ERR_TOO_SOON, "lmremove request before the minimum interval",
                               100};
    SECTION("the retry releases") {
        scene.release.answers = {too_soon};
        const int64_t action = scene.start("release");
        CHECK(scene.steps_until(action, "released") ==
              std::vector<std::string>{"start:started", "release:too_soon", "retry:waiting",
                                       "release:released"});
        CHECK(scene.release.count() == 2);
    }
    SECTION("the second failure ends it") {
        scene.release.answers = {too_soon, too_soon, too_soon};
        const int64_t action = scene.start("release");
        CHECK(scene.steps_until(action, "too_soon", 2) ==
              std::vector<std::string>{"start:started", "release:too_soon", "retry:waiting",
                                       "release:too_soon"});
        std::this_thread::sleep_for(300ms); // no third attempt comes
        CHECK(scene.release.count() == 2);
        CHECK(scene.let_go());
        CHECK(scene.counted("release", "too_soon") == 1);
    }
}

TEST_CASE("a session under way cannot start a second sequence") {
    Scene scene({"save_and_close"}, 10s);
    ScriptedAgent silent(scene.mailbox, std::nullopt);
    scene.start("save_and_close");
    const PlanEntry e = scene.entry("save_and_close");
    const auto second = scene.sequences->start(e, scene.sequences->route_for(e, OnNoHandler::skip),
                                               "harvester", "harvest");
    REQUIRE_FALSE(second);
    CHECK(second.error() == "close already under way");
    scene.sequences->stop(); // ends the wait: agent_timeout, nothing released
    CHECK(scene.release.count() == 0);
}

TEST_CASE("the planner starts a sequence when dry_run is false; the next plan skips it") {
    Scene scene({"save_and_close"}, 10s);
    ScriptedAgent silent(scene.mailbox, std::nullopt);
    Config config;
    config.harvest.dry_run = false;
    config.harvest.threshold = 0.5; // 1 of 1 in use: target 0
    Planner planner(
        *scene.s.store,
        [&config] { return std::shared_ptr<const Config>(&config, [](const Config*) {}); },
        [] { return now; }, scene.sequences.get());
    planner.plan_server("eng");
    const auto actions = scene.s.store->actions(10);
    REQUIRE(actions.size() == 1);
    CHECK(actions[0].kind == "harvest");
    CHECK_FALSE(actions[0].dry_run);
    for (int i = 0; i < 500 && silent.commands().empty(); ++i)
        std::this_thread::sleep_for(10ms);
    CHECK(silent.commands().size() == 1);
    const auto plan = planner.plan_server("eng");
    REQUIRE(plan.size() == 1);
    CHECK_FALSE(plan[0].close);
    CHECK(plan[0].reason == "close already under way");
    CHECK(scene.s.store->actions(10).size() == 1);
    scene.sequences->stop();
}

namespace {

// The planner over the scene, harvesting for real (1 of 1 in use, threshold 0.5: target 0), at
// the scene's clock.
struct HarvestingScene : Scene {
    Config config;
    Planner planner{*s.store,
                    [this] { return std::shared_ptr<const Config>(&config, [](const Config*) {}); },
                    [this] { return clock.load(); }, sequences.get()};
    HarvestingScene() : Scene({"save_and_close"}, 200ms) {
        config.harvest.dry_run = false;
        config.harvest.threshold = 0.5;
    }
    // Moves the clock on, ann's agent reports again, the poll still shows her, and the planner
    // plans: ann's entry.
    PlanEntry plan_after(int64_t seconds) {
        clock += seconds;
        report_idle();
        const auto plan = planner.plan_server("eng");
        REQUIRE(plan.size() == 1);
        return plan[0];
    }
    std::vector<Action> harvests() const {
        std::vector<Action> found;
        for (const Action& a : s.store->actions(100))
            if (a.kind == "harvest")
                found.push_back(a);
        return found;
    }
    // The newest sequence has ended with `last` and let go of the session: its end time.
    int64_t ended(const std::string& last) {
        steps_until(harvests().at(0).id, last);
        REQUIRE(let_go());
        return harvests().at(0).steps.back().time;
    }
};

} // namespace

TEST_CASE("a close that ended as agent_timeout keeps the session out of the plans for "
          "retry_after_failed, then twice as long after a second one; a restart keeps it") {
    HarvestingScene scene;
    ScriptedAgent silent(scene.mailbox, std::nullopt);
    REQUIRE(scene.plan_after(0).close);
    const int64_t first_end = scene.ended("agent_timeout");

    // The plans after it keep ann, saying why and until when: no new command, however often.
    for (int poll = 0; poll < 5; ++poll) {
        const PlanEntry kept = scene.plan_after(minute);
        CHECK_FALSE(kept.close);
        CHECK(kept.next_try == first_end + 15 * minute);
        CHECK(kept.reason == "idle 50 min > 20 min, but last close failed: agent_timeout; next "
                             "try after " +
                                 iso8601_local(first_end + 15 * minute));
    }
    CHECK(scene.harvests().size() == 1);
    CHECK(silent.commands().size() == 1);
    CHECK(scene.s.store->harvest_plan("eng").at(0).next_try == first_end + 15 * minute);

    // 15 min after the end it is a candidate again: a second sequence, a second command.
    const PlanEntry again = scene.plan_after(first_end + 15 * minute - scene.clock);
    CHECK(again.close);
    CHECK_FALSE(again.next_try);
    const int64_t second_end = scene.ended("agent_timeout");
    CHECK(scene.harvests().size() == 2);
    CHECK(silent.commands().size() == 2);

    // The second failure in a row doubles it: 30 min.
    const PlanEntry doubled = scene.plan_after(minute);
    CHECK_FALSE(doubled.close);
    CHECK(doubled.next_try == second_end + 30 * minute);
    CHECK_THAT(doubled.reason, Catch::Contains("agent_timeout (2 in a row); next try after"));
    CHECK_FALSE(scene.plan_after(29 * minute - minute).close);

    // A store opened anew on the file still tells: the back-off comes from the audit log.
    const auto reopened = StoreOnTempFile::open(scene.s.file);
    Planner restarted(
        *reopened,
        [&scene] { return std::shared_ptr<const Config>(&scene.config, [](const Config*) {}); },
        [&scene] { return scene.clock.load(); });
    scene.report_idle();
    const auto plan = restarted.plan_server("eng");
    REQUIRE(plan.size() == 1);
    CHECK_FALSE(plan[0].close);
    CHECK(plan[0].next_try == second_end + 30 * minute);
}

TEST_CASE("a close that released the license starts the back-off's count again") {
    HarvestingScene scene;
    {
        ScriptedAgent silent(scene.mailbox, std::nullopt);
        REQUIRE(scene.plan_after(0).close);
        scene.ended("agent_timeout");
    }
    ScriptedAgent ann(scene.mailbox, "saved_and_closed");
    REQUIRE(scene.plan_after(15 * minute).close); // the back-off of the first failure is over
    REQUIRE(scene.awaiting_confirmation());
    // The polls still show the session: after 3 of them the release is given up, not_confirmed.
    for (int poll = 0; poll < CloseSequences::confirm_polls; ++poll) {
        scene.s.record(Scene::poll_with_ann(true));
        scene.sequences->on_good_poll("eng");
    }
    const int64_t end = scene.ended("not_confirmed");
    const PlanEntry kept = scene.plan_after(minute);
    CHECK_FALSE(kept.close);
    CHECK(kept.next_try == end + 15 * minute); // a first failure again, not the second's 30 min
    CHECK_THAT(kept.reason, Catch::Contains("last close failed: not_confirmed; next try after"));
    CHECK(ann.commands().size() == 1);
}
