// What a reload keeps, re-creates, adds and removes, from the settings alone.
#include "service/reload_plan.hpp"

#include <algorithm>
#include <catch2/catch.hpp>
#include <toml++/toml.h>

using namespace lmharvest;

namespace {

ServerConfig server(const std::string& id, const std::string& table_text = "") {
    ServerConfig server;
    server.id = id;
    server.adapter = "sim";
    server.address = "27000@" + id;
    server.plugin_table =
        PluginTable(toml::parse(table_text, std::string_view("test.toml")), "test.toml");
    return server;
}

} // namespace

TEST_CASE("a reload keeps what is the same, even at another place in the file") {
    const ServerConfig a = server("a", "seed = 7");
    ServerConfig moved = server("a", "seed = 7");
    moved.location = "test.toml:30:1";
    const ReloadPlan plan = plan_reload({&a}, {moved});
    CHECK(plan.keep == std::vector<std::string>{"a"});
    CHECK(plan.replace.empty());
    CHECK(plan.add.empty());
    CHECK(plan.remove.empty());
}

TEST_CASE("a reload re-creates a server when any setting or its adapter table changed") {
    const ServerConfig a = server("a", "seed = 7");
    ServerConfig interval = server("a", "seed = 7");
    interval.interval = std::chrono::seconds(5);
    CHECK(plan_reload({&a}, {interval}).replace == std::vector<std::string>{"a"});
    CHECK(plan_reload({&a}, {server("a", "seed = 8")}).replace == std::vector<std::string>{"a"});
    ServerConfig address = server("a", "seed = 7");
    address.address = "27001@a";
    CHECK(plan_reload({&a}, {address}).replace == std::vector<std::string>{"a"});
}

TEST_CASE("a reload adds new servers and removes those gone or disabled") {
    const ServerConfig a = server("a");
    const ServerConfig b = server("b");
    ServerConfig b_disabled = server("b");
    b_disabled.enabled = false;
    const ReloadPlan plan = plan_reload({&a, &b}, {b_disabled, server("c")});
    CHECK(plan.keep.empty());
    CHECK(plan.add == std::vector<std::string>{"c"});
    std::vector<std::string> removed = plan.remove;
    std::sort(removed.begin(), removed.end());
    CHECK(removed == std::vector<std::string>{"a", "b"});
}
