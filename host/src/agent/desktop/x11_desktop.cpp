#include "agent/desktop/x11_desktop.hpp"

#include <X11/Xatom.h>
#include <X11/Xlib.h>
#include <X11/Xutil.h>
#include <X11/extensions/scrnsaver.h>
#include <atomic>
#include <lmharvest/os/machine_name.hpp>
#include <unistd.h>

namespace lmharvest::agent {
namespace {

// Xlib's default handlers end the process: on a window that closed between two requests
// (BadWindow) and on a lost connection. Both are ordinary for an agent that outlives windows
// and, at logout, the X server.
int ignore_x_error(Display*, XErrorEvent*) {
    return 0;
}

// Returns instead of exiting, so that Xlib goes on to mark_lost (libX11 >= 1.7).
int report_lost(Display*) {
    return 0;
}

void mark_lost(Display*, void* lost) {
    static_cast<std::atomic<bool>*>(lost)->store(true);
}

// Short names: one side may say "ws-031", the other "ws-031.corp".
std::string short_name(std::string name) {
    return name.substr(0, name.find('.'));
}

std::string host_name() {
    return short_name(os::machine_name());
}

} // namespace

struct X11Desktop::State {
    Display* display = nullptr;
    std::atomic<bool> lost{false};
    Atom active_window = None;
    Atom wm_pid = None;
    std::string host = host_name();
    XScreenSaverInfo* info = nullptr;
};

Expected<std::unique_ptr<X11Desktop>> X11Desktop::open(const std::string& name) {
    XSetErrorHandler(ignore_x_error);
    XSetIOErrorHandler(report_lost);
    auto state = std::make_unique<State>();
    state->display = XOpenDisplay(name.empty() ? nullptr : name.c_str());
    const std::string shown = name.empty() ? "$DISPLAY" : name;
    if (!state->display)
        return unexpected("X display '" + shown + "': cannot open it");
    XSetIOErrorExitHandler(state->display, mark_lost, &state->lost);
    int event_base = 0;
    int error_base = 0;
    if (!XScreenSaverQueryExtension(state->display, &event_base, &error_base)) {
        XCloseDisplay(state->display);
        return unexpected("X display '" + shown + "': no MIT-SCREEN-SAVER extension");
    }
    state->info = XScreenSaverAllocInfo();
    state->active_window = XInternAtom(state->display, "_NET_ACTIVE_WINDOW", False);
    state->wm_pid = XInternAtom(state->display, "_NET_WM_PID", False);
    return std::unique_ptr<X11Desktop>(new X11Desktop(std::move(state)));
}

X11Desktop::X11Desktop(std::unique_ptr<State> state) : state_(std::move(state)) {}

X11Desktop::~X11Desktop() {
    if (state_->info)
        XFree(state_->info);
    // After a lost connection Xlib has given up on it; closing would only write to a dead socket.
    if (!state_->lost)
        XCloseDisplay(state_->display);
}

bool X11Desktop::connected() const {
    return !state_->lost;
}

std::optional<int64_t> X11Desktop::input_idle_ms() {
    if (state_->lost ||
        !XScreenSaverQueryInfo(state_->display, DefaultRootWindow(state_->display), state_->info))
        return std::nullopt;
    if (state_->lost)
        return std::nullopt;
    return static_cast<int64_t>(state_->info->idle);
}

namespace {

// The first 32-bit item of a window property (X returns format-32 items as longs).
std::optional<unsigned long> cardinal_property(Display* display, Window window, Atom property,
                                               Atom type) {
    Atom actual_type = None;
    int actual_format = 0;
    unsigned long items = 0;
    unsigned long bytes_after = 0;
    unsigned char* data = nullptr;
    const auto status =
        XGetWindowProperty(display, window, property, 0, 1, False, type, &actual_type,
                           &actual_format, &items, &bytes_after, &data);
    std::optional<unsigned long> value;
    if (status == Success && data && actual_type == type && actual_format == 32 && items == 1)
        value = *reinterpret_cast<unsigned long*>(data);
    if (data)
        XFree(data);
    return value;
}

} // namespace

std::optional<int64_t> X11Desktop::focused_pid() {
    if (state_->lost)
        return std::nullopt;
    auto* display = state_->display;
    const auto window =
        cardinal_property(display, DefaultRootWindow(display), state_->active_window, XA_WINDOW);
    if (!window || *window == None)
        return std::nullopt;
    const auto pid = cardinal_property(display, *window, state_->wm_pid, XA_CARDINAL);
    if (!pid || *pid == 0 || state_->lost)
        return std::nullopt;
    XTextProperty machine{};
    if (XGetWMClientMachine(display, *window, &machine) && machine.value) {
        const std::string client(reinterpret_cast<char*>(machine.value), machine.nitems);
        XFree(machine.value);
        if (short_name(client) != state_->host)
            return std::nullopt;
    }
    return static_cast<int64_t>(*pid);
}

} // namespace lmharvest::agent
