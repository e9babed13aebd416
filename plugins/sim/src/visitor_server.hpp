// The demo's seat for the person who runs it: a server with one feature of one license, held by
// that user on that machine from the first poll, so that a real `lmharvest agent` beside the
// demo has a session of its own to save and close (README, "Watch the agent save an idle
// Octave"). Once closed it stays free. Pure: the user, the host and each poll's time are given.
#pragma once

#include "sim_catalog.hpp"
#include "sim_snapshot.hpp"

#include <cstdint>
#include <string>
#include <string_view>

namespace lmharvest::sim {

struct VisitorSettings {
    std::string feature; // "MATLAB"
    std::string user;    // the login that holds it
    std::string host;    // the machine it is held on
    std::string address = "27000@sim-desk";
    std::string vendor = "MLM"; // a vendor_profiles() name
};

/// Why `settings` cannot make a server, or an empty string when it can.
std::string visitor_settings_problem(const VisitorSettings& settings);

class VisitorServer {
public:
    /// Throws std::invalid_argument when visitor_settings_problem(settings) is not empty.
    explicit VisitorServer(VisitorSettings settings);

    /// The first call is the checkout; later ones change nothing.
    void step_to(int64_t poll_time);
    SimSnapshot snapshot() const;
    /// Ends the visitor's session. False when it is closed already or the token is not its.
    bool close(std::string_view close_token);

private:
    VisitorSettings settings_;
    const VendorProfile* profile_;
    int64_t checkout_time_ = 0; // 0 before the first poll
    bool closed_ = false;
};

} // namespace lmharvest::sim
