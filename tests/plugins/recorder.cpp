// A GOOD adapter that writes down what the host does with it, so that a test can prove the
// order of create, poll and destroy across a reload (no two instances of one server at once).
//
// [servers.recorder]
//   log = "/tmp/x/events"   required: each event appends "<event> <server> <instance> <ns>",
//                           event create|poll-begin|poll-end|destroy, instance "<pid>.<n>"
//                           (unique across the host's workers, each a process of its own), ns
//                           the CLOCK_MONOTONIC time (steady_clock)
//   poll_ms = 200           how long each poll takes (default 0)
//   label = "a"             read and otherwise unused: changing it changes the server
#include <atomic>
#include <chrono>
#include <cstdio>
#include <lmharvest/plugin.hpp>
#include <string>
#include <thread>
#include <unistd.h>

namespace {

using lmharvest::sdk::Error;

std::atomic<int> instances_created{0};

class Recorder {
public:
    static constexpr bool reports_denials = false;

    explicit Recorder(const lmharvest::sdk::Instance& instance)
        : server_(instance.server_id()),
          number_(std::to_string(::getpid()) + '.' + std::to_string(++instances_created)) {
        auto log = instance.get_string("log");
        if (!log)
            throw Error(LH_ERR_INVALID_ARGUMENT, "key 'log' is required");
        log_ = *log;
        poll_ms_ = instance.get_int("poll_ms").value_or(0);
        label_ = instance.get_string("label").value_or("");
        record("create");
    }
    ~Recorder() { record("destroy"); }
    Recorder(const Recorder&) = delete;
    Recorder& operator=(const Recorder&) = delete;

    void poll(const lh_poll_request&, lmharvest::sdk::PollSink& sink) {
        record("poll-begin");
        std::this_thread::sleep_for(std::chrono::milliseconds(poll_ms_));
        sink.server({0, "1@recorder", LH_STATE_UP, 1, "1.0", nullptr});
        record("poll-end");
    }

    lmharvest::sdk::CloseOutcome close_session(std::string_view) {
        return {LH_ERR_NOT_FOUND, "the recorder has no sessions", 0};
    }

private:
    // One write per line with O_APPEND (fopen "a"), so lines of two threads never mix.
    void record(const char* event) const {
        const auto ns = std::chrono::duration_cast<std::chrono::nanoseconds>(
                            std::chrono::steady_clock::now().time_since_epoch())
                            .count();
        const std::string line =
            std::string(event) + ' ' + server_ + ' ' + number_ + ' ' + std::to_string(ns) + '\n';
        if (FILE* file = std::fopen(log_.c_str(), "a")) {
            std::fwrite(line.data(), 1, line.size(), file);
            std::fclose(file);
        }
    }

    std::string server_;
    std::string number_;
    std::string log_;
    int64_t poll_ms_ = 0;
    std::string label_;
};

} // namespace

LMHARVEST_ADAPTER_PLUGIN(Recorder, "recorder", "1.0.0", "records create/poll/destroy for tests")
