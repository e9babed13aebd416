#include "process/run_process.hpp"

#include <catch2/catch.hpp>
#include <csignal>
#include <filesystem>
#include <string>
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
