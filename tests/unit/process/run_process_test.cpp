#include "process/run_process.hpp"

#include <catch2/catch.hpp>
#include <csignal>
#include <filesystem>
#include <fstream>
#include <limits>
#include <string>
#include <sys/wait.h>
#include <unistd.h>

using namespace lmharvest;
using namespace std::chrono_literals;

namespace {

struct Captured {
    std::string out;
    std::string err;
    ProcessResult result;
};

Captured run(std::vector<std::string> argv, std::chrono::milliseconds timeout = 10s,
             std::string stdin_data = {}) {
    Captured captured;
    ProcessRequest request;
    request.argv = std::move(argv);
    request.timeout = timeout;
    request.stdin_data = std::move(stdin_data);
    request.on_output = [&](OutputStream stream, std::string_view data) {
        (stream == OutputStream::out ? captured.out : captured.err).append(data);
    };
    captured.result = run_process(request);
    return captured;
}

bool process_alive(pid_t pid) {
    return ::kill(pid, 0) == 0;
}

// Alive and not a zombie: an orphan killed by the kernel may wait for init to reap it.
bool process_running(pid_t pid) {
    std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
    std::string line;
    if (!std::getline(stat, line))
        return false;
    const auto close = line.rfind(')');
    return close != std::string::npos && close + 2 < line.size() && line[close + 2] != 'Z';
}

bool ends_within(pid_t pid, std::chrono::milliseconds limit) {
    const auto until = std::chrono::steady_clock::now() + limit;
    while (process_running(pid) && std::chrono::steady_clock::now() < until)
        ::usleep(10000);
    return !process_running(pid);
}

// Runs an endless `yes`, counting its bytes without keeping them.
struct Counted {
    std::size_t bytes = 0;
    ProcessResult result;
};

Counted run_yes(std::chrono::milliseconds timeout, std::size_t max_output) {
    Counted counted;
    ProcessRequest request;
    request.argv = {"yes"};
    request.timeout = timeout;
    request.max_output = max_output;
    request.on_output = [&](OutputStream, std::string_view data) { counted.bytes += data.size(); };
    counted.result = run_process(request);
    return counted;
}

} // namespace

TEST_CASE("a child's stdout, stderr and exit code come back separately") {
    const Captured c = run({"sh", "-c", "printf out; printf err >&2; exit 3"});
    CHECK(c.result.started);
    CHECK_FALSE(c.result.timed_out);
    CHECK(c.result.exit_code == 3);
    CHECK(c.out == "out");
    CHECK(c.err == "err");
}

TEST_CASE("stdin data reaches the child, even when it is larger than a pipe buffer") {
    const std::string big(1 << 20, 'x');
    const Captured c = run({"wc", "-c"}, 10s, big);
    CHECK(c.result.exit_code == 0);
    CHECK(std::stoul(c.out) == big.size());
}

TEST_CASE("large output arrives whole") {
    const Captured c = run({"head", "-c", "5000000", "/dev/zero"});
    CHECK(c.result.exit_code == 0);
    CHECK(c.out.size() == 5000000);
}

TEST_CASE("arguments reach the program verbatim: no shell interprets them") {
    const std::string marker = "/tmp/lh-run-process-injection-" + std::to_string(::getpid());
    std::filesystem::remove(marker);
    const std::string hostile = "$(touch " + marker + "); `touch " + marker + "` | ; & \" '";
    const Captured c = run({"printf", "%s", hostile});
    CHECK(c.out == hostile);
    CHECK_FALSE(std::filesystem::exists(marker));
}

TEST_CASE("a program that does not exist is reported, not run") {
    const Captured c = run({"/nonexistent/lmutil", "lmstat"});
    CHECK_FALSE(c.result.started);
    CHECK_THAT(c.result.error, Catch::Contains("/nonexistent/lmutil"));
    CHECK_THAT(c.result.error, Catch::Contains("No such file"));
}

