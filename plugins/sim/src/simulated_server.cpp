#include "simulated_server.hpp"

#include "sim_address.hpp"
#include "sim_random.hpp"

#include <algorithm>
#include <cmath>
#include <lmharvest/text/scan.hpp>
#include <set>
#include <stdexcept>

namespace lmharvest::sim {
namespace {

// Separate random streams for separate purposes, so that adding a draw to one never shifts
// the numbers of another.
enum Purpose : uint64_t { layout = 1, population = 2, minute_events = 3 };

constexpr int64_t seconds_per_minute = 60;
constexpr int64_t seconds_per_day = 86400;
// Beyond a day of silence every session has long turned over, so older minutes are skipped:
// a poll after a long pause costs the same as one after a day.
constexpr int64_t max_catch_up_minutes = 1440;
// The first poll shows sessions opened during a working day.
constexpr int64_t max_initial_session_age = 8 * 3600;
constexpr double multi_token_share = 0.10;
constexpr double borrowed_share = 0.03;

int64_t floor_div(int64_t value, int64_t divisor) {
    const int64_t quotient = value / divisor;
    return quotient - ((value % divisor != 0) && ((value < 0) != (divisor < 0)));
}

const VendorProfile& profile_for(const SimSettings& settings) {
    if (!settings.vendor.empty())
        if (const VendorProfile* profile = find_vendor_profile(settings.vendor))
            return *profile;
    const auto profiles = vendor_profiles();
    return profiles[mix64(settings.seed) % profiles.size()];
}

std::string workstation_name(int64_t number) {
    std::string digits = std::to_string(number);
    return "ws-" + std::string(digits.size() < 3 ? 3 - digits.size() : 0, '0') + digits;
}

int64_t licenses_bought(FeatureSize size, int64_t users, SimRandom& random) {
    switch (size) {
    case FeatureSize::large:
        return std::max<int64_t>(2, users * random.between(40, 70) / 100);
    case FeatureSize::medium:
        return std::max<int64_t>(2, users * random.between(10, 30) / 100);
    case FeatureSize::small:
        return random.between(2, 5);
    case FeatureSize::uncounted:
        break;
    }
    return -1;
}

} // namespace

std::string settings_problem(const SimSettings& settings) {
    if (!settings.vendor.empty() && !find_vendor_profile(settings.vendor)) {
        std::string known;
        for (const VendorProfile& profile : vendor_profiles())
            known += (known.empty() ? "" : ", ") + std::string(profile.name);
        return "unknown vendor '" + settings.vendor + "'; known vendors: " + known;
    }
    const size_t catalog_size = profile_for(settings).features.size();
    if (settings.features < 1 || static_cast<size_t>(settings.features) > catalog_size)
        return "features = " + std::to_string(settings.features) + " is out of range 1.." +
               std::to_string(catalog_size);
    if (settings.users < 1 || settings.users > max_users)
        return "users = " + std::to_string(settings.users) + " is out of range 1.." +
               std::to_string(max_users);
    if (settings.churn_percent < 0 || settings.churn_percent > 100)
        return "churn = " + std::to_string(settings.churn_percent) +
               " is out of range 0..100 (percent per minute)";
    for (std::string_view entry : split_hosts(settings.address))
        if (entry.empty() || entry.back() == '@')
            return "address '" + settings.address + "' names an empty host";
    return {};
}

SimulatedServer::SimulatedServer(SimSettings settings) : settings_(std::move(settings)) {
    if (const std::string problem = settings_problem(settings_); !problem.empty())
        throw std::invalid_argument(problem);
    profile_ = &profile_for(settings_);
    SimRandom random(settings_.seed, 0, layout);

    for (std::string_view entry : split_hosts(settings_.address))
        servers_.push_back(server_from_entry(entry, *profile_));
    servers_.front().is_master = true;

    for (int index = 0; index < settings_.features; ++index) {
        const FeatureTemplate& kind = profile_->features[static_cast<size_t>(index)];
        Feature feature;
        feature.shown.name = std::string(kind.name);
        feature.shown.version = std::string(profile_->feature_version);
        feature.shown.expiry = std::string(profile_->expiry);
        feature.shown.uncounted = kind.size == FeatureSize::uncounted;
        feature.shown.total = licenses_bought(kind.size, settings_.users, random);
        feature.capacity =
            feature.shown.uncounted ? std::max(2, settings_.users / 4) : feature.shown.total;
        feature.popularity = static_cast<double>(random.between(55, 95)) / 100.0;
        features_.push_back(std::move(feature));
    }

    const auto surnames = login_surnames();
    std::set<std::string> logins;
    std::set<int64_t> workstations;
    while (users_.size() < static_cast<size_t>(settings_.users)) {
        std::string login(1, static_cast<char>('a' + random.below(26)));
        login += surnames[random.below(surnames.size())];
        const int64_t workstation = random.between(1, 999);
        if (logins.count(login) || workstations.count(workstation))
            continue;
        logins.insert(login);
        workstations.insert(workstation);
        User user;
        user.name = login;
        user.host = workstation_name(workstation);
        user.host_ip = "10.20." + std::to_string(workstation / 100) + "." +
                       std::to_string(workstation % 100 + 10);
        // Windows clients report their computer name as the display, X11 clients ":0".
        if (profile_->shows_display)
            user.display = random.chance(0.7) ? user.host : ":0";
        users_.push_back(std::move(user));
    }
}

void SimulatedServer::step_to(int64_t poll_time) {
    const int64_t minute = floor_div(poll_time, seconds_per_minute);
    if (!started_) {
        populate(poll_time);
        started_ = true;
        last_minute_ = minute;
        return;
    }
    if (minute <= last_minute_)
        return;
    for (int64_t next = std::max(last_minute_ + 1, minute - max_catch_up_minutes + 1);
         next <= minute; ++next)
        simulate_minute(next);
    last_minute_ = minute;
}

void SimulatedServer::populate(int64_t poll_time) {
    SimRandom random(settings_.seed, static_cast<uint64_t>(poll_time), population);
    for (size_t feature = 0; feature < features_.size(); ++feature) {
        const int64_t capacity = features_[feature].capacity;
        const auto wanted =
            static_cast<int64_t>(std::lround(features_[feature].popularity * capacity));
        // try_start gives up when every user already holds the feature.
        for (int64_t attempt = 0; attempt < 2 * capacity && in_use(feature) < wanted; ++attempt)
            try_start(feature, poll_time - random.between(60, max_initial_session_age), random);
    }
}

// Each session ends with the churn probability; each free license is taken with a probability
// chosen so that, in the long run, a feature's share in use settles at its popularity.
void SimulatedServer::simulate_minute(int64_t minute) {
    SimRandom random(settings_.seed, static_cast<uint64_t>(minute), minute_events);
    const int64_t now = minute * seconds_per_minute;
    const double end_chance = settings_.churn_percent / 100.0;

    std::vector<Session> staying;
    staying.reserve(sessions_.size());
    for (const Session& session : sessions_) {
        // A borrowed license stays with its client until the borrow period is over.
        const bool ends =
            session.borrow_expiry != 0 ? session.borrow_expiry <= now : random.chance(end_chance);
        if (!ends)
            staying.push_back(session);
    }
    sessions_ = std::move(staying);

    for (size_t feature = 0; feature < features_.size(); ++feature) {
        const double popularity = features_[feature].popularity;
        const double start_chance = std::min(1.0, end_chance * popularity / (1.0 - popularity));
        const int64_t free = features_[feature].capacity - in_use(feature);
        for (int64_t slot = 0; slot < free; ++slot)
            if (random.chance(start_chance))
                try_start(feature, now - random.between(0, seconds_per_minute - 1), random);
    }
}

void SimulatedServer::try_start(size_t feature, int64_t checkout_time, SimRandom& random) {
    const int64_t free = features_[feature].capacity - in_use(feature);
    if (free <= 0)
        return;
    // Nobody checks the same feature out twice.
    std::vector<bool> holds(users_.size(), false);
    for (const Session& session : sessions_)
        if (session.feature == feature)
            holds[session.user] = true;
    std::vector<size_t> candidates;
    for (size_t user = 0; user < users_.size(); ++user)
        if (!holds[user])
            candidates.push_back(user);
    if (candidates.empty())
        return;

    Session session{};
    session.id = next_id_++;
    session.feature = feature;
    session.user = candidates[random.below(candidates.size())];
    session.count = random.chance(multi_token_share) ? std::min(free, random.between(2, 4)) : 1;
    session.checkout_time = checkout_time;
    if (random.chance(borrowed_share))
        session.borrow_expiry = checkout_time + random.between(1, 14) * seconds_per_day;
    if (profile_->shows_pid)
        session.pid = random.between(1000, 4194303);
    sessions_.push_back(session);
}

int64_t SimulatedServer::in_use(size_t feature) const {
    int64_t used = 0;
    for (const Session& session : sessions_)
        if (session.feature == feature)
            used += session.count;
    return used;
}

std::string SimulatedServer::close_token(uint64_t id) {
    return "sim-" + std::to_string(id);
}

SimSnapshot SimulatedServer::snapshot() const {
    SimSnapshot snapshot;
    snapshot.servers = servers_;
    snapshot.vendor.name = std::string(profile_->name);
    snapshot.vendor.version = std::string(profile_->server_version);
    if (settings_.down) {
        for (SimServerStatus& server : snapshot.servers) {
            server.up = false;
            server.message = "Cannot connect to license server system (simulated: down = true)";
        }
        snapshot.vendor.up = false;
        snapshot.vendor.message = "license server is down";
        return snapshot;
    }

    for (size_t feature = 0; feature < features_.size(); ++feature) {
        snapshot.features.push_back(features_[feature].shown);
        snapshot.features.back().used = in_use(feature);
    }

    const SimServerStatus& master = servers_.front();
    for (const Session& session : sessions_) {
        const Feature& feature = features_[session.feature];
        const User& user = users_[session.user];
        SimSession shown;
        shown.feature = feature.shown.name;
        shown.version = feature.shown.version;
        shown.user = user.name;
        shown.host = user.host;
        shown.display = user.display;
        shown.host_ip = user.host_ip;
        shown.count = session.count;
        shown.checkout_time = session.checkout_time;
        shown.borrow_expiry = session.borrow_expiry;
        shown.pid = session.pid;
        shown.server = master.host + "/" + master.port;
        // A borrowed license lives on the client: the server lists it without a handle.
        if (profile_->has_handles && session.borrow_expiry == 0)
            shown.handle = std::to_string(session.id * 100 + 1);
        shown.close_token = close_token(session.id);
        snapshot.sessions.push_back(std::move(shown));
    }
    std::stable_sort(
        snapshot.sessions.begin(), snapshot.sessions.end(),
        [](const SimSession& a, const SimSession& b) { return a.checkout_time < b.checkout_time; });
    return snapshot;
}

bool SimulatedServer::close(std::string_view token) {
    const auto found = std::find_if(sessions_.begin(), sessions_.end(),
                                    [&](const Session& s) { return close_token(s.id) == token; });
    if (found == sessions_.end())
        return false;
    sessions_.erase(found);
    return true;
}

} // namespace lmharvest::sim
