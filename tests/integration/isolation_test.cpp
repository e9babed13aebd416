// Adapter workers (docs/isolation.md), through the real binary: one deliberately wrong plugin
// beside a healthy server. Whatever the wrong plugin does, the API keeps answering, the other
// server keeps polling, the wrong server shows why, its worker is restarted, and SIGTERM ends
// everything (the workers too) within 10 s.
#include "harness.hpp"

#include <algorithm>
#include <catch2/catch.hpp>
#include <chrono>
#include <csignal>
#include <fstream>
#include <memory>
#include <pwd.h>
#include <sstream>
#include <sys/stat.h>
#include <unistd.h>

using namespace lmharvest::testing;
using namespace std::chrono_literals;

namespace {

const std::string test_plugins = std::string(LH_BINARY_DIR) + "/test-plugins";

// A host with isolation = "process": "good" (test_adapter, one session of bob) and "bad" (the
// wrong plugin `fault`), both polled every second.
struct FaultHost {
    explicit FaultHost(const std::string& fault, const std::string& host_keys = "")
        : port(free_port()) {
        const std::string config_text =
            "[host]\nstate_dir = \"" + (dir / "state").string() + "\"\nplugin_dirs = [\"" +
            test_plugins + "/good\", \"" + test_plugins + "/" + fault +
            "\"]\nlisten = \"127.0.0.1:" + std::to_string(port) +
            "\"\nopen_read = true\nisolation = \"process\"\n" + host_keys +
            "\n[[servers]]\nid = \"good\"\nadapter = \"test_adapter\"\naddress = \"1@good\"\n"
            "interval = \"1s\"\n[servers.test_adapter]\nfeature = \"solver\"\n"
            "users = [\"bob\"]\n\n[[servers]]\nid = \"bad\"\nadapter = \"" +
            fault + "\"\naddress = \"1@bad\"\ninterval = \"1s\"\ntimeout = \"1s\"\n";
        config = dir.write("lmharvest.toml", config_text);
        host = std::make_unique<RunningHost>(config, std::map<std::string, std::string>{},
                                             dir / "host.log");
    }

    nlohmann::json server(const std::string& id) const {
        const nlohmann::json servers = get_json(port, "/api/v1/servers");
        if (servers.is_array())
            for (const nlohmann::json& entry : servers)
                if (entry.value("id", "") == id)
                    return entry;
        return nullptr;
    }

    std::string state(const std::string& id) const {
        const nlohmann::json entry = server(id);
        return entry.is_object() ? entry.value("state", "") : "";
    }

    std::string error(const std::string& id) const {
        const nlohmann::json entry = server(id);
        return entry.is_object() && entry.at("error").is_string() ? entry.value("error", "") : "";
    }

    // "good" completes two more polls, with its session, while "bad" misbehaves.
    bool good_keeps_polling() const {
        const auto polled = [&] {
            const nlohmann::json entry = server("good");
            return entry.is_object() ? entry.value("last_poll_time", nlohmann::json()) : nullptr;
        };
        const nlohmann::json before = polled();
        if (!eventually([&] { return polled() != before && state("good") == "up"; }))
            return false;
        const nlohmann::json sessions = get_json(port, "/api/v1/sessions?user=bob");
        return sessions.is_array() && sessions.size() == 1 &&
               sessions[0].value("user", "") == "bob";
    }

    std::size_t log_count(const std::string& text) const {
        const std::string log = host->log();
        std::size_t count = 0;
        for (auto at = log.find(text); at != std::string::npos; at = log.find(text, at + 1))
            ++count;
        return count;
    }

    // SIGTERM ends the host within 10 s, and no worker outlives it.
    void stops_within_bound() {
        const std::vector<pid_t> workers = worker_pids(host->pid());
        CHECK_FALSE(workers.empty());
        const auto start = std::chrono::steady_clock::now();
        host->stop();
        CHECK(std::chrono::steady_clock::now() - start < 10s);
        CHECK(eventually(
            [&] {
                for (pid_t pid : workers)
                    if (read_cmdline(pid).find("plugin-worker") != std::string::npos)
                        return false;
                return true;
            },
            5s));
    }