TEST_CASE("a hung child and everything it started are killed at the timeout") {
    // The shell prints its background child's pid, then hangs.
    const Captured c = run({"sh", "-c", "sleep 300 & echo $!; sleep 300"}, 300ms);
    CHECK(c.result.started);
    CHECK(c.result.timed_out);
    CHECK(c.result.term_signal == SIGKILL);
    const pid_t grandchild = static_cast<pid_t>(std::stol(c.out));
    // The grandchild was killed with its group; it may linger as a zombie of init briefly.
    for (int i = 0; i < 200 && process_alive(grandchild); ++i)
        ::usleep(10000);
    CHECK_FALSE(process_alive(grandchild));
}

TEST_CASE("a child killed by a signal reports the signal") {
    const Captured c = run({"sh", "-c", "kill -TERM $$"});
    CHECK(c.result.term_signal == SIGTERM);
    CHECK_FALSE(c.result.timed_out);
}

TEST_CASE("the timeout holds while the output streams without end") {
    const auto start = std::chrono::steady_clock::now();
    const Counted c = run_yes(1s, std::numeric_limits<std::size_t>::max());
    const auto took = std::chrono::steady_clock::now() - start;
    CHECK(c.result.timed_out);
    CHECK_FALSE(c.result.output_limited);
    CHECK(c.result.term_signal == SIGKILL);
    CHECK(c.bytes > 0);
    CHECK(took < 1s + 1500ms);
}

TEST_CASE("output past max_output stops the reading and kills the child") {
    const std::size_t limit = 1 << 20;
    const Counted c = run_yes(10s, limit);
    CHECK(c.result.output_limited);
    CHECK_FALSE(c.result.timed_out);
    CHECK(c.result.term_signal == SIGKILL);
    CHECK(c.bytes == limit); // delivered up to the limit, not a byte more
    CHECK(c.result.duration_ms < 10000);
}

TEST_CASE("by default an endless tool holds at most 64 MB of the host's memory") {
    const Captured c = run({"yes"}, 1s);
    CHECK((c.result.output_limited || c.result.timed_out));
    CHECK(c.out.size() <= default_max_output);
}

TEST_CASE("output of exactly max_output bytes is whole, not a limit") {
    ProcessRequest request;
    request.argv = {"head", "-c", "4096", "/dev/zero"};
    request.max_output = 4096;
    std::size_t bytes = 0;
    request.on_output = [&](OutputStream, std::string_view data) { bytes += data.size(); };
    const ProcessResult result = run_process(request);
    CHECK(result.exit_code == 0);
    CHECK_FALSE(result.output_limited);
    CHECK(bytes == 4096);
}

TEST_CASE("a tool does not outlive its host, even one killed with SIGKILL") {
    int fds[2];
    REQUIRE(::pipe(fds) == 0);
    const pid_t host = ::fork();
    REQUIRE(host >= 0);
    if (host == 0) { // the "host": runs a tool that tells its pid, then sleeps
        ::close(fds[0]);
        ProcessRequest request;
        request.argv = {"sh", "-c", "echo $$; exec sleep 300"};
        request.timeout = 60s;
        request.on_output = [&](OutputStream, std::string_view data) {
            [[maybe_unused]] const ssize_t n = ::write(fds[1], data.data(), data.size());
        };
        run_process(request);
        ::_exit(0);
    }
    ::close(fds[1]);
    char buffer[32] = {};
    const ssize_t n = ::read(fds[0], buffer, sizeof buffer - 1);
    ::close(fds[0]);
    REQUIRE(n > 0);
    const pid_t tool = static_cast<pid_t>(std::stol(buffer));
    REQUIRE(process_running(tool));

    ::kill(host, SIGKILL);
    int status = 0;
    ::waitpid(host, &status, 0);
    const bool gone = ends_within(tool, 5s);
    if (!gone)
        ::kill(tool, SIGKILL); // leave no sleeper behind a failed test
    CHECK(gone);
}
