// A private desktop for tests: Xvfb on a free display, openbox (EWMH, so _NET_ACTIVE_WINDOW and
// _NET_WM_PID are kept), a private session bus without service activation, and dunst as the
// notification service. Everything stops when the object goes (each daemon's process group),
// and dies with the test program if that crashes.
//
//   auto desktop = lmharvest::test::DesktopSession::start();
//   REQUIRE(desktop);                      // the error says which daemon failed, with its log
//   auto window = (*desktop)->open_window("A");
//   (*desktop)->focus(window->id);         // xdotool windowactivate --sync
//   (*desktop)->run({"xdotool", "key", "x"});
#pragma once

#include "child_process.hpp"

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

namespace lmharvest::test {

struct DesktopOptions {
    bool window_manager = true; // openbox
    bool session_bus = true;    // dbus-daemon with this session's own config
    bool notifications = true;  // dunst on that bus (needs session_bus)
};

/// A window of tests/support/test_window.c: its process sets _NET_WM_PID and WM_CLIENT_MACHINE.
struct TestWindow {
    std::unique_ptr<ChildProcess> process;
    unsigned long id = 0; // the X window id
};

class DesktopSession {
public:
    static Expected<std::unique_ptr<DesktopSession>> start(const DesktopOptions& options = {});
    ~DesktopSession(); // stops every daemon, the last started first
    DesktopSession(const DesktopSession&) = delete;
    DesktopSession& operator=(const DesktopSession&) = delete;

    const std::string& display() const { return display_; }         // ":N"
    const std::string& bus_address() const { return bus_address_; } // "" without a bus
    /// DISPLAY and DBUS_SESSION_BUS_ADDRESS for the programs of this session.
    Environment env() const;
    /// Sets them in this process too, for code under test that reads them (sd_bus_open_user).
    void export_env() const;
    /// Logs of the daemons and their config files.
    const std::filesystem::path& dir() const { return dir_; }

    /// Runs a program in this session (xdotool, dunstctl, ...) and returns its output.
    Expected<std::string> run(const std::vector<std::string>& argv) const;
    /// Starts a program in this session; it stops with the returned object.
    Expected<std::unique_ptr<ChildProcess>> spawn(const std::vector<std::string>& argv) const;

    /// Opens a window titled `title` and waits until it is mapped. `spin`: its process busies a
    /// core. `child`: a command its process starts as its child (an app inside a terminal).
    Expected<TestWindow> open_window(const std::string& title, bool spin = false,
                                     const std::vector<std::string>& child = {}) const;
    /// Gives the window focus the way a window manager does (xdotool windowactivate --sync).
    Expected<void> focus(unsigned long window) const;

    /// Clicks the newest notification (dunstctl action 0: its "default" action).
    Expected<void> click_notification() const;
    /// Opens dunst's context menu and picks the action labelled `label` (as a user would).
    Expected<void> choose_action(const std::string& label) const;
    /// dunst's history (closed notifications) as JSON.
    Expected<std::string> notification_history() const;

    /// Starts dunst on the session bus (once; `notifications = false` left it out) and waits
    /// until it owns org.freedesktop.Notifications: a desktop whose daemon comes late.
    Expected<void> start_notifications();
    /// Ends the X server, as a logout does, and the daemons that need it.
    void stop_x_server();

private:
    DesktopSession() = default;
    Expected<void> start_x(const DesktopOptions& options);
    Expected<void> start_bus(const DesktopOptions& options);
    Expected<void> fail_with_log(const std::string& what, const ChildProcess& daemon) const;

    std::filesystem::path dir_;
    std::string display_;
    std::string bus_address_;
    std::unique_ptr<ChildProcess> x_server_;
    std::unique_ptr<ChildProcess> window_manager_;
    std::unique_ptr<ChildProcess> bus_;
    std::unique_ptr<ChildProcess> notifications_;
};

} // namespace lmharvest::test
