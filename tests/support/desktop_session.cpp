#include "desktop_session.hpp"

#include <X11/Xatom.h>
#include <X11/Xlib.h>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <fstream>
#include <poll.h>
#include <unistd.h>

namespace lmharvest::test {
namespace {

using namespace std::chrono_literals;

// A pipe whose write end a daemon inherits to tell its address (Xvfb -displayfd,
// dbus-daemon --print-address).
struct AnnouncePipe {
    int read_end = -1;
    int write_end = -1;
    AnnouncePipe() {
        int fds[2];
        if (::pipe2(fds, O_CLOEXEC) == 0) {
            read_end = fds[0];
            write_end = fds[1];
        }
    }
    ~AnnouncePipe() {
        close_write();
        if (read_end >= 0)
            ::close(read_end);
    }
    void close_write() {
        if (write_end >= 0)
            ::close(write_end);
        write_end = -1;
    }
    // The first line written, without its newline; "" when nothing came within `timeout`.
    std::string first_line(std::chrono::milliseconds timeout) {
        close_write();
        std::string line;
        const auto deadline = std::chrono::steady_clock::now() + timeout;
        while (line.find('\n') == std::string::npos) {
            const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
                deadline - std::chrono::steady_clock::now());
            pollfd ready{read_end, POLLIN, 0};
            if (left.count() <= 0 || ::poll(&ready, 1, static_cast<int>(left.count())) <= 0)
                return "";
            char buffer[256];
            const auto got = ::read(read_end, buffer, sizeof buffer);
            if (got <= 0)
                return "";
            line.append(buffer, static_cast<std::size_t>(got));
        }
        return line.substr(0, line.find('\n'));
    }
};

Expected<std::filesystem::path> make_dir() {
    char pattern[] = "/tmp/lh-desktop-XXXXXX";
    if (!::mkdtemp(pattern))
        return unexpected("desktop: mkdtemp: " + std::string(std::strerror(errno)));
    return std::filesystem::path(pattern);
}

void write_file(const std::filesystem::path& path, const std::string& text) {
    std::ofstream(path, std::ios::binary) << text;
}

// A window manager that follows EWMH announces itself on the root window.
bool window_manager_ready(const std::string& display) {
    Display* x = XOpenDisplay(display.c_str());
    if (!x)
        return false;
    const Atom check = XInternAtom(x, "_NET_SUPPORTING_WM_CHECK", False);
    Atom type = None;
    int format = 0;
    unsigned long items = 0;
    unsigned long after = 0;
    unsigned char* data = nullptr;
    const bool ready = XGetWindowProperty(x, DefaultRootWindow(x), check, 0, 1, False, XA_WINDOW,
                                          &type, &format, &items, &after, &data) == Success &&
                       items == 1;
    if (data)
        XFree(data);
    XCloseDisplay(x);
    return ready;
}

// Only what the tests need: any name may be owned and called; no <servicedir>, so nothing is
// started behind the test's back (an absent service stays absent).
std::string bus_config(const std::filesystem::path& dir) {
    return R"(<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <listen>unix:dir=)" +
           dir.string() + R"(</listen>
  <auth>EXTERNAL</auth>
  <policy context="default">
    <allow send_destination="*" eavesdrop="true"/>
    <allow eavesdrop="true"/>
    <allow own="*"/>
  </policy>
</busconfig>
)";
}

// dunst's context menu runs `dmenu` with one line per action on stdin and takes the line
// printed back: this one prints the line holding the label the test wrote to `pick`.
std::string dunst_config(const std::filesystem::path& dir) {
    return "[global]\n"
           "    dmenu = \"/bin/sh " +
           (dir / "pick-action.sh").string() +
           "\"\n"
           "    mouse_left_click = do_action, close_current\n"
           "[urgency_normal]\n"
           "    timeout = 0\n";
}

} // namespace

Expected<std::unique_ptr<DesktopSession>> DesktopSession::start(const DesktopOptions& options) {
    auto dir = make_dir();
    if (!dir)
        return unexpected(dir.error());
    std::unique_ptr<DesktopSession> session(new DesktopSession());
    session->dir_ = *dir;
    if (auto x = session->start_x(options); !x)
        return unexpected(x.error());
    if (auto bus = session->start_bus(options); !bus)
        return unexpected(bus.error());
    return session;
}

Expected<void> DesktopSession::fail_with_log(const std::string& what,
                                             const ChildProcess& daemon) const {
    return unexpected("desktop: " + what + "; its log (" + daemon.output().string() + "):\n" +
                      read_text(daemon.output()));
}

Expected<void> DesktopSession::start_x(const DesktopOptions& options) {
    AnnouncePipe announce;
    auto x = ChildProcess::start({"Xvfb", "-displayfd", std::to_string(announce.write_end),
                                  "-screen", "0", "1024x768x24", "-nolisten", "tcp", "-noreset"},
                                 {{}, dir_ / "xvfb.log", {announce.write_end}});
    if (!x)
        return unexpected("desktop: Xvfb: " + x.error());
    x_server_ = std::move(*x);
    const auto number = announce.first_line(15s);
    if (number.empty())
        return fail_with_log("Xvfb did not tell its display within 15 s", *x_server_);
    display_ = ":" + number;
    if (!options.window_manager)
        return {};
    // openbox runs its --startup command once it manages the screen and handles events: a
    // window mapped before that may never be mapped.
    const auto ready = dir_ / "openbox-ready";
    auto wm = spawn({"openbox", "--sm-disable", "--startup", "touch " + ready.string()});
    if (!wm)
        return unexpected("desktop: openbox: " + wm.error());
    window_manager_ = std::move(*wm);
    if (!wait_until(
            [&] { return std::filesystem::exists(ready) && window_manager_ready(display_); }, 15s))
        return fail_with_log("openbox did not manage the screen within 15 s", *window_manager_);
    return {};
}

