// One connection to an X server for the two questions the agent asks it: how long since the
// last input (XScreenSaver), and which process owns the focused window (EWMH).
#pragma once

#include "common/expected.hpp"

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

namespace lmharvest::agent {

class X11Desktop {
public:
    /// Fails, naming the display, when it cannot be opened or lacks the MIT-SCREEN-SAVER
    /// extension. "" means $DISPLAY.
    static Expected<std::unique_ptr<X11Desktop>> open(const std::string& display);
    ~X11Desktop();
    X11Desktop(const X11Desktop&) = delete;
    X11Desktop& operator=(const X11Desktop&) = delete;

    /// False once the connection to the server was lost; then every answer is nullopt.
    bool connected() const;
    /// Milliseconds since the last keyboard or mouse input anywhere in the session.
    std::optional<int64_t> input_idle_ms();
    /// _NET_WM_PID of the window in the root's _NET_ACTIVE_WINDOW; nullopt when no window has
    /// focus, the window manager keeps no _NET_ACTIVE_WINDOW, or the window is of another
    /// machine (WM_CLIENT_MACHINE is not this host: its pid means nothing here).
    std::optional<int64_t> focused_pid();

private:
    struct State;
    explicit X11Desktop(std::unique_ptr<State> state);
    std::unique_ptr<State> state_;
};

} // namespace lmharvest::agent
