// Builders for the policy's table tests: a pool of MATLAB sessions, the agents' apps, a clock.
#pragma once

#include "harvest/harvest_policy.hpp"

#include <algorithm>
#include <string>
#include <vector>

constexpr int64_t now = 1'800'000'000;
constexpr int64_t minute = 60;

/// A MATLAB pool of vendor MLM: `total` licenses (nullopt: uncounted), `used` in use.
inline lmharvest::FeatureUsage usage_of(std::optional<int64_t> total, int64_t used,
                                        std::string vendor = "MLM") {
    lmharvest::FeatureUsage usage;
    usage.vendor = std::move(vendor);
    usage.name = "MATLAB";
    usage.version = "1.0";
    usage.total = total;
    usage.used = used;
    return usage;
}

inline lmharvest::SessionRecord pool_session(int64_t id, std::string user, int64_t count = 1,
                                             int64_t checkout_time = now - 3600) {
    lmharvest::SessionRecord r;
    r.id = id;
    r.server = "eng";
    r.session.vendor = "MLM";
    r.session.feature = "MATLAB";
    r.session.version = "1.0";
    r.session.user = std::move(user);
    r.session.host = r.session.user + "-pc"; // the short name FlexNet prints
    r.session.display = "/dev/pts/1";
    r.session.count = count;
    r.session.checkout_time = checkout_time;
    r.first_seen = checkout_time;
    return r;
}

/// An app of `user` using MATLAB, reported now, its last input `idle_minutes` ago.
inline lmharvest::AppActivity matlab_app(std::string user, int64_t idle_minutes) {
    lmharvest::AppActivity a;
    a.agent = user + "-pc:1000";
    a.app = "matlab";
    a.pid = 4242;
    a.host = user + "-PC.corp.example"; // the FQDN the agent reports, another case
    a.user = user;
    a.display = ":0";
    a.features = {"MATLAB"};
    a.focus_idle_s = idle_minutes * minute;
    a.cpu_percent = 0.4;
    a.handler = "matlab";
    a.methods = {"save_and_close"};
    a.report_time = now;
    a.report_interval_s = 60;
    return a;
}

struct Scenario {
    lmharvest::HarvestConfig harvest;
    lmharvest::Groups groups;
    lmharvest::FeatureUsage usage = usage_of(10, 10);
    std::vector<lmharvest::SessionRecord> sessions;
    std::vector<lmharvest::AppActivity> apps;
    std::set<int64_t> closing;

    /// `n` sessions u1..un, one license each, idle 30+i minutes (un the longest idle).
    void idle_sessions(int n) {
        for (int i = 1; i <= n; ++i) {
            sessions.push_back(pool_session(i, "u" + std::to_string(i)));
            apps.push_back(matlab_app("u" + std::to_string(i), 30 + i));
        }
    }
    std::vector<lmharvest::PlanEntry> plan() const {
        const lmharvest::ActivityIndex index(apps);
        const lmharvest::PolicyContext context{harvest, groups, index, closing, now};
        return lmharvest::plan_pool({"eng", usage, sessions}, context);
    }
};

inline std::vector<int64_t> closed_ids(const std::vector<lmharvest::PlanEntry>& plan) {
    std::vector<int64_t> ids;
    for (const auto& e : plan)
        if (e.close)
            ids.push_back(e.session_id);
    return ids;
}

inline const lmharvest::PlanEntry& entry_of(const std::vector<lmharvest::PlanEntry>& plan,
                                            int64_t id) {
    return *std::find_if(plan.begin(), plan.end(),
                         [id](const lmharvest::PlanEntry& e) { return e.session_id == id; });
}
