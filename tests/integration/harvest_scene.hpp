// The harvest integration tests' scene: the lmutil emulator's state with MATLAB 3 of 3 in use
// (alice, bob, carol, checked out two hours ago), and the apps their agents report.
#pragma once

#include "protocol/agent_messages.hpp"
#include "store/store.hpp"

#include <ctime>
#include <string>

namespace lmharvest::testing {

inline std::string lmstat_time(std::time_t time, const char* format) {
    char text[64];
    std::tm local{};
    localtime_r(&time, &local);
    std::strftime(text, sizeof text, format, &local);
    return text;
}

// MATLAB, 3 licenses issued, 3 in use, checked out two hours ago by alice, bob and carol.
inline std::string lmstat_three_of_three(std::time_t now) {
    const std::string start = lmstat_time(now - 7200, "%a %-m/%-d %-H:%M");
    std::string text = "lmutil - Copyright (c) 1989-2024 Flexera. All Rights Reserved.\n"
                       "Flexible License Manager status on " +
                       lmstat_time(now, "%a %-m/%-d/%Y %-H:%M") +
                       "\n\nLicense server status: 27000@lic1\n"
                       "    License file(s) on lic1: /opt/license.lic:\n\n"
                       "lic1: license server UP (MASTER) v11.19.6\n\n"
                       "Vendor daemon status (on lic1):\n\n       MLM: UP v11.19.6\n"
                       "Feature usage info:\n\n"
                       "Users of MATLAB:  (Total of 3 licenses issued;  Total of 3 licenses in "
                       "use)\n\n  \"MATLAB\" v52, vendor: MLM, expiry: 30-dec-2030\n"
                       "  floating license\n\n";
    int handle = 101;
    for (const char* user : {"alice", "bob", "carol"})
        text += "    " + std::string(user) + " ws-" + user + " /dev/pts/1 (v50) (lic1/27000 " +
                std::to_string(handle++) + "), start " + start + "\n";
    return text + "\n";
}

inline lmharvest::AppActivity matlab_idle(const std::string& user, int64_t idle_minutes,
                                          int64_t now) {
    lmharvest::AppActivity app;
    app.agent = "ws-" + user + ".corp:1000";
    app.app = "matlab";
    app.pid = 4242;
    app.host = "ws-" + user + ".corp"; // the FQDN; lmstat prints the short name
    app.user = user;
    app.display = ":0";
    app.features = {"MATLAB"};
    app.focus_idle_s = idle_minutes * 60;
    app.cpu_percent = 0.3;
    app.handler = "matlab";
    app.methods = {"save_and_close"};
    app.report_time = now;
    return app;
}

// What `user`'s agent reports over HTTP: the same idle MATLAB as matlab_idle.
inline lmharvest::AgentReport matlab_idle_report(const std::string& user, int64_t idle_minutes,
                                                 int64_t now) {
    const lmharvest::AppActivity app = matlab_idle(user, idle_minutes, now);
    lmharvest::AgentReport report;
    report.agent = app.agent;
    report.host = app.host;
    report.user = app.user;
    report.display = app.display;
    report.time = now;
    report.input_idle_s = app.focus_idle_s;
    lmharvest::ReportedApp reported;
    reported.app = app.app;
    reported.pid = app.pid;
    reported.executable = "/opt/matlab/bin/MATLAB";
    reported.features = app.features;
    reported.focus_idle_s = app.focus_idle_s;
    reported.cpu_percent = app.cpu_percent;
    reported.handler = app.handler;
    reported.methods = app.methods;
    report.apps = {reported};
    return report;
}

} // namespace lmharvest::testing
