#include "visitor_server.hpp"

#include "sim_address.hpp"

#include <stdexcept>

namespace lmharvest::sim {
namespace {

constexpr std::string_view visitor_token = "visitor-1";

} // namespace

std::string visitor_settings_problem(const VisitorSettings& settings) {
    if (!find_vendor_profile(settings.vendor))
        return "unknown vendor '" + settings.vendor + "'";
    if (settings.feature.empty() || settings.user.empty() || settings.host.empty())
        return "the visitor's feature, user and host must not be empty";
    if (split_hosts(settings.address).size() != 1)
        return "a visitor's server is one host, not '" + settings.address + "'";
    return {};
}

VisitorServer::VisitorServer(VisitorSettings settings) : settings_(std::move(settings)) {
    if (const std::string problem = visitor_settings_problem(settings_); !problem.empty())
        throw std::invalid_argument(problem);
    profile_ = find_vendor_profile(settings_.vendor);
}

void VisitorServer::step_to(int64_t poll_time) {
    if (checkout_time_ == 0)
        checkout_time_ = poll_time;
}

SimSnapshot VisitorServer::snapshot() const {
    SimSnapshot snapshot;
    snapshot.servers.push_back(server_from_entry(settings_.address, *profile_));
    snapshot.servers.front().is_master = true;
    snapshot.vendor.name = std::string(profile_->name);
    snapshot.vendor.version = std::string(profile_->server_version);

    SimFeature feature;
    feature.name = settings_.feature;
    feature.version = std::string(profile_->feature_version);
    feature.expiry = std::string(profile_->expiry);
    feature.total = 1;
    feature.used = closed_ ? 0 : 1;
    snapshot.features.push_back(feature);
    if (closed_)
        return snapshot;

    const SimServerStatus& server = snapshot.servers.front();
    SimSession session;
    session.feature = feature.name;
    session.version = feature.version;
    session.user = settings_.user;
    session.host = settings_.host;
    if (profile_->shows_display)
        session.display = ":0";
    session.checkout_time = checkout_time_;
    session.server = server.host + "/" + server.port;
    if (profile_->has_handles)
        session.handle = "101";
    session.close_token = std::string(visitor_token);
    snapshot.sessions.push_back(std::move(session));
    return snapshot;
}

bool VisitorServer::close(std::string_view close_token) {
    if (closed_ || close_token != visitor_token)
        return false;
    closed_ = true;
    return true;
}

} // namespace lmharvest::sim
