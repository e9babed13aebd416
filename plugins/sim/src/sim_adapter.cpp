// The sim plugin: a SimulatedServer behind the SDK's adapter interface, so that the host, the
// demo and the tests run the real plugin path without a license server.
#include "simulated_server.hpp"
#include "visitor_server.hpp"

#include <limits>
#include <lmharvest/os/login_name.hpp>
#include <lmharvest/os/machine_name.hpp>
#include <lmharvest/plugin.hpp>
#include <variant>

namespace lmharvest::sim {
namespace {

// An int key that must fit the range the simulation accepts; settings_problem() checks the
// range itself, this only keeps a huge TOML integer from wrapping into a valid one.
int int_setting(const sdk::Instance& instance, const char* key, int fallback) {
    const std::optional<int64_t> value = instance.get_int(key);
    if (!value)
        return fallback;
    if (*value < std::numeric_limits<int>::min() || *value > std::numeric_limits<int>::max())
        throw sdk::Error(LH_ERR_INVALID_ARGUMENT,
                         std::string("config key '") + key + "' is out of range");
    return static_cast<int>(*value);
}

SimSettings read_settings(const sdk::Instance& instance) {
    SimSettings settings;
    settings.seed = static_cast<uint64_t>(instance.get_int("seed").value_or(1));
    settings.address = instance.address();
    settings.features = int_setting(instance, "features", settings.features);
    settings.users = int_setting(instance, "users", settings.users);
    settings.churn_percent = int_setting(instance, "churn", settings.churn_percent);
    settings.vendor = instance.get_string("vendor").value_or("");
    settings.down = instance.get_bool("down").value_or(false);
    if (const std::string problem = settings_problem(settings); !problem.empty())
        throw sdk::Error(LH_ERR_INVALID_ARGUMENT, "sim: " + problem);
    return settings;
}

using Server = std::variant<SimulatedServer, VisitorServer>;

// `visitor = "MATLAB"`: the visitor's seat instead of a simulated population. The other keys are
// read either way, so that a table is checked the same with or without it.
Server make_server(const sdk::Instance& instance) {
    SimSettings simulated = read_settings(instance);
    const std::optional<std::string> visitor = instance.get_string("visitor");
    if (!visitor)
        return SimulatedServer(std::move(simulated));
    VisitorSettings settings{*visitor, os::login_name(), os::machine_name(), simulated.address,
                             simulated.vendor.empty() ? "MLM" : simulated.vendor};
    if (const std::string problem = visitor_settings_problem(settings); !problem.empty())
        throw sdk::Error(LH_ERR_INVALID_ARGUMENT, "sim: " + problem);
    return VisitorServer(std::move(settings));
}

const char* or_null(const std::string& text) {
    return text.empty() ? nullptr : text.c_str();
}

int32_t state_of(bool up) {
    return up ? LH_STATE_UP : LH_STATE_DOWN;
}

} // namespace

class SimAdapter {
public:
    // Every key is read here, once: the host refuses keys that no plugin reads.
    explicit SimAdapter(const sdk::Instance& instance)
        : server_(make_server(instance)), fail_every_(instance.get_int("fail_every").value_or(0)) {
        if (fail_every_ < 0)
            throw sdk::Error(LH_ERR_INVALID_ARGUMENT, "sim: fail_every must be 0 or more");
    }

    void poll(const lh_poll_request& request, sdk::PollSink& sink) {
        // The simulated server lives on whether or not this poll reaches it.
        std::visit([&](auto& server) { server.step_to(request.poll_time); }, server_);
        ++polls_;
        if (fail_every_ > 0 && polls_ % fail_every_ == 0)
            throw sdk::Error(LH_ERR_UNAVAILABLE, "sim: poll " + std::to_string(polls_) +
                                                     " fails on purpose (fail_every = " +
                                                     std::to_string(fail_every_) + ")");
        emit(std::visit([](const auto& server) { return server.snapshot(); }, server_), sink);
    }

    sdk::CloseOutcome close_session(std::string_view close_token) {
        if (std::visit([&](auto& server) { return server.close(close_token); }, server_))
            return {};
        return {LH_ERR_ALREADY_GONE,
                "sim: no open session has close token '" + std::string(close_token) + "'"};
    }

private:
    static void emit(const SimSnapshot& snapshot, sdk::PollSink& sink) {
        for (const SimServerStatus& server : snapshot.servers) {
            lh_server_status record{};
            record.host = server.host.c_str();
            record.state = state_of(server.up);
            record.is_master = server.is_master ? 1 : 0;
            record.version = or_null(server.version);
            record.message = or_null(server.message);
            sink.server(record);
        }

        lh_vendor_status vendor{};
        vendor.name = snapshot.vendor.name.c_str();
        vendor.state = state_of(snapshot.vendor.up);
        vendor.version = or_null(snapshot.vendor.version);
        vendor.message = or_null(snapshot.vendor.message);
        sink.vendor(vendor);

        for (const SimFeature& feature : snapshot.features) {
            lh_feature record{};
            record.vendor = vendor.name;
            record.name = feature.name.c_str();
            record.version = or_null(feature.version);
            record.total = feature.total;
            record.used = feature.used;
            record.expiry = or_null(feature.expiry);
            record.flags = feature.uncounted ? LH_FEATURE_UNCOUNTED : 0;
            sink.feature(record);
        }

        for (const SimSession& session : snapshot.sessions) {
            lh_session record{};
            record.vendor = vendor.name;
            record.feature = session.feature.c_str();
            record.version = or_null(session.version);
            record.user = session.user.c_str();
            record.host = session.host.c_str();
            record.display = or_null(session.display);
            record.host_ip = or_null(session.host_ip);
            record.count = session.count;
            record.checkout_time = session.checkout_time;
            record.borrow_expiry = session.borrow_expiry;
            record.pid = session.pid;
            record.server = or_null(session.server);
            record.handle = or_null(session.handle);
            record.close_token = session.close_token.c_str();
            sink.session(record);
        }
    }

    Server server_;
    int64_t fail_every_;
    int64_t polls_ = 0;
};

} // namespace lmharvest::sim

LMHARVEST_ADAPTER_PLUGIN(lmharvest::sim::SimAdapter, "sim", "1.0.0",
                         "Simulated license server: seeded, realistic, changing sessions")
