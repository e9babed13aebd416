// Reload in place, a bounded stop, and what systemd hears: the real binary with the recorder
// plugin (it writes create/poll/destroy events with their monotonic times to a file) and a
// plugin whose poll never returns.
#include "harness.hpp"

#include <arpa/inet.h>
#include <catch2/catch.hpp>
#include <chrono>
#include <csignal>
#include <netinet/in.h>
#include <sstream>
#include <sys/socket.h>
#include <sys/un.h>
#include <thread>
#include <unistd.h>

using namespace lmharvest::testing;

namespace {

const std::string test_plugins = std::string(LH_BINARY_DIR) + "/test-plugins";

// A recorder server polled every second; `extra` goes into its [servers.recorder] table.
std::string recorder(const std::string& id, const std::string& events,
                     const std::string& extra = "") {
    return "[[servers]]\nid = \"" + id +
           "\"\nadapter = \"recorder\"\naddress = \"1@rec\"\n"
           "interval = \"1s\"\n[servers.recorder]\nlog = \"" +
           events + "\"\n" + extra + "\n";
}

std::string hanging(const std::string& id, const std::string& isolation = "none") {
    return "[[servers]]\nid = \"" + id +
           "\"\nadapter = \"hangs_in_poll\"\naddress = \"1@hang\"\n"
           "timeout = \"100ms\"\nisolation = \"" +
           isolation + "\"\n";
}

// A config on the given port whose plugins come from the test plugin folders.
std::string config_text(const TempDir& dir, int port, const std::string& servers) {
    return "[host]\nstate_dir = \"" + (dir / "state").string() + "\"\nplugin_dirs = [\"" +
           test_plugins + "/recorder\", \"" + test_plugins +
           "/hangs_in_poll\"]\nlisten = \"127.0.0.1:" + std::to_string(port) + "\"\n\n" + servers;
}

struct Event {
    std::string kind, server;
    std::string instance;
    long long ns = 0;
};

std::vector<Event> read_events(const std::filesystem::path& file) {
    std::vector<Event> events;
    std::istringstream lines(read_file(file));
    Event event;
    while (lines >> event.kind >> event.server >> event.instance >> event.ns)
        events.push_back(event);
    return events;
}

std::vector<Event> of(const std::vector<Event>& events, const std::string& kind,
                      const std::string& server) {
    std::vector<Event> matching;
    for (const Event& e : events)
        if (e.kind == kind && e.server == server)
            matching.push_back(e);
    return matching;
}

bool has_poll_of_instance(const std::filesystem::path& file, const std::string& server,
                          const std::string& instance) {
    for (const Event& e : of(read_events(file), "poll-end", server))
        if (e.instance == instance)
            return true;
    return false;
}

bool log_has(const RunningHost& host, const std::string& text) {
    return host.log().find(text) != std::string::npos;
}

std::size_t count_in_log(const RunningHost& host, const std::string& text) {
    const std::string log = host.log();
    std::size_t count = 0;
    for (auto at = log.find(text); at != std::string::npos; at = log.find(text, at + 1))
        ++count;
    return count;
}

// Asks /healthz over and over on a thread until stopped; counts the answers that were not "ok".
class HealthProbe {
public:
    explicit HealthProbe(int port)
        : thread_([this, port] {
              while (!stop_) {
                  ++asked_;
                  if (get_text(port, "/healthz") != "ok\n")
                      ++failed_;
                  std::this_thread::sleep_for(std::chrono::milliseconds(20));
              }
          }) {}
    ~HealthProbe() { finish(); }
    void finish() {
        stop_ = true;
        if (thread_.joinable())
            thread_.join();
    }
    int asked() const { return asked_; }
    int failed() const { return failed_; }

private:
    std::atomic<bool> stop_{false};
    std::atomic<int> asked_{0}, failed_{0};
    std::thread thread_;
};

} // namespace

