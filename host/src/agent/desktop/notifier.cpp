#include "agent/desktop/notifier.hpp"

#include <cerrno>
#include <cstring>
#include <deque>
#include <mutex>
#include <poll.h>
#include <set>
#include <systemd/sd-bus.h>

namespace lmharvest::agent {
namespace {

constexpr const char* service = "org.freedesktop.Notifications";
constexpr const char* object = "/org/freedesktop/Notifications";
constexpr const char* interface = "org.freedesktop.Notifications";
// sd_bus_wait would hold the bus while it sleeps; waiting in slices lets show() in.
constexpr std::chrono::milliseconds wait_slice{100};

std::string bus_error_text(const sd_bus_error& error, int code) {
    if (error.message)
        return error.message;
    if (error.name)
        return error.name;
    return std::strerror(-code);
}

} // namespace

// A signal of the notification service, queued until the waiting thread reads it (a member of
// State, so not in the anonymous namespace).
struct NotificationSignal {
    uint32_t id = 0;
    std::string action; // "" for NotificationClosed
};

struct Notifier::State {
    std::mutex mutex; // guards everything below: sd-bus objects are not thread-safe
    sd_bus* bus = nullptr;
    sd_bus_slot* invoked = nullptr;
    sd_bus_slot* closed = nullptr;
    std::set<uint32_t> shown; // ids of our notifications still on screen
    std::deque<NotificationSignal> signals;

    ~State() {
        sd_bus_slot_unref(invoked);
        sd_bus_slot_unref(closed);
        sd_bus_flush_close_unref(bus);
    }
};

namespace {

int on_invoked(sd_bus_message* message, void* user_data, sd_bus_error*) {
    uint32_t id = 0;
    const char* key = nullptr;
    if (sd_bus_message_read(message, "us", &id, &key) >= 0 && key)
        static_cast<std::deque<NotificationSignal>*>(user_data)->push_back({id, key});
    return 0;
}

int on_closed(sd_bus_message* message, void* user_data, sd_bus_error*) {
    uint32_t id = 0;
    uint32_t reason = 0;
    if (sd_bus_message_read(message, "uu", &id, &reason) >= 0)
        static_cast<std::deque<NotificationSignal>*>(user_data)->push_back({id, ""});
    return 0;
}

} // namespace

Expected<std::unique_ptr<Notifier>> Notifier::connect() {
    auto state = std::make_unique<State>();
    if (const int r = sd_bus_open_user(&state->bus); r < 0)
        return unexpected("notifications: no session bus (" + std::string(std::strerror(-r)) +
                          "; is DBUS_SESSION_BUS_ADDRESS set?)");
    // Asking the server who it is proves a notification service runs (or can be started).
    sd_bus_error error = SD_BUS_ERROR_NULL;
    sd_bus_message* reply = nullptr;
    const int r = sd_bus_call_method(state->bus, service, object, interface, "GetServerInformation",
                                     &error, &reply, "");
    if (r < 0) {
        auto text = "notifications: no service " + std::string(service) + " on the session bus (" +
                    bus_error_text(error, r) + ")";
        sd_bus_error_free(&error);
        return unexpected(std::move(text));
    }
    sd_bus_message_unref(reply);
    // The sender is not matched: sd-bus sees the server's unique name, not the well-known one.
    // Ids we did not show are dropped instead.
    if (const int m = sd_bus_match_signal(state->bus, &state->invoked, nullptr, object, interface,
                                          "ActionInvoked", on_invoked, &state->signals);
        m < 0)
        return unexpected("notifications: cannot watch ActionInvoked: " +
                          std::string(std::strerror(-m)));
    if (const int m = sd_bus_match_signal(state->bus, &state->closed, nullptr, object, interface,
                                          "NotificationClosed", on_closed, &state->signals);
        m < 0)
        return unexpected("notifications: cannot watch NotificationClosed: " +
                          std::string(std::strerror(-m)));
    return std::unique_ptr<Notifier>(new Notifier(std::move(state)));
}

Notifier::Notifier(std::unique_ptr<State> state) : state_(std::move(state)) {}

Notifier::~Notifier() = default;

namespace {

// Notify's arguments: (susssasa{sv}i), Desktop Notifications Specification 1.2.
int append_notify_arguments(sd_bus_message* call, const Notification& notification) {
    int r = sd_bus_message_append(call, "susss", "lmharvest", 0u, "", notification.summary.c_str(),
                                  notification.body.c_str());
    if (r >= 0)
        r = sd_bus_message_open_container(call, 'a', "s");
    for (const auto& action : notification.actions) {
        if (r >= 0)
            r = sd_bus_message_append(call, "ss", action.key.c_str(), action.label.c_str());
    }
    if (r >= 0)
        r = sd_bus_message_close_container(call);
    // Hints: normal urgency, and no sound or icon guesses. "x-lmharvest" is not a standard key;
    // servers ignore hints they do not know.
    if (r >= 0)
        r = sd_bus_message_append(call, "a{sv}", 1, "urgency", "y", uint8_t{1});
    const int32_t expire_ms = notification.actions.empty() ? -1 : 0;
    if (r >= 0)
        r = sd_bus_message_append(call, "i", expire_ms);
    return r;
}

} // namespace

Expected<uint32_t> Notifier::show(const Notification& notification) {
    std::lock_guard lock(state_->mutex);
    sd_bus_message* call = nullptr;
    int r =
        sd_bus_message_new_method_call(state_->bus, &call, service, object, interface, "Notify");
    if (r >= 0)
        r = append_notify_arguments(call, notification);
    sd_bus_error error = SD_BUS_ERROR_NULL;
    sd_bus_message* reply = nullptr;
    if (r >= 0)
        r = sd_bus_call(state_->bus, call, 0, &error, &reply);
    sd_bus_message_unref(call);
    uint32_t id = 0;
    if (r >= 0)
        r = sd_bus_message_read(reply, "u", &id);
    sd_bus_message_unref(reply);
    if (r < 0) {
        auto text = "notifications: Notify failed: " + bus_error_text(error, r);
        sd_bus_error_free(&error);
        return unexpected(std::move(text));
    }
    state_->shown.insert(id);
    return id;
}

void Notifier::wait_for_actions(
    std::chrono::milliseconds timeout,
    const std::function<void(uint32_t, const std::string&)>& on_action) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    for (;;) {
        std::vector<NotificationSignal> ours;
        int fd = -1;
        {
            std::lock_guard lock(state_->mutex);
            while (sd_bus_process(state_->bus, nullptr) > 0) {
            }
            for (auto& signal : state_->signals) {
                if (!state_->shown.contains(signal.id))
                    continue;
                if (signal.action.empty())
                    state_->shown.erase(signal.id);
                ours.push_back(std::move(signal));
            }
            state_->signals.clear();
            fd = sd_bus_get_fd(state_->bus);
        }
        // Called without the lock, so that on_action may show another notification.
        for (const auto& signal : ours)
            if (!signal.action.empty())
                on_action(signal.id, signal.action);
        const auto left = std::chrono::ceil<std::chrono::milliseconds>(
            deadline - std::chrono::steady_clock::now());
        if (!ours.empty() || left.count() <= 0 || fd < 0)
            return;
        pollfd ready{fd, POLLIN, 0};
        ::poll(&ready, 1, static_cast<int>(std::min(left, wait_slice).count()));
    }
}

} // namespace lmharvest::agent
