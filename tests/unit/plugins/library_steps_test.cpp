// The loading steps one at a time, on the real test plugins, and inspect() on top of them.
#include "plugin_test_support.hpp"
#include "plugins/abi_names.hpp"
#include "plugins/host_api.hpp"
#include "plugins/library_steps.hpp"
#include "plugins/plugin_registry.hpp"

#include <catch2/catch.hpp>

using namespace lmharvest;
using Catch::Matchers::Contains;
using Catch::Matchers::StartsWith;
using lmharvest::test::test_plugin_dir;

TEST_CASE("open_library opens a real plugin and refuses a text file") {
    CHECK(open_library(test_plugin_dir("good") / "test_adapter.so").has_value());
    const auto text = test_plugin_dir("not_a_library") / "not_a_library.so";
    const auto refused = open_library(text);
    REQUIRE_FALSE(refused.has_value());
    CHECK_THAT(refused.error(),
               StartsWith(text.string() + ": not a shared library (" + text.string() + ": "));
}

TEST_CASE("open_library refuses a file that does not exist") {
    const auto missing = test_plugin_dir("good") / "absent.so";
    const auto refused = open_library(missing);
    REQUIRE_FALSE(refused.has_value());
    CHECK_THAT(refused.error(), Contains("No such file"));
}

TEST_CASE("find_entry finds v1, names a newer ABI, or says there is none") {
    const auto good = open_library(test_plugin_dir("good") / "test_adapter.so");
    REQUIRE(good.has_value());
    CHECK(find_entry(*good, "test_adapter.so").has_value());

    const auto v2 = open_library(test_plugin_dir("only_v2") / "only_v2.so");
    REQUIRE(v2.has_value());
    CHECK_THAT(find_entry(*v2, "only_v2.so").error(), StartsWith("only_v2.so: needs ABI 2;"));

    const auto none = open_library(test_plugin_dir("no_entry") / "no_entry.so");
    REQUIRE(none.has_value());
    CHECK_THAT(find_entry(*none, "no_entry.so").error(),
               StartsWith("no_entry.so: no entry symbol lh_plugin_entry_v1"));
}

TEST_CASE("call_entry returns the plugin's descriptor and refuses NULL") {
    const auto library = open_library(test_plugin_dir("good") / "test_adapter.so");
    REQUIRE(library.has_value());
    const auto entry = find_entry(*library, "test_adapter.so");
    REQUIRE(entry.has_value());

    // Static: the library keeps the host it is given for as long as it stays loaded.
    static PluginHostData data{"test_adapter", run_process};
    static const lh_host_api host = make_host_api(data);
    const auto descriptor = call_entry(*entry, host, "test_adapter.so");
    REQUIRE(descriptor.has_value());
    CHECK(std::string((*descriptor)->name) == "test_adapter");

    // The C++ layer declines a host of another major version.
    lh_host_api other = host;
    other.abi_major = 2;
    CHECK_THAT(call_entry(*entry, other, "test_adapter.so").error(),
               StartsWith("test_adapter.so: lh_plugin_entry_v1 returned NULL"));
}

TEST_CASE("inspect describes a plugin without creating an instance") {
    PluginRegistry registry;
    const auto info = registry.inspect(test_plugin_dir("good") / "test_adapter.so");
    REQUIRE(info.has_value());
    CHECK(info->name == "test_adapter");
    CHECK(info->version == "2.5.0");
    CHECK(info->description == "fixed records for loader tests");
    CHECK(info->abi_major == 1);
    CHECK(info->abi_minor == LH_ABI_MINOR);
    CHECK(kind_names(info->kinds) == "adapter");
    CHECK(capability_names(info->capabilities) == "poll,close_session,denials");
    CHECK(info->path == test_plugin_dir("good") / "test_adapter.so");
    CHECK(registry.plugins().empty());
}

TEST_CASE("inspect of a loaded plugin gives the loaded one's info") {
    PluginRegistry registry;
    REQUIRE(registry.load_directory({test_plugin_dir("good")}).loaded.size() == 1);
    const auto info = registry.inspect(test_plugin_dir("good") / "test_adapter.so");
    REQUIRE(info.has_value());
    CHECK(info->name == "test_adapter");
}

TEST_CASE("inspect refuses a bad plugin with the same message as loading") {
    PluginRegistry registry;
    const auto info = registry.inspect(test_plugin_dir("wrong_major") / "wrong_major.so");
    REQUIRE_FALSE(info.has_value());
    CHECK_THAT(info.error(), Contains("wrong ABI major: got 2, supported 1"));
}