Expected<void> DesktopSession::start_bus(const DesktopOptions& options) {
    if (!options.session_bus)
        return {};
    write_file(dir_ / "bus.conf", bus_config(dir_));
    AnnouncePipe announce;
    auto bus = ChildProcess::start({"dbus-daemon", "--config-file=" + (dir_ / "bus.conf").string(),
                                    "--nofork", "--nosyslog",
                                    "--print-address=" + std::to_string(announce.write_end)},
                                   {{}, dir_ / "dbus.log", {announce.write_end}});
    if (!bus)
        return unexpected("desktop: dbus-daemon: " + bus.error());
    bus_ = std::move(*bus);
    bus_address_ = announce.first_line(15s);
    if (bus_address_.empty())
        return fail_with_log("dbus-daemon did not tell its address within 15 s", *bus_);
    if (!options.notifications)
        return {};
    return start_notifications();
}

Expected<void> DesktopSession::start_notifications() {
    if (bus_address_.empty() || notifications_)
        return unexpected("desktop: notifications need a session bus, and start once");
    write_file(dir_ / "dunstrc", dunst_config(dir_));
    write_file(dir_ / "pick-action.sh",
               "grep -F -m1 -- \"$(cat '" + (dir_ / "pick").string() + "')\"\n");
    auto dunst = spawn({"dunst", "-config", (dir_ / "dunstrc").string()});
    if (!dunst)
        return unexpected("desktop: dunst: " + dunst.error());
    notifications_ = std::move(*dunst);
    const auto owned = [&] {
        const auto answer =
            run({"dbus-send", "--session", "--print-reply", "--dest=org.freedesktop.DBus",
                 "/org/freedesktop/DBus", "org.freedesktop.DBus.NameHasOwner",
                 "string:org.freedesktop.Notifications"});
        return answer && answer->find("boolean true") != std::string::npos;
    };
    if (!wait_until(owned, 15s))
        return fail_with_log("dunst did not own org.freedesktop.Notifications within 15 s",
                             *notifications_);
    return {};
}

DesktopSession::~DesktopSession() {
    notifications_.reset();
    bus_.reset();
    window_manager_.reset();
    x_server_.reset();
    std::error_code ignored;
    std::filesystem::remove_all(dir_, ignored);
}

Environment DesktopSession::env() const {
    Environment env{{"DISPLAY", display_}};
    if (!bus_address_.empty())
        env.emplace_back("DBUS_SESSION_BUS_ADDRESS", bus_address_);
    return env;
}

void DesktopSession::export_env() const {
    for (const auto& [name, value] : env())
        ::setenv(name.c_str(), value.c_str(), 1);
}

Expected<std::string> DesktopSession::run(const std::vector<std::string>& argv) const {
    return run_command(argv, env());
}

Expected<std::unique_ptr<ChildProcess>>
DesktopSession::spawn(const std::vector<std::string>& argv) const {
    const auto log = std::filesystem::path(argv.front()).filename().string() + ".log";
    return ChildProcess::start(argv, {env(), dir_ / log, {}});
}

Expected<TestWindow> DesktopSession::open_window(const std::string& title, bool spin,
                                                 const std::vector<std::string>& child) const {
    std::vector<std::string> argv{LH_TEST_WINDOW, title};
    if (spin)
        argv.push_back("--spin");
    if (!child.empty()) {
        argv.push_back("--");
        argv.insert(argv.end(), child.begin(), child.end());
    }
    const auto log = dir_ / ("window-" + title + ".log");
    auto process = ChildProcess::start(argv, {env(), log, {}});
    if (!process)
        return unexpected(process.error());
    // The program prints "mapped <window id>" once the window manager has mapped it.
    unsigned long id = 0;
    const auto mapped = [&] {
        const auto text = read_text(log);
        const auto at = text.find("mapped ");
        if (at == std::string::npos || text.find('\n', at) == std::string::npos)
            return false;
        id = std::strtoul(text.c_str() + at + 7, nullptr, 0);
        return true;
    };
    if (!wait_until(mapped, 15s))
        return unexpected("desktop: window '" + title + "' was not mapped within 15 s; its log: " +
                          read_text(log) + "; openbox's: " + read_text(dir_ / "openbox.log"));
    return TestWindow{std::move(*process), id};
}

Expected<void> DesktopSession::focus(unsigned long window) const {
    if (auto done = run({"xdotool", "windowactivate", "--sync", std::to_string(window)}); !done)
        return unexpected(done.error());
    return {};
}

Expected<void> DesktopSession::click_notification() const {
    if (auto done = run({"dunstctl", "action", "0"}); !done)
        return unexpected(done.error());
    return {};
}

Expected<void> DesktopSession::choose_action(const std::string& label) const {
    write_file(dir_ / "pick", label);
    if (auto done = run({"dunstctl", "context"}); !done)
        return unexpected(done.error());
    return {};
}

Expected<std::string> DesktopSession::notification_history() const {
    return run({"dunstctl", "history"});
}

void DesktopSession::stop_x_server() {
    notifications_.reset();
    window_manager_.reset();
    x_server_.reset();
}

} // namespace lmharvest::test
