// Each deliberately wrong plugin of tests/plugins is refused with one message that names the
// file, says what was found against what is supported, and gives the fix; the others load.
#include "plugin_test_support.hpp"
#include "plugins/plugin_registry.hpp"

#include <algorithm>
#include <catch2/catch.hpp>
#include <dlfcn.h>
#include <pwd.h>
#include <sys/stat.h>
#include <tuple>
#include <unistd.h>

using namespace lmharvest;
using Catch::Matchers::Contains;
using Catch::Matchers::StartsWith;
using lmharvest::test::test_plugin_dir;

namespace {

// Loads test-plugins/<name>/ alone and returns its one refusal.
std::string only_refusal(const std::string& name) {
    PluginRegistry registry;
    const LoadReport report = registry.load_directory({test_plugin_dir(name)});
    REQUIRE(report.refused.size() == 1);
    CHECK(report.loaded.empty());
    return report.refused.front().message;
}

// An empty folder of mode 0755 under the build tree for one test.
std::filesystem::path fresh_dir(const std::string& name) {
    const auto dir = std::filesystem::path(LH_BINARY_DIR) / "test-state" /
                     (name + "-" + std::to_string(::getpid()));
    std::filesystem::remove_all(dir);
    std::filesystem::create_directories(dir);
    ::chmod(dir.c_str(), 0755);
    return dir;
}

std::string file_of(const std::string& name) {
    return (test_plugin_dir(name) / (name + ".so")).string();
}

} // namespace

TEST_CASE("a text file named .so is refused with the loader's text") {
    const std::string message = only_refusal("not_a_library");
    CHECK_THAT(message, StartsWith(file_of("not_a_library") + ": not a shared library ("));
    CHECK_THAT(message, Contains("invalid ELF header") || Contains("file too short"));
    CHECK_THAT(message, Contains("remove it from plugin_dirs"));
}

TEST_CASE("a plugin whose dependency is missing is refused naming that dependency") {
    const std::string message = only_refusal("missing_dependency");
    CHECK_THAT(message, StartsWith(file_of("missing_dependency") + ": a library it needs is"));
    CHECK_THAT(message, Contains("liblh_test_vanishing_dependency.so: cannot open shared object"));
    CHECK_THAT(message, Contains("install that library"));
}

TEST_CASE("a plugin without lh_plugin_entry_v1 is refused") {
    CHECK(only_refusal("no_entry") == file_of("no_entry") +
                                          ": no entry symbol lh_plugin_entry_v1; build it with "
                                          "lmharvest_add_plugin()");
}

TEST_CASE("a plugin with only lh_plugin_entry_v2 is told it needs a newer host") {
    CHECK(only_refusal("only_v2") == file_of("only_v2") +
                                         ": needs ABI 2; this host speaks 1.0-1.1; use a build of "
                                         "the plugin for lmharvest-sdk 1.x");
}

TEST_CASE("a descriptor with the wrong ABI major is refused") {
    CHECK(only_refusal("wrong_major") ==
          file_of("wrong_major") +
              ": wrong ABI major: got 2, supported 1; rebuild it against lmharvest-sdk 1.x");
}

TEST_CASE("a descriptor whose struct_size is too small is refused") {
    CHECK(only_refusal("small_struct") == file_of("small_struct") +
                                              ": lh_plugin.struct_size is 8, at least " +
                                              std::to_string(sizeof(lh_plugin)) +
                                              " needed (ABI 1.0); rebuild it against "
                                              "lmharvest-sdk 1.x");
}

TEST_CASE("a capability bit without its function is refused") {
    CHECK(only_refusal("null_capability") ==
          file_of("null_capability") +
              ": capability CLOSE_SESSION set but adapter->close_session is NULL; implement it "
              "or clear the capability bit");
}

TEST_CASE("a handler whose SAVE_AND_CLOSE bit has no function is refused") {
    CHECK(only_refusal("handler_bit_without_pointer") ==
          file_of("handler_bit_without_pointer") +
              ": capability SAVE_AND_CLOSE set but handler->save_and_close and "
              "handler->save_and_close_by are NULL; implement one or clear the capability bit");
}

