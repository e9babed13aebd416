// The suspended apps kept across agent restarts: the file round-trips and names a bad field, and
// a restarted agent queues again exactly the apps that still run as the same process.
#include "agent/resumer.hpp"
#include "agent/suspended_file.hpp"
#include "temp_folder.hpp"

#include <catch2/catch.hpp>
#include <csignal>
#include <fstream>
#include <nlohmann/json.hpp>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

using namespace lmharvest;
using namespace lmharvest::agent;
using lmharvest::test::TempFolder;

namespace {

// A `sleep 300` child, stopped as a suspend would; killed and reaped at the end.
struct StoppedChild {
    StoppedChild() {
        std::string command = "sleep", seconds = "300";
        char* argv[] = {command.data(), seconds.data(), nullptr};
        REQUIRE(::posix_spawnp(&pid, "sleep", nullptr, nullptr, argv, environ) == 0);
        ::kill(pid, SIGSTOP);
    }
    // "T" once the stop took effect (the child may not have run since the signal was sent).
    bool stopped() const {
        for (int tries = 0; tries < 200; ++tries) {
            std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
            std::string line;
            std::getline(stat, line);
            if (line.rfind(')') != std::string::npos && line.substr(line.rfind(')') + 2, 1) == "T")
                return true;
            ::usleep(10000);
        }
        return false;
    }
    ~StoppedChild() {
        ::kill(pid, SIGKILL);
        ::waitpid(pid, nullptr, 0);
    }
    pid_t pid = 0;
};

// The pid of a process that has ended and been reaped.
pid_t ended_pid() {
    pid_t pid = 0;
    std::string command = "true";
    char* argv[] = {command.data(), nullptr};
    REQUIRE(::posix_spawnp(&pid, "true", nullptr, nullptr, argv, environ) == 0);
    ::waitpid(pid, nullptr, 0);
    return pid;
}

SuspendedApp matlab(int64_t pid, uint64_t start_ticks, int64_t command = 7) {
    return {pid, "matlab", {"MATLAB", "Signal_Toolbox"}, command, start_ticks};
}

nlohmann::json file_json(const TempFolder& dir) {
    std::ifstream in(dir.path / "suspended.json");
    return nlohmann::json::parse(in);
}

} // namespace

TEST_CASE("suspended file: what is saved is loaded, oldest first; no file is none") {
    const TempFolder dir("suspended");
    const SuspendedFile file(dir.path);
    CHECK(file.load()->empty());
    const KeptSuspensions apps{{matlab(300, 11), ResumeState::waiting},
                               {matlab(100, 22, 8), ResumeState::offered},
                               {matlab(200, 33, 9), ResumeState::suspended}};
    REQUIRE(file.save(apps));
    CHECK(*SuspendedFile(dir.path).load() == apps);
    CHECK_FALSE(std::filesystem::exists(dir.path / "suspended.json.new"));
}

TEST_CASE("suspended file: a file that does not parse is an error naming the field") {
    const TempFolder dir("suspended");
    const SuspendedFile file(dir.path);
    const auto with = [&](const std::string& text) {
        std::ofstream(dir.path / "suspended.json") << text;
        const auto loaded = file.load();
        REQUIRE_FALSE(loaded.has_value());
        return loaded.error();
    };
    CHECK_THAT(with("{\"apps\": [1"), Catch::EndsWith("not an object with an array \"apps\""));
    CHECK_THAT(with(R"({"apps": [{"pid": -4}]})"),
               Catch::EndsWith("apps[0].pid must be a whole number above 0"));
    CHECK_THAT(
        with(
            R"({"apps": [{"pid": 4, "start_ticks": 1, "command": 0, "app": "m", "features": [1]}]})"),
        Catch::EndsWith("apps[0].features must be an array of strings"));
    CHECK_THAT(with(R"({"apps": [{"pid": 4, "start_ticks": 1, "command": 0, "app": "m",
                                  "features": [], "state": "frozen"}]})"),
               Catch::EndsWith("apps[0].state must be suspended, waiting or offered"));
}

TEST_CASE("a restarted agent queues again the suspended apps that still run as the same "
          "process, tells their users, and drops the others from the file") {
    const TempFolder dir("suspended");
    StoppedChild still, reused;
    const uint64_t start = process_start_ticks(still.pid).value_or(0);
    REQUIRE(start != 0);
    const pid_t ended = ended_pid();
    REQUIRE(SuspendedFile(dir.path).save({
        {matlab(still.pid, start), ResumeState::suspended},
        {matlab(reused.pid, start + 1000), ResumeState::waiting}, // its pid, another process
        {matlab(ended, start), ResumeState::offered},
    }));

    std::vector<Message> told;
    ClientSettings no_host; // restoring asks the host nothing
    no_host.origin = "http://127.0.0.1:9";
    const auto restarted = [&] {
        return std::make_unique<Resumer>(
            no_host, "ws:1000", [&told](const Message& m) { told.push_back(m); },
            [] { return false; }, dir.path);
    };
    auto resumer = restarted();
    REQUIRE(told.size() == 1);
    CHECK(told[0].summary == "matlab is still suspended");
    CHECK_THAT(told[0].body, Catch::Contains("MATLAB and Signal_Toolbox is free"));
    CHECK(resumer->suspended_using("Signal_Toolbox") == still.pid);
    // The file holds the one app, waiting for a license now.
    const nlohmann::json kept = file_json(dir);
    REQUIRE(kept.at("apps").size() == 1);
    CHECK(kept["apps"][0].at("pid") == still.pid);
    CHECK(kept["apps"][0].at("state") == "waiting");
    CHECK(kept["apps"][0].at("command") == 7);

    // Another restart finds it again.
    resumer.reset();
    told.clear();
    resumer = restarted();
    CHECK(told.size() == 1);
    CHECK(resumer->suspended_using("MATLAB") == still.pid);
}

TEST_CASE("the same process runs only with the pid and the start it was suspended with") {
    StoppedChild child;
    const uint64_t start = process_start_ticks(child.pid).value_or(0);
    REQUIRE(start != 0);
    CHECK(same_process_runs(matlab(child.pid, start)));
    CHECK_FALSE(same_process_runs(matlab(child.pid, start + 1))); // the pid, reused
    CHECK(same_process_runs(matlab(child.pid, 0)));               // start unknown: the pid
    CHECK_FALSE(same_process_runs(matlab(ended_pid(), start)));
    CHECK_FALSE(same_process_runs(matlab(ended_pid(), 0)));
}

TEST_CASE("a suspended app whose pid now belongs to another process is never resumed") {
    const TempFolder dir("suspended");
    StoppedChild reused;
    REQUIRE(reused.stopped());
    const uint64_t start = process_start_ticks(reused.pid).value_or(0);
    REQUIRE(start != 0);
    // Suspended by an earlier agent as a process that started at another time.
    REQUIRE(SuspendedFile(dir.path).save({{matlab(reused.pid, start + 5), ResumeState::waiting}}));
    std::vector<Message> told;
    ClientSettings no_host;
    no_host.origin = "http://127.0.0.1:9";
    Resumer resumer(
        no_host, "ws:1000", [&told](const Message& m) { told.push_back(m); }, [] { return true; },
        dir.path);
    CHECK(resumer.suspended_using("MATLAB") == std::nullopt);
    // The user clicks an old Resume of that pid: nothing is signalled, the process stays stopped.
    resumer.user_asks(reused.pid);
    CHECK(told.empty());
    ::usleep(100000); // a SIGCONT sent would have taken effect by now
    CHECK(reused.stopped());
}
