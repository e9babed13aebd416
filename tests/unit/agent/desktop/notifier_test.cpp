#include "agent/desktop/notifier.hpp"
#include "desktop_session.hpp"

#include <catch2/catch.hpp>
#include <cstdlib>

using namespace lmharvest;
using namespace lmharvest::agent;
using namespace std::chrono_literals;

namespace {

std::unique_ptr<test::DesktopSession> start(const test::DesktopOptions& options = {}) {
    auto desktop = test::DesktopSession::start(options);
    if (!desktop)
        FAIL(desktop.error());
    (*desktop)->export_env(); // sd_bus_open_user reads DBUS_SESSION_BUS_ADDRESS
    return std::move(*desktop);
}

std::unique_ptr<Notifier> connect() {
    auto notifier = Notifier::connect();
    if (!notifier)
        FAIL(notifier.error());
    return std::move(*notifier);
}

struct Invoked {
    uint32_t id = 0;
    std::string key;
};

// The first action invoked within 10 s (key "" when none came).
Invoked first_action(Notifier& notifier) {
    Invoked invoked;
    const auto deadline = std::chrono::steady_clock::now() + 10s;
    while (invoked.key.empty() && std::chrono::steady_clock::now() < deadline)
        notifier.wait_for_actions(500ms, [&](uint32_t id, const std::string& key) {
            invoked = {id, key};
        });
    return invoked;
}

bool displayed(const test::DesktopSession& desktop, int count) {
    return test::wait_until([&] {
        const auto text = desktop.run({"dunstctl", "count", "displayed"});
        return text && std::atoi(text->c_str()) == count;
    });
}

const Notification saved{"MATLAB was saved and closed",
                         "to free a license. Reopen?",
                         {{"default", "Reopen"}, {"reopen", "Reopen project"}, {"later", "Later"}}};

} // namespace

TEST_CASE("a click on the notification reaches wait_for_actions as the default action") {
    const auto desktop = start();
    const auto notifier = connect();
    const auto id = notifier->show(saved);
    REQUIRE(id);
    REQUIRE(displayed(*desktop, 1));
    if (auto clicked = desktop->click_notification(); !clicked)
        FAIL(clicked.error());
    const auto invoked = first_action(*notifier);
    CHECK(invoked.id == *id);
    CHECK(invoked.key == "default");
    // Closed, dunst keeps it in its history with our texts.
    REQUIRE(desktop->run({"dunstctl", "close-all"}));
    REQUIRE(displayed(*desktop, 0));
    const auto history = desktop->notification_history();
    REQUIRE(history);
    CHECK(history->find("MATLAB was saved and closed") != std::string::npos);
    CHECK(history->find("to free a license. Reopen?") != std::string::npos);
    CHECK(history->find("\"lmharvest\"") != std::string::npos); // the app name
}

TEST_CASE("an action chosen from the notification's menu reaches wait_for_actions by its key") {
    const auto desktop = start();
    const auto notifier = connect();
    const auto first = notifier->show({"A license for ARC/INFO is free now", "", {}});
    const auto second = notifier->show(saved);
    REQUIRE(first);
    REQUIRE(second);
    CHECK(*first != *second);
    REQUIRE(displayed(*desktop, 2));
    if (auto chosen = desktop->choose_action("Reopen project"); !chosen)
        FAIL(chosen.error());
    const auto invoked = first_action(*notifier);
    CHECK(invoked.id == *second);
    CHECK(invoked.key == "reopen");
}

TEST_CASE("waiting with no action returns after the timeout and calls nothing") {
    const auto desktop = start();
    const auto notifier = connect();
    REQUIRE(notifier->show(saved));
    int calls = 0;
    const auto started = std::chrono::steady_clock::now();
    notifier->wait_for_actions(300ms, [&](uint32_t, const std::string&) { ++calls; });
    CHECK(calls == 0);
    CHECK(std::chrono::steady_clock::now() - started >= 300ms);
}

TEST_CASE("without a notification service or a session bus, connect fails and says why") {
    {
        const auto desktop = start({.window_manager = false, .notifications = false});
        const auto notifier = Notifier::connect();
        REQUIRE_FALSE(notifier);
        CHECK_THAT(notifier.error(),
                   Catch::StartsWith("notifications: no service org.freedesktop.Notifications "
                                     "on the session bus ("));
    }
    ::setenv("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/lmharvest-test-bus", 1);
    const auto notifier = Notifier::connect();
    REQUIRE_FALSE(notifier);
    CHECK_THAT(notifier.error(), Catch::StartsWith("notifications: no session bus ("));
}