TEST_CASE("a reload keeps unchanged instances, re-creates a changed one after the old one "
          "ended, adds and removes servers, and the API answers throughout") {
    TempDir dir;
    const int port = free_port();
    const std::string events = (dir / "events").string();
    const std::string config = (dir / "lmharvest.toml").string();
    const std::string both =
        recorder("keep", events) + recorder("change", events, "poll_ms = 400\nlabel = \"a\"");
    dir.write("lmharvest.toml", config_text(dir, port, both));
    RunningHost host(config, {}, dir / "host.log");
    REQUIRE(eventually([&] {
        const std::vector<Event> all = read_events(events);
        return !of(all, "poll-end", "keep").empty() && !of(all, "poll-end", "change").empty();
    }));
    const std::string change_first = of(read_events(events), "create", "change").at(0).instance;

    HealthProbe probe(port);
    dir.write("lmharvest.toml",
              config_text(dir, port,
                          recorder("keep", events) +
                              recorder("change", events, "poll_ms = 400\nlabel = \"b\"") +
                              recorder("added", events)));
    host.signal(SIGHUP);
    REQUIRE(eventually([&] {
        return log_has(host, "reloaded servers_kept=1 servers_replaced=1 "
                             "servers_added=1 servers_removed=0");
    }));
    REQUIRE(eventually([&] {
        const auto creates = of(read_events(events), "create", "change");
        return creates.size() == 2 && has_poll_of_instance(events, "change", creates[1].instance) &&
               !of(read_events(events), "poll-end", "added").empty();
    }));
    probe.finish();
    CHECK(probe.asked() > 0);
    CHECK(probe.failed() == 0);

    const std::vector<Event> all = read_events(events);
    CHECK(of(all, "create", "keep").size() == 1); // the same instance polls on
    CHECK(of(all, "destroy", "keep").empty());
    const auto creates = of(all, "create", "change");
    const auto destroys = of(all, "destroy", "change");
    REQUIRE(creates.size() == 2);
    REQUIRE(destroys.size() == 1);
    CHECK(destroys[0].instance == change_first);
    CHECK(destroys[0].ns < creates[1].ns); // the old one ended before the new one began
    for (const Event& e : all)
        if (e.server == "change" && e.instance == change_first && e.kind != "create")
            CHECK(e.ns <= destroys[0].ns); // no poll of the old instance after its destroy

    dir.write("lmharvest.toml", config_text(dir, port, recorder("keep", events)));
    host.signal(SIGHUP);
    REQUIRE(eventually([&] { return log_has(host, "servers_removed=2"); }));
    CHECK(of(read_events(events), "destroy", "added").size() == 1);
    CHECK(of(read_events(events), "create", "keep").size() == 1);
    CHECK(host.stop() == 0);
}

TEST_CASE("a reload that cannot be applied is refused whole and the service keeps running") {
    TempDir dir;
    const int port = free_port();
    const std::string events = (dir / "events").string();
    const std::string config = (dir / "lmharvest.toml").string();
    const std::string good = config_text(dir, port, recorder("rec", events, "label = \"a\""));
    dir.write("lmharvest.toml", good);
    RunningHost host(config, {}, dir / "host.log");
    REQUIRE(eventually([&] { return !of(read_events(events), "poll-end", "rec").empty(); }));

    SECTION("a listen port that is taken") {
        // A plain listener without SO_REUSEPORT (cpp-httplib sets it, and would share the port).
        const int squatter = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
        sockaddr_in address{};
        address.sin_family = AF_INET;
        address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        socklen_t length = sizeof address;
        REQUIRE(::bind(squatter, reinterpret_cast<sockaddr*>(&address), length) == 0);
        REQUIRE(::listen(squatter, 1) == 0);
        ::getsockname(squatter, reinterpret_cast<sockaddr*>(&address), &length);
        const int taken = ntohs(address.sin_port);
        dir.write("lmharvest.toml",
                  config_text(dir, taken, recorder("rec", events, "label = \"b\"")));
        host.signal(SIGHUP);
        REQUIRE(eventually([&] { return log_has(host, "reload refused"); }));
        CHECK(log_has(host, "cannot listen on 127.0.0.1:" + std::to_string(taken)));
        CHECK(of(read_events(events), "create", "rec").size() == 1); // nothing was touched
        CHECK(read_file(dir / "state" / "api-address") ==
              "127.0.0.1:" + std::to_string(port) + "\n");
        ::close(squatter);
    }
    SECTION("an adapter plugin that is not there") {
        dir.write("lmharvest.toml", config_text(dir, port,
                                                recorder("rec", events) +
                                                    "[[servers]]\nid = \"x\"\nadapter = \"nope\"\n"
                                                    "address = \"1@x\"\n"));
        host.signal(SIGHUP);
        REQUIRE(eventually([&] { return log_has(host, "reload refused"); }));
        CHECK(log_has(host, "no plugin 'nope' is loaded"));
        CHECK(of(read_events(events), "create", "rec").size() == 1);
    }
    SECTION("a changed server whose new instance refuses its settings") {
        // No `log` key: the recorder's create() fails; the old settings come back.
        dir.write("lmharvest.toml",
                  config_text(dir, port,
                              "[[servers]]\nid = \"rec\"\nadapter = \"recorder\"\n"
                              "address = \"1@rec\"\ninterval = \"1s\"\n"));
        host.signal(SIGHUP);
        REQUIRE(eventually([&] { return log_has(host, "reload refused"); }));
        CHECK(log_has(host, "key 'log' is required"));
        REQUIRE(eventually([&] {
            const auto creates = of(read_events(events), "create", "rec");
            return creates.size() == 2 && has_poll_of_instance(events, "rec", creates[1].instance);
        }));
    }
    CHECK(host.alive());
    CHECK(get_text(port, "/healthz") == "ok\n");
    dir.write("lmharvest.toml", good);
    host.signal(SIGHUP);
    CHECK(eventually([&] { return log_has(host, "reloaded servers_kept=1"); }));
    CHECK(host.stop() == 0);
}

