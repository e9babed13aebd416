// What the simulated servers are made of: vendors as real license servers present them, and
// the names of the people who use them.
#pragma once

#include <span>
#include <string_view>

namespace lmharvest::sim {

/// How many licenses a site typically buys of a feature.
enum class FeatureSize {
    large,    // the main product: a share of all users
    medium,   // a popular add-on
    small,    // a toolbox or module: 2 to 5 seats, where thresholds bite
    uncounted // no limit on the count
};

struct FeatureTemplate {
    std::string_view name;
    FeatureSize size;
};

/// One vendor daemon and the way its tool reports checkouts.
struct VendorProfile {
    std::string_view name;                     // "MLM"
    std::string_view server_version;           // what the license server reports
    std::string_view feature_version;          // version of every feature
    std::string_view expiry;                   // as the tool prints it
    std::string_view port;                     // default port when an address names none
    bool has_handles;                          // FlexNet lists a handle per checkout; LM-X does not
    bool shows_display;                        // LM-X prints no display
    bool shows_pid;                            // MLM prints the client's PID
    std::span<const FeatureTemplate> features; // the main product first
};

std::span<const VendorProfile> vendor_profiles();

/// The profile named `name` (exact, as license files spell it), or nullptr.
const VendorProfile* find_vendor_profile(std::string_view name);

/// Surnames that, with an initial, make login names like "jsmith".
std::span<const std::string_view> login_surnames();

} // namespace lmharvest::sim
