// The test desktop itself: it starts what it promises and leaves nothing behind, also when the
// test program dies without cleaning up.
#include "agent/desktop/process_table.hpp"
#include "desktop_session.hpp"

#include <catch2/catch.hpp>
#include <sys/wait.h>
#include <unistd.h>

using namespace lmharvest;
using namespace std::chrono_literals;

namespace {

// Processes whose command line names the session's folder: openbox, dbus-daemon, dunst.
int processes_using(const std::string& dir) {
    const auto table = agent::list_processes(std::nullopt);
    REQUIRE(table);
    return static_cast<int>(std::count_if(table->begin(), table->end(), [&](const auto& entry) {
        return entry.command_line.find(dir) != std::string::npos;
    }));
}

bool display_answers(const std::string& display) {
    return test::run_command({"xdpyinfo", "-display", display}, {}).has_value();
}

} // namespace

TEST_CASE("a desktop session runs its daemons and stops them all") {
    std::string dir;
    std::string display;
    {
        auto desktop = test::DesktopSession::start();
        if (!desktop)
            FAIL(desktop.error());
        dir = (*desktop)->dir().string();
        display = (*desktop)->display();
        CHECK(display_answers(display));
        CHECK(processes_using(dir) == 3);
        const auto server = (*desktop)->run({"dbus-send", "--session", "--print-reply",
                                             "--dest=org.freedesktop.Notifications",
                                             "/org/freedesktop/Notifications",
                                             "org.freedesktop.Notifications.GetServerInformation"});
        REQUIRE(server);
        CHECK(server->find("\"dunst\"") != std::string::npos);
    }
    CHECK(processes_using(dir) == 0);
    CHECK_FALSE(display_answers(display));
}

TEST_CASE("a test program that dies without cleaning up leaves no daemon behind") {
    int announce[2];
    REQUIRE(::pipe(announce) == 0);
    const pid_t child = ::fork();
    REQUIRE(child >= 0);
    if (child == 0) {
        ::close(announce[0]);
        auto desktop = test::DesktopSession::start();
        const auto text =
            desktop ? (*desktop)->dir().string() + " " + (*desktop)->display() + "\n" : "\n";
        (void)!::write(announce[1], text.data(), text.size());
        ::_exit(0); // no destructors: as a crash would
    }
    ::close(announce[1]);
    std::string text;
    char c = 0;
    while (::read(announce[0], &c, 1) == 1 && c != '\n')
        text += c;
    ::close(announce[0]);
    ::waitpid(child, nullptr, 0);
    const auto space = text.find(' ');
    REQUIRE(space != std::string::npos);
    const auto dir = text.substr(0, space);
    const auto display = text.substr(space + 1);
    CHECK(test::wait_until([&] { return processes_using(dir) == 0; }, 10s));
    CHECK(test::wait_until([&] { return !display_answers(display); }, 10s));
    std::filesystem::remove_all(dir);
}
