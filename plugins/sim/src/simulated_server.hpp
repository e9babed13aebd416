// A simulated license server: servers, one vendor daemon, features and the sessions on them,
// generated from a seed and evolving minute by minute. Pure: no clock, no I/O; the time of each
// poll is passed in, so the same seed and the same poll times always give the same state.
#pragma once

#include "sim_catalog.hpp"
#include "sim_snapshot.hpp"

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace lmharvest::sim {

class SimRandom;

struct SimSettings {
    uint64_t seed = 1;
    std::string address = "27000@sim1"; // "27000@a,27000@b,27000@c" is a triad
    int features = 6;                   // 1 .. the vendor's catalog size
    int users = 30;                     // 1 .. max_users
    int churn_percent = 10;             // chance per minute that a session ends, 0 .. 100
    std::string vendor;                 // a vendor_profiles() name; empty: chosen by the seed
    bool down = false;                  // every server DOWN: no features, no sessions
};

inline constexpr int max_users = 500;

/// Why `settings` cannot make a server, or an empty string when it can.
std::string settings_problem(const SimSettings& settings);

class SimulatedServer {
public:
    /// Throws std::invalid_argument when settings_problem(settings) is not empty.
    explicit SimulatedServer(SimSettings settings);

    /// Advances the state to `poll_time` (epoch seconds). The first call fills the server as if
    /// it had been running for hours; later calls simulate each whole minute since the previous
    /// one (at most a day of them), in which sessions end and start. A time before the previous
    /// one changes nothing. Each minute draws from its own random stream, so the state at a
    /// time does not depend on how often the server was polled on the way there (gaps of more
    /// than a day aside), only on the first poll time and on the sessions closed.
    void step_to(int64_t poll_time);

    /// The state as the vendor's tool would report it now.
    SimSnapshot snapshot() const;

    /// Ends the session with this close token. False when no open session has it.
    bool close(std::string_view close_token);

    const SimSettings& settings() const { return settings_; }

private:
    struct Feature {
        SimFeature shown;  // `used` is filled in by snapshot()
        int64_t capacity;  // how many licenses users can hold; for uncounted, a typical peak
        double popularity; // the share of the capacity in use in the long run
    };
    struct User {
        std::string name;
        std::string host;
        std::string display;
        std::string host_ip;
    };
    struct Session {
        uint64_t id;
        size_t feature;
        size_t user;
        int64_t count;
        int64_t checkout_time;
        int64_t borrow_expiry;
        int64_t pid;
    };
    void populate(int64_t poll_time);
    void simulate_minute(int64_t minute);
    void try_start(size_t feature, int64_t checkout_time, SimRandom& random);
    int64_t in_use(size_t feature) const;
    static std::string close_token(uint64_t id);

    SimSettings settings_;
    const VendorProfile* profile_;
    std::vector<SimServerStatus> servers_;
    std::vector<Feature> features_;
    std::vector<User> users_;
    std::vector<Session> sessions_; // in id order
    uint64_t next_id_ = 1;
    bool started_ = false;
    int64_t last_minute_ = 0; // the last minute simulated (epoch minutes)
};

} // namespace lmharvest::sim
