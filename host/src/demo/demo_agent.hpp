// The demo's agent: every few seconds it reports the scripted workstations (scripted_workstations
// .hpp) to the host over HTTP, as `lmharvest agent` would from each workstation, takes the
// commands the harvester sends them and answers each as a user's app would: the project saved,
// the app closed. It speaks the real protocol (DESIGN §4a) with a token of role agent.
#pragma once

#include "store/store.hpp"

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <string>
#include <thread>

namespace lmharvest {

class DemoAgent {
public:
    /// Starts reporting to http://`api_host`:`api_port` with `token` every `every`.
    DemoAgent(Store& store, std::string api_host, int api_port, std::string token,
              std::chrono::milliseconds every);
    /// Stops within one HTTP call.
    ~DemoAgent();
    DemoAgent(const DemoAgent&) = delete;
    DemoAgent& operator=(const DemoAgent&) = delete;

private:
    void run();
    void report_and_answer();

    Store& store_;
    std::string api_host_;
    int api_port_;
    std::string token_;
    std::chrono::milliseconds every_;
    std::mutex mutex_;
    std::condition_variable wakeup_;
    bool stopping_ = false;
    std::thread thread_; // last: starts after everything it uses
};

} // namespace lmharvest