TEST_CASE("a handler table shorter than ABI 1.0's is refused") {
    CHECK(only_refusal("handler_short_table") ==
          file_of("handler_short_table") +
              ": lh_handler_v1.struct_size is 40, at least 56 needed (ABI 1.0); rebuild it "
              "against lmharvest-sdk 1.x");
}

TEST_CASE("the second plugin of a name is refused, naming both files") {
    PluginRegistry registry;
    const LoadReport report = registry.load_directory({test_plugin_dir("duplicate_name")});
    REQUIRE(report.loaded.size() == 1);
    CHECK(report.loaded.front()->info.path == test_plugin_dir("duplicate_name") / "duplicate_a.so");
    REQUIRE(report.refused.size() == 1);
    const auto second = test_plugin_dir("duplicate_name") / "duplicate_b.so";
    CHECK(report.refused.front().path == second);
    CHECK(report.refused.front().message ==
          second.string() + ": plugin name 'twin' already loaded from " +
              (test_plugin_dir("duplicate_name") / "duplicate_a.so").string() +
              "; remove one of the two from plugin_dirs");
    CHECK(registry.find("twin") == report.loaded.front());
}

TEST_CASE("bad plugins in one folder do not stop the good ones") {
    PluginRegistry registry;
    const LoadReport report = registry.load_directory({test_plugin_dir("mixed")});

    std::vector<std::string> refused;
    for (const Refusal& refusal : report.refused) {
        refused.push_back(refusal.path.filename().string());
        CHECK_THAT(refusal.message, StartsWith(refusal.path.string() + ": "));
    }
    CHECK(refused == std::vector<std::string>{"duplicate_b.so", "handler_bit_without_pointer.so",
                                              "handler_short_table.so", "missing_dependency.so",
                                              "no_entry.so", "not_a_library.so",
                                              "null_capability.so", "only_v2.so", "small_struct.so",
                                              "wrong_major.so"});
    std::vector<std::string> loaded;
    for (const auto& plugin : registry.plugins())
        loaded.push_back(plugin->info.name);
    CHECK(loaded == std::vector<std::string>{
                        "aborts_in_close", "adapter_and_handler", "bad_records", "create_fails",
                        "floods_log_in_poll", "handler_v1_0", "hangs_in_create", "hangs_in_poll",
                        "leaks_in_poll", "marker", "recorder", "returns_error_in_poll",
                        "segfaults_in_poll", "spins_in_poll", "test_adapter", "test_handler",
                        "throws_in_features", "throws_in_poll", "twin"});
}

TEST_CASE("only the files of allowed plugins are opened") {
    PluginRegistry registry;
    const LoadReport report = registry.load_directory(
        {test_plugin_dir("mixed")}, std::set<std::string>{"test_adapter", "not_there"});
    // The bad files of the folder were not even opened, so none of them is refused.
    CHECK(report.refused.empty());
    const auto marker = test_plugin_dir("mixed") / "marker.so";
    CHECK(::dlopen(marker.c_str(), RTLD_NOW | RTLD_NOLOAD) == nullptr);
}

TEST_CASE("a file named after an allowed plugin must hold that plugin") {
    PluginRegistry registry;
    const LoadReport report = registry.load_directory({test_plugin_dir("duplicate_name")},
                                                      std::set<std::string>{"duplicate_a"});
    CHECK(report.loaded.empty());
    REQUIRE(report.refused.size() == 1);
    const auto file = test_plugin_dir("duplicate_name") / "duplicate_a.so";
    CHECK(report.refused.front().message ==
          file.string() + ": holds plugin 'twin', not 'duplicate_a' as its file name says; name "
                          "the file twin.so (or libtwin.so)");
    CHECK(registry.find("twin") == nullptr);
}

TEST_CASE("lib<name>.so is the file of plugin <name>") {
    const auto dir = fresh_dir("lib-prefix");
    std::filesystem::copy_file(test_plugin_dir("good") / "test_adapter.so",
                               dir / "libtest_adapter.so");
    PluginRegistry registry;
    const LoadReport report = registry.load_directory({dir}, std::set<std::string>{"test_adapter"});
    CHECK(report.refused.empty());
    REQUIRE(report.loaded.size() == 1);
    CHECK(report.loaded.front()->info.path == dir / "libtest_adapter.so");
}