TEST_CASE("SIGTERM ends the service within 10 s even when a plugin's poll never returns") {
    TempDir dir;
    const int port = free_port();
    const std::string events = (dir / "events").string();
    dir.write("lmharvest.toml", config_text(dir, port, hanging("stuck") + recorder("rec", events)));
    RunningHost host((dir / "lmharvest.toml").string(), {}, dir / "host.log");
    REQUIRE(eventually([&] { return !of(read_events(events), "poll-end", "rec").empty(); }));

    const auto start = std::chrono::steady_clock::now();
    const int status = host.stop(); // -1 when it had to be killed after 10 s
    CHECK(std::chrono::steady_clock::now() - start < std::chrono::seconds(10));
    CHECK(status == 0);
    CHECK_THAT(host.log(), Catch::Contains("polls still running servers=stuck; exiting without "
                                           "waiting for them"));
}

TEST_CASE("run --once ends on SIGTERM while a poll hangs") {
    TempDir dir;
    dir.write("lmharvest.toml", config_text(dir, free_port(), hanging("stuck")));
    RunningHost host((dir / "lmharvest.toml").string(), {}, dir / "host.log", {"--once"});
    REQUIRE(eventually([&] { return log_has(host, "plugins loaded="); }));
    const auto start = std::chrono::steady_clock::now();
    CHECK(host.stop() == 128 + SIGTERM);
    CHECK(std::chrono::steady_clock::now() - start < std::chrono::seconds(10));
}

