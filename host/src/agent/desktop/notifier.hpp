// Desktop pop-ups with buttons through org.freedesktop.Notifications (the Desktop Notifications
// Specification 1.2) on the user's session bus, with sd-bus from libsystemd.
#pragma once

#include "common/expected.hpp"

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace lmharvest::agent {

struct NotificationAction {
    std::string key;
    std::string label;
}; // key "default" = a click
struct Notification {
    std::string summary; // "MATLAB was saved and closed"
    std::string body;    // "to free a license. Reopen?"
    std::vector<NotificationAction> actions;
};

/// org.freedesktop.Notifications on the session bus (sd-bus, libsystemd).
/// Safe to use from two threads (one showing, one waiting for actions): calls are serialized.
class Notifier {
public:
    /// Fails (Expected error) when there is no session bus or no notification service.
    static Expected<std::unique_ptr<Notifier>> connect();
    ~Notifier();
    Notifier(const Notifier&) = delete;
    Notifier& operator=(const Notifier&) = delete;

    /// Shows it and returns the server's id. A notification with actions never expires by
    /// itself: the user may come back to an idle machine hours later and click Reopen.
    Expected<uint32_t> show(const Notification& notification);
    /// Waits up to `timeout` for ActionInvoked/NotificationClosed signals and calls
    /// on_action(notification id, action key) for each action invoked.
    /// Returns early once a signal about one of this Notifier's notifications was handled;
    /// signals about other programs' notifications are ignored.
    void wait_for_actions(std::chrono::milliseconds timeout,
                          const std::function<void(uint32_t, const std::string&)>& on_action);

private:
    struct State;
    explicit Notifier(std::unique_ptr<State> state);
    std::unique_ptr<State> state_;
};

} // namespace lmharvest::agent
