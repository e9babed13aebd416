#include "config/plugin_table.hpp"

#include <catch2/catch.hpp>
#include <thread>
#include <toml++/toml.h>

using namespace lmharvest;

namespace {

PluginTable table_from(std::string_view text) {
    return PluginTable(toml::parse(text, std::string_view("plugin.toml")), "lmharvest.toml");
}

const char* const sample = R"(lmutil = "/opt/flexnet/lmutil"
port = 27000
verbose = true
timeout = "1m30s"
retry = 5
close.argv = ["lmremove", "-h"]
close.wait = "2s"
)";

} // namespace

TEST_CASE("typed lookups by dotted key") {
    PluginTable table = table_from(sample);
    const char* text = nullptr;
    int64_t number = 0;
    bool flag = false;
    REQUIRE(table.get_string("lmutil", text) == Lookup::ok);
    CHECK(std::string(text) == "/opt/flexnet/lmutil");
    REQUIRE(table.get_int("port", number) == Lookup::ok);
    CHECK(number == 27000);
    REQUIRE(table.get_bool("verbose", flag) == Lookup::ok);
    CHECK(flag);
    REQUIRE(table.get_duration_ms("timeout", number) == Lookup::ok);
    CHECK(number == 90'000);
    REQUIRE(table.get_duration_ms("retry", number) == Lookup::ok);
    CHECK(number == 5'000); // an integer is seconds
    REQUIRE(table.get_duration_ms("close.wait", number) == Lookup::ok);
    CHECK(number == 2'000);
    REQUIRE(table.get_string_at("close.argv", 1, text) == Lookup::ok);
    CHECK(std::string(text) == "-h");
}

TEST_CASE("lookups report absent keys and other types") {
    PluginTable table = table_from(sample);
    const char* text = nullptr;
    int64_t number = 0;
    bool flag = false;
    CHECK(table.get_string("missing", text) == Lookup::not_found);
    CHECK(table.get_string("close.missing", text) == Lookup::not_found);
    CHECK(table.get_string("lmutil.deeper", text) == Lookup::not_found);
    CHECK(table.get_string("port", text) == Lookup::wrong_type);
    CHECK(table.get_string("close", text) == Lookup::wrong_type);
    CHECK(table.get_int("lmutil", number) == Lookup::wrong_type);
    CHECK(table.get_bool("port", flag) == Lookup::wrong_type);
    CHECK(table.get_duration_ms("lmutil", number) == Lookup::wrong_type);
    CHECK(table.get_duration_ms("verbose", number) == Lookup::wrong_type);
    CHECK(table.get_string_at("close.argv", 2, text) == Lookup::not_found);
    CHECK(table.get_string_at("lmutil", 0, text) == Lookup::wrong_type);
}

TEST_CASE("unread_keys lists the leaves nobody asked for, sorted") {
    PluginTable table = table_from(sample);
    CHECK(table.unread_keys() == std::vector<std::string>{"close.argv", "close.wait", "lmutil",
                                                          "port", "retry", "timeout", "verbose"});
    const char* text = nullptr;
    int64_t number = 0;
    table.get_string("lmutil", text);
    table.get_int("lmutil", number);            // a lookup of the wrong type still counts as read
    table.get_string_at("close.argv", 7, text); // any index reads the whole array
    table.get_duration_ms("timeout", number);
    table.get_string("absent", text);
    CHECK(table.unread_keys() ==
          std::vector<std::string>{"close.wait", "port", "retry", "verbose"});
}

TEST_CASE("lookups from several threads are all recorded") {
    PluginTable table = table_from("a = 1\nb = 2\nc = 3\nd = 4\n");
    std::vector<std::thread> threads;
    for (const char* key : {"a", "b", "c"})
        threads.emplace_back([&table, key] {
            int64_t value = 0;
            for (int i = 0; i < 1000; ++i)
                table.get_int(key, value);
        });
    for (std::thread& thread : threads)
        thread.join();
    CHECK(table.unread_keys() == std::vector<std::string>{"d"});
}

TEST_CASE("location_of gives file:line:col of a key's value") {
    PluginTable table = table_from(sample);
    CHECK(table.location_of("port") == "lmharvest.toml:2:8");
    CHECK(table.location_of("close.wait") == "lmharvest.toml:7:14");
    CHECK(table.location_of("nope").empty());
    CHECK(table.unread_keys().size() == 7); // asking where a key is does not read it
}

TEST_CASE("strings stay valid while the table lives, also after a move") {
    PluginTable table = table_from(sample);
    const char* text = nullptr;
    REQUIRE(table.get_string("lmutil", text) == Lookup::ok);
    PluginTable moved = std::move(table);
    CHECK(std::string(text) == "/opt/flexnet/lmutil");
    CHECK(moved.unread_keys().size() == 6);
}

TEST_CASE("an empty table has nothing to read") {
    PluginTable table;
    const char* text = nullptr;
    CHECK(table.get_string("x", text) == Lookup::not_found);
    CHECK(table.unread_keys().empty());
    CHECK(table.location_of("x").empty());
}