namespace {

// A Unix datagram socket the test binds, as systemd's NOTIFY_SOCKET.
class NotifySocket {
public:
    explicit NotifySocket(const std::filesystem::path& path) : path_(path) {
        fd_ = ::socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
        sockaddr_un address{};
        address.sun_family = AF_UNIX;
        std::snprintf(address.sun_path, sizeof address.sun_path, "%s", path.c_str());
        bound_ = ::bind(fd_, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0;
        timeval wait{0, 200'000};
        ::setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &wait, sizeof wait);
    }
    ~NotifySocket() { ::close(fd_); }
    bool bound() const { return bound_; }
    /// Every message received until `done` says it has what it waits for, or `limit` passed.
    bool receive_until(const std::function<bool(const std::vector<std::string>&)>& done,
                       std::chrono::milliseconds limit = std::chrono::seconds(15)) {
        const auto deadline = std::chrono::steady_clock::now() + limit;
        while (!done(messages_) && std::chrono::steady_clock::now() < deadline) {
            char buffer[4096];
            const ssize_t n = ::recv(fd_, buffer, sizeof buffer, 0);
            if (n > 0)
                messages_.emplace_back(buffer, static_cast<std::size_t>(n));
        }
        return done(messages_);
    }
    std::vector<std::string>& messages() { return messages_; }

private:
    std::filesystem::path path_;
    int fd_ = -1;
    bool bound_ = false;
    std::vector<std::string> messages_;
};

std::size_t count_starting(const std::vector<std::string>& messages, const std::string& prefix) {
    return static_cast<std::size_t>(
        std::count_if(messages.begin(), messages.end(),
                      [&](const std::string& m) { return m.starts_with(prefix); }));
}

} // namespace

TEST_CASE("systemd hears READY once the API listens and the first cycle ran, RELOADING and "
          "READY around a reload, the watchdog, and STOPPING") {
    TempDir dir;
    const int port = free_port();
    const std::string events = (dir / "events").string();
    dir.write("lmharvest.toml", config_text(dir, port, recorder("rec", events, "poll_ms = 300")));
    NotifySocket notify(dir / "notify");
    REQUIRE(notify.bound());
    RunningHost host((dir / "lmharvest.toml").string(),
                     {{"NOTIFY_SOCKET", (dir / "notify").string()}, {"WATCHDOG_USEC", "400000"}},
                     dir / "host.log");

    REQUIRE(notify.receive_until([](const auto& m) { return count_starting(m, "READY=1") == 1; }));
    CHECK(get_text(port, "/healthz") == "ok\n");                // the API was up
    CHECK(!of(read_events(events), "poll-end", "rec").empty()); // and the first poll done
    REQUIRE(
        notify.receive_until([](const auto& m) { return count_starting(m, "WATCHDOG=1") >= 3; }));

    host.signal(SIGHUP);
    REQUIRE(notify.receive_until([](const auto& m) { return count_starting(m, "READY=1") == 2; }));
    const auto reloading =
        std::find_if(notify.messages().begin(), notify.messages().end(),
                     [](const std::string& m) { return m.starts_with("RELOADING=1"); });
    REQUIRE(reloading != notify.messages().end());
    CHECK_THAT(*reloading, Catch::Contains("\nMONOTONIC_USEC="));

    host.signal(SIGTERM);
    CHECK(notify.receive_until([](const auto& m) { return count_starting(m, "STOPPING=1") == 1; }));
    CHECK(host.stop() == 0);
}

// A host whose one server ("stuck") hangs in every poll, with a 400 ms systemd watchdog.
// beats_once_stuck(): the watchdog beats of 2 s, from 6 s after the first beats on: the poll
// began at start, and with timeout 100ms it counts as stuck after 5.3 s.
struct HungPollHost {
    explicit HungPollHost(const std::string& isolation)
        : config(dir.write("lmharvest.toml",
                           config_text(dir, free_port(), hanging("stuck", isolation)))),
          notify(dir / "notify"),
          host(config, {{"NOTIFY_SOCKET", (dir / "notify").string()}, {"WATCHDOG_USEC", "400000"}},
               dir / "host.log") {}

    int beats_once_stuck() {
        REQUIRE(notify.bound());
        REQUIRE(notify.receive_until(
            [](const auto& m) { return count_starting(m, "WATCHDOG=1") >= 2; }));
        const auto never = [](const auto&) { return false; };
        notify.receive_until(never, std::chrono::seconds(6));
        notify.messages().clear();
        notify.receive_until(never, std::chrono::seconds(2));
        return count_starting(notify.messages(), "WATCHDOG=1");
    }

    TempDir dir;
    std::string config;
    NotifySocket notify;
    RunningHost host;
};

// In the host (isolation "none") a plugin call cannot be stopped: past its bound the watchdog
// stops, and systemd restarts the service.
TEST_CASE("the watchdog stops beating when a poll in the host runs far past its timeout") {
    HungPollHost hung("none");
    CHECK(hung.beats_once_stuck() == 0);
    CHECK(hung.host.alive());
}

// In a worker (the default) the same hang costs the worker at the call deadline (2 x 100ms +
// 5 s), the server shows why, and the host never counts as stuck.
TEST_CASE("a poll that hangs in a worker is killed at its deadline; the watchdog beats on") {
    HungPollHost hung("process");
    CHECK(hung.beats_once_stuck() >= 2);
    CHECK(eventually([&] { return log_has(hung.host, "poll exceeded 5 s: worker killed"); }));
    CHECK(hung.host.alive());
}

TEST_CASE("a database deleted under the running service is noticed and logged") {
    TempDir dir;
    const std::string events = (dir / "events").string();
    dir.write("lmharvest.toml", config_text(dir, free_port(), recorder("rec", events)));
    RunningHost host((dir / "lmharvest.toml").string(), {}, dir / "host.log");
    REQUIRE(eventually([&] { return !of(read_events(events), "poll-end", "rec").empty(); }));
    std::filesystem::remove_all(dir / "state");
    REQUIRE(eventually([&] { return log_has(host, "store file deleted"); }));
    CHECK_THAT(host.log(), Catch::Contains("restore state_dir and restart the service"));
    std::this_thread::sleep_for(std::chrono::seconds(2));
    CHECK(count_in_log(host, "store file deleted") == 1); // said once, not at every poll
}
