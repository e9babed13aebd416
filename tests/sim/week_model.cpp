#include "week_model.hpp"

#include "sim_random.hpp"

#include <algorithm>
#include <lmharvest/records.h>

namespace lmharvest::weeksim {
namespace {

constexpr int64_t day = 86400;
constexpr int lunch_minutes = 45;
constexpr double busy_percent = 85.0;
constexpr double quiet_percent = 0.3;

// Each habit's chance to check in when leaving for the day.
double check_in_at_leave(Habit habit) {
    switch (habit) {
    case Habit::tidy:
        return 0.85;
    case Habit::forgetful:
        return 0.25;
    case Habit::computing:
    case Habit::no_agent:
        return 0.5;
    case Habit::sleeper:
        return 0.3;
    }
    return 0.5;
}

Habit habit_of(sim::SimRandom& random) {
    const uint64_t draw = random.below(100);
    if (draw < 35)
        return Habit::tidy;
    if (draw < 65)
        return Habit::forgetful;
    if (draw < 75)
        return Habit::computing;
    if (draw < 85)
        return Habit::sleeper;
    return Habit::no_agent;
}

bool scheduled(const SimUser& user, int64_t now) {
    const int64_t since = now - WeekModel::week_start;
    const int64_t weekday = (since / day) % 7; // 0 = Monday
    const int minute = static_cast<int>((since % day) / 60);
    if (weekday < 5)
        return minute >= user.arrive_minute && minute < user.leave_minute;
    return weekday == 5 && user.works_saturday && minute >= 600 && minute < 840;
}

int minute_of_day(int64_t now) {
    return static_cast<int>(((now - WeekModel::week_start) % day) / 60);
}

} // namespace

std::vector<PoolSpec> week_pools() {
    return {{"eng-flex", "MLM", "MATLAB", 100, 110, {1}},
            {"eng-flex", "MLM", "SIMULINK", 10, 12, {1}},
            {"eng-flex", "ANSYSLMD", "ansys", 3, 5, {1}},
            {"cae-lmx", "ALTAIR", "HWUnits", 50, 7, {5, 10, 15}}};
}

WeekModel::WeekModel(uint64_t seed) : seed_(seed), pools_(week_pools()) {
    for (size_t p = 0; p < pools_.size(); ++p)
        for (int i = 0; i < pools_[p].users; ++i) {
            sim::SimRandom random(seed_, users_.size(), 0);
            SimUser user;
            user.name = pools_[p].feature.substr(0, 2) + std::to_string(i);
            std::transform(user.name.begin(), user.name.end(), user.name.begin(),
                           [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
            user.host = "ws-" + user.name;
            user.pool = p;
            user.count = pools_[p].counts[static_cast<size_t>(i) % pools_[p].counts.size()];
            user.habit = habit_of(random);
            user.arrive_minute = static_cast<int>(random.between(450, 600));
            user.leave_minute = static_cast<int>(random.between(960, 1140));
            user.lunch_minute = static_cast<int>(random.between(705, 780));
            user.works_saturday = random.chance(0.1);
            users_.push_back(user);
        }
}

int64_t WeekModel::used(size_t pool) const {
    int64_t sum = 0;
    for (const SimUser& user : users_)
        if (user.pool == pool && user.session)
            sum += user.count;
    return sum;
}

void WeekModel::step(int64_t now) {
    denials_.clear();
    for (size_t i = 0; i < users_.size(); ++i)
        act(users_[i], i, now);
}

void WeekModel::check_in(SimUser& user) {
    user.session.reset();
    user.busy_until = 0;
}

void WeekModel::act(SimUser& user, size_t index, int64_t now) {
    sim::SimRandom random(seed_, static_cast<uint64_t>(now / 60), index + 1);
    const bool due = scheduled(user, now);
    if (due && !user.at_work) {
        user.at_work = true;
        user.laptop_closed = false;
    } else if (!due && user.at_work) {
        user.at_work = false;
        if (user.session) {
            if (user.habit == Habit::computing && random.chance(0.6))
                user.busy_until = now + random.between(2, 6) * 3600; // the overnight job
            else if (random.chance(check_in_at_leave(user.habit)))
                check_in(user);
            else if (user.habit == Habit::sleeper)
                user.laptop_closed = true;
        }
    }
    const int minute = minute_of_day(now);
    const bool at_lunch =
        user.at_work && minute >= user.lunch_minute && minute < user.lunch_minute + lunch_minutes;
    if (at_lunch && minute == user.lunch_minute && user.session && user.habit == Habit::tidy &&
        random.chance(0.4))
        check_in(user);
    const bool at_desk = user.at_work && !at_lunch && user.away_until <= now;
    if (at_desk && random.chance(1.0 / 200))
        user.away_until = now + random.between(30, 90) * 60; // a meeting; the app stays open
    else if (at_desk) {
        if (!user.session) {
            const PoolSpec& pool = pools_[user.pool];
            if (used(user.pool) + user.count > pool.total) {
                Denial denial;
                denial.kind = LH_DENIAL_DENIED;
                denial.vendor = pool.vendor;
                denial.feature = pool.feature;
                denial.user = user.name;
                denial.host = user.host;
                denial.time = now;
                denial.count = user.count;
                denials_.push_back({pool.server, denial});
            } else {
                user.session = next_session_++;
                user.checkout_time = now;
                user.last_input = now;
            }
        } else if (random.chance(0.8)) {
            user.last_input = now;
        }
        if (user.session && user.habit == Habit::computing && user.busy_until <= now &&
            random.chance(1.0 / 180))
            user.busy_until = now + random.between(30, 120) * 60;
    }
    if (user.session && user.habit != Habit::no_agent && !user.laptop_closed) {
        user.last_report = now;
        user.reported_busy = user.busy_until > now;
    }
}

std::vector<FeatureRecord> WeekModel::features(const std::string& server) const {
    std::vector<FeatureRecord> records;
    for (size_t p = 0; p < pools_.size(); ++p) {
        if (pools_[p].server != server)
            continue;
        FeatureRecord record;
        record.server = server;
        record.usage.vendor = pools_[p].vendor;
        record.usage.name = pools_[p].feature;
        record.usage.version = "1.0";
        record.usage.total = pools_[p].total;
        record.usage.used = used(p);
        records.push_back(record);
    }
    return records;
}

std::vector<SessionRecord> WeekModel::open_sessions(const std::string& server) const {
    std::vector<SessionRecord> records;
    for (const SimUser& user : users_) {
        const PoolSpec& pool = pools_[user.pool];
        if (!user.session || pool.server != server)
            continue;
        SessionRecord r;
        r.id = *user.session;
        r.server = server;
        r.session.vendor = pool.vendor;
        r.session.feature = pool.feature;
        r.session.version = "1.0";
        r.session.user = user.name;
        r.session.host = user.host;
        r.session.count = user.count;
        r.session.checkout_time = user.checkout_time;
        r.first_seen = user.checkout_time;
        records.push_back(r);
    }
    return records;
}

std::vector<AppActivity> WeekModel::activity() const {
    std::vector<AppActivity> apps;
    for (const SimUser& user : users_) {
        if (!user.session || user.habit == Habit::no_agent)
            continue;
        AppActivity a;
        a.agent = user.host + ":1000";
        a.app = pools_[user.pool].feature + "-app";
        a.host = user.host + ".corp.example"; // the agent's FQDN against the server's short name
        a.user = user.name;
        a.features = {pools_[user.pool].feature};
        a.focus_idle_s = user.last_report - user.last_input;
        a.cpu_percent = user.reported_busy ? busy_percent : quiet_percent;
        a.handler = "generic";
        a.methods = {"save_and_close"};
        a.report_time = user.last_report;
        a.report_interval_s = report_interval_s;
        apps.push_back(a);
    }
    return apps;
}

void WeekModel::close(int64_t session_id) {
    for (SimUser& user : users_)
        if (user.session == session_id)
            check_in(user);
}

const SimUser* WeekModel::user_of(int64_t session_id) const {
    for (const SimUser& user : users_)
        if (user.session == session_id)
            return &user;
    return nullptr;
}

} // namespace lmharvest::weeksim