TEST_CASE("a plugin file others may write is refused before it is opened") {
    const auto dir = fresh_dir("unsafe-file");
    const auto file = dir / "test_adapter.so";
    std::filesystem::copy_file(test_plugin_dir("good") / "test_adapter.so", file);
    for (const auto& [bit, who, mode] :
         {std::tuple{S_IWOTH, "others", "0757"}, std::tuple{S_IWGRP, "its group", "0775"}}) {
        REQUIRE(::chmod(file.c_str(), 0755 | bit) == 0);
        PluginRegistry registry;
        const LoadReport report = registry.load_directory({dir});
        CHECK(report.loaded.empty());
        REQUIRE(report.refused.size() == 1);
        CHECK(report.refused.front().message ==
              file.string() + ": unsafe plugin file: writable by " + who + " (mode " + mode +
                  "); run chmod go-w " + file.string());
        CHECK(::dlopen(file.c_str(), RTLD_NOW | RTLD_NOLOAD) == nullptr);
        CHECK(!registry.inspect(file).has_value());
    }
}

TEST_CASE("a plugin folder or file owned by another ordinary user is refused") {
    const passwd* nobody = ::getpwnam("nobody");
    REQUIRE(nobody);
    REQUIRE(::geteuid() == 0); // the test gives a file away, which only root may do
    const auto dir = fresh_dir("unsafe-owner");
    const auto file = dir / "test_adapter.so";
    std::filesystem::copy_file(test_plugin_dir("good") / "test_adapter.so", file);
    const std::string owner = "owned by uid " + std::to_string(nobody->pw_uid) +
                              " (nobody), neither root nor the host's uid 0 (root); run chown ";

    REQUIRE(::chown(file.c_str(), nobody->pw_uid, nobody->pw_gid) == 0);
    PluginRegistry registry;
    LoadReport report = registry.load_directory({dir});
    REQUIRE(report.refused.size() == 1);
    CHECK(report.refused.front().message == file.string() + ": unsafe plugin file: " + owner +
                                                "root " + file.string() + " or remove it");

    REQUIRE(::chown(file.c_str(), 0, 0) == 0);
    REQUIRE(::chown(dir.c_str(), nobody->pw_uid, nobody->pw_gid) == 0);
    report = registry.load_directory({dir});
    REQUIRE(report.refused.size() == 1);
    CHECK(report.refused.front().path == dir);
    CHECK(report.refused.front().message == dir.string() + ": unsafe plugin folder: " + owner +
                                                "root " + dir.string() + " or remove it");
    CHECK(report.loaded.empty());
    const auto inspected = registry.inspect(file);
    REQUIRE(!inspected.has_value());
    CHECK_THAT(inspected.error(), StartsWith(dir.string() + ": unsafe plugin folder: owned by"));
}

TEST_CASE("only allowed plugins are kept") {
    PluginRegistry registry;
    const LoadReport report = registry.load_directory(
        {test_plugin_dir("mixed")}, std::set<std::string>{"test_adapter", "not_there"});
    REQUIRE(report.loaded.size() == 1);
    CHECK(report.loaded.front()->info.name == "test_adapter");
    CHECK(registry.find("twin") == nullptr);
    CHECK(registry.find("test_adapter") != nullptr);
}

TEST_CASE("a plugin folder that does not exist is one refusal") {
    PluginRegistry registry;
    const auto missing = test_plugin_dir("no-such-folder");
    const LoadReport report = registry.load_directory({missing, test_plugin_dir("good")});
    REQUIRE(report.refused.size() == 1);
    CHECK_THAT(report.refused.front().message,
               StartsWith(missing.string() + ": cannot list plugin directory ("));
    CHECK_THAT(report.refused.front().message, Contains("fix plugin_dirs"));
    CHECK(report.loaded.size() == 1);
}