    static std::string read_cmdline(pid_t pid) {
        std::ifstream file("/proc/" + std::to_string(pid) + "/cmdline");
        std::stringstream text;
        text << file.rdbuf();
        return text.str();
    }

    static std::vector<pid_t> worker_pids(pid_t host_pid) {
        std::vector<pid_t> found;
        for (const auto& entry : std::filesystem::directory_iterator("/proc")) {
            const std::string name = entry.path().filename();
            if (name.find_first_not_of("0123456789") != std::string::npos)
                continue;
            const pid_t pid = std::stoi(name);
            std::ifstream stat(entry.path() / "stat");
            std::string line;
            std::getline(stat, line);
            const auto close = line.rfind(')');
            std::istringstream rest(close == std::string::npos ? "" : line.substr(close + 2));
            char state = 0;
            pid_t parent = 0;
            if (rest >> state >> parent && parent == host_pid &&
                read_cmdline(pid).find("plugin-worker") != std::string::npos)
                found.push_back(pid);
        }
        return found;
    }

    TempDir dir;
    int port;
    std::string config;
    std::unique_ptr<RunningHost> host;
};

} // namespace

TEST_CASE("a plugin that segfaults in poll costs its server, not the host") {
    FaultHost fault("segfaults_in_poll");
    // Never polled well: "down" (a server that was up turns "stale"), with the reason.
    REQUIRE(eventually([&] { return !fault.error("bad").empty(); }));
    CHECK(fault.state("bad") == "down");
    CHECK_THAT(fault.error("bad"),
               Catch::Contains("segfaults_in_poll worker died: SIGSEGV in poll"));
    CHECK(fault.good_keeps_polling());
    CHECK(eventually([&] { return fault.log_count("worker restarted") >= 1; }));
    CHECK(fault.host->alive());
    fault.stops_within_bound();
}

TEST_CASE("a plugin whose poll never ends is killed at the call deadline") {
    FaultHost fault("spins_in_poll");
    REQUIRE(eventually([&] { return !fault.error("bad").empty(); }));
    CHECK(fault.state("bad") == "down");
    CHECK_THAT(fault.error("bad"), Catch::Contains("poll exceeded 7 s: worker killed"));
    CHECK(fault.good_keeps_polling());
    CHECK(eventually([&] { return fault.log_count("worker restarted") >= 1; }));
    fault.stops_within_bound();
}

TEST_CASE("a plugin that aborts in close_session fails that close; its server polls on") {
    FaultHost fault("aborts_in_close");
    REQUIRE(eventually([&] {
        const nlohmann::json sessions = get_json(fault.port, "/api/v1/sessions?user=alice");
        return sessions.is_array() && sessions.size() == 1;
    }));
    const nlohmann::json sessions = get_json(fault.port, "/api/v1/sessions?user=alice");
    const CliRun close = run_cli(
        {"close", "--config", fault.config, std::to_string(sessions[0].at("id").get<int64_t>())});
    CHECK(close.exit_code != 0);
    CHECK_THAT(close.out + close.err,
               Catch::Contains("aborts_in_close worker died: SIGABRT in close"));
    CHECK(eventually([&] { return fault.log_count("worker restarted") >= 1; }));
    CHECK(fault.good_keeps_polling());
    CHECK(eventually([&] { return fault.state("bad") == "up"; }));
    fault.stops_within_bound();
}

TEST_CASE("a plugin that leaks 100 MB a poll is restarted before its memory limit") {
    FaultHost fault("leaks_in_poll");
    CHECK(eventually([&] { return fault.log_count("worker uses") >= 1; }, 60s));
    CHECK(fault.log_count("of its 512 MB: restarted") >= 1);
    CHECK(eventually([&] { return fault.log_count("worker restarted") >= 1; }));
    CHECK(fault.good_keeps_polling());
    CHECK(fault.state("bad") == "up");
    fault.stops_within_bound();
}

TEST_CASE("a plugin that logs 100 MB in one poll gets 1 MB of the host's log") {
    FaultHost fault("floods_log_in_poll");
    REQUIRE(eventually([&] { return fault.log_count("log truncated") >= 2; }, 60s));
    CHECK(fault.good_keeps_polling());
    CHECK(fault.state("bad") == "up");
    const std::size_t log_bytes = std::filesystem::file_size(fault.dir / "host.log");
    const std::size_t polls = fault.log_count("log truncated");
    CHECK(log_bytes < (polls + 2) * (3u << 20)); // the budget and its prefixes, not 100 MB
    fault.stops_within_bound();
}

TEST_CASE("a plugin whose create never returns is refused at start with the reason") {
    FaultHost fault("hangs_in_create");
    const auto start = std::chrono::steady_clock::now();
    REQUIRE(eventually([&] { return !fault.host->alive(); }, 30s));
    CHECK(std::chrono::steady_clock::now() - start < 20s);
    CHECK_THAT(fault.host->log(), Catch::Contains("create exceeded 7 s: worker killed"));
}

TEST_CASE("a worker is replaced after worker_polls polls, and its server never notices") {
    FaultHost fault("aborts_in_close", "worker_polls = 2\n");
    REQUIRE(eventually([&] { return fault.state("good") == "up"; }));
    const std::vector<pid_t> first = FaultHost::worker_pids(fault.host->pid());
    CHECK(first.size() == 2);
    REQUIRE(eventually([&] { return fault.log_count("worker served 2 polls: replaced") >= 2; }));
    CHECK(fault.good_keeps_polling());
    CHECK(fault.state("bad") == "up");
    CHECK(fault.error("good").empty());
    // New processes: none of the first workers is still serving.
    CHECK(eventually([&] {
        for (pid_t pid : FaultHost::worker_pids(fault.host->pid()))
            if (std::find(first.begin(), first.end(), pid) != first.end())
                return false;
        return true;
    }));
    fault.stops_within_bound();
}

// The uid a process runs as (the "Uid:" line of /proc/PID/status: real, effective, ...).
static std::string process_uids(pid_t pid) {
    std::ifstream status("/proc/" + std::to_string(pid) + "/status");
    for (std::string line; std::getline(status, line);)
        if (line.rfind("Uid:", 0) == 0)
            return line;
    return "";
}

TEST_CASE("with worker_user, workers run as that user with no capabilities and still poll") {
    if (::geteuid() != 0) {
        WARN("not root: a host cannot switch its workers to another user here (CI runs as root)");
        return;
    }
    const passwd* nobody = ::getpwnam("nobody");
    REQUIRE(nobody != nullptr);
    FaultHost fault("aborts_in_close", "worker_user = \"nobody\"\n");
    REQUIRE(eventually([&] { return fault.state("good") == "up"; }));
    CHECK(fault.good_keeps_polling());
    const std::vector<pid_t> workers = FaultHost::worker_pids(fault.host->pid());
    REQUIRE(workers.size() == 2);
    const std::string uid = std::to_string(nobody->pw_uid);
    for (pid_t pid : workers) {
        INFO("worker " << pid << ": " << process_uids(pid));
        CHECK(process_uids(pid) == "Uid:\t" + uid + "\t" + uid + "\t" + uid + "\t" + uid);
        CHECK_THAT(read_file("/proc/" + std::to_string(pid) + "/status"),
                   Catch::Contains("CapEff:\t0000000000000000") &&
                       Catch::Contains("CapPrm:\t0000000000000000"));
    }
    // The server's state folder is the worker's; the host's own files stay the host's.
    struct stat folder {};
    REQUIRE(::stat((fault.dir / "state" / "servers" / "good").c_str(), &folder) == 0);
    CHECK(folder.st_uid == nobody->pw_uid);
    fault.stops_within_bound();
}

TEST_CASE("a poll that burns more CPU than worker_cpu is ended by the kernel (SIGXCPU)") {
    FaultHost fault("spins_in_poll", "worker_cpu = \"1s\"\n");
    REQUIRE(eventually([&] { return !fault.error("bad").empty(); }));
    // Well before its wall-clock deadline (7 s) the worker used its one CPU second (and the
    // second the rounding gives).
    CHECK_THAT(fault.error("bad"), Catch::Contains("spins_in_poll worker died: SIGXCPU in poll"));
    CHECK(fault.good_keeps_polling());
    fault.stops_within_bound();
}
