// check_descriptor on hand-made descriptors: every rule, one at a time.
#include "plugins/descriptor_check.hpp"

#include <catch2/catch.hpp>

using namespace lmharvest;

namespace {

lh_status create(const lh_instance_config*, void**, const char**) {
    return LH_OK;
}
void destroy(void*) {}
lh_status poll(void*, const lh_poll_request*, const lh_poll_sink*) {
    return LH_OK;
}
lh_status close_session(void*, const char*, lh_close_result*) {
    return LH_OK;
}
const char* last_error(void*) {
    return "";
}
lh_status handler_create(const lh_config*, void**, const char**) {
    return LH_OK;
}
lh_status handler_create_in(const lh_handler_setup*, void**, const char**) {
    return LH_OK;
}
lh_status match(void*, const lh_process_info*, const char**) {
    return LH_ERR_NOT_FOUND;
}
lh_status save_and_close(void*, int64_t, const lh_saved_project_sink*) {
    return LH_OK;
}
lh_status save_and_close_by(void*, const lh_save_request*, const lh_saved_project_sink*) {
    return LH_OK;
}

struct Descriptor {
    lh_adapter_v1 adapter{sizeof(lh_adapter_v1), create, destroy, poll, close_session, last_error};
    lh_handler_v1 handler{sizeof(lh_handler_v1),
                          handler_create,
                          destroy,
                          match,
                          nullptr,
                          nullptr,
                          last_error,
                          nullptr,
                          nullptr,
                          nullptr,
                          nullptr};
    lh_plugin plugin{sizeof(lh_plugin),
                     LH_ABI_MAJOR,
                     LH_ABI_MINOR,
                     "hand",
                     "0.1",
                     "made",
                     LH_KIND_ADAPTER,
                     LH_CAP_POLL | LH_CAP_CLOSE_SESSION,
                     &adapter,
                     nullptr};
};

std::string problem(const Descriptor& d) {
    const auto info = check_descriptor(d.plugin, "p.so");
    REQUIRE_FALSE(info.has_value());
    return info.error();
}

} // namespace

TEST_CASE("a complete adapter descriptor passes and fills the info") {
    Descriptor d;
    const auto info = check_descriptor(d.plugin, "dir/p.so");
    REQUIRE(info.has_value());
    CHECK(info->name == "hand");
    CHECK(info->version == "0.1");
    CHECK(info->kinds == LH_KIND_ADAPTER);
    CHECK(info->capabilities == (LH_CAP_POLL | LH_CAP_CLOSE_SESSION));
    CHECK(info->path == "dir/p.so");
}

TEST_CASE("the ABI 1.0 sizes end at the last 1.0 field") {
    CHECK(size_v1_0<lh_plugin> == sizeof(lh_plugin));
    CHECK(size_v1_0<lh_adapter_v1> == sizeof(lh_adapter_v1));
    // 1.1 appended create_in, features, save_and_close_by and activity.
    CHECK(size_v1_0<lh_handler_v1> == offsetof(lh_handler_v1, create_in));
    CHECK(size_v1_0<lh_server_status> == sizeof(lh_server_status));
    CHECK(size_v1_0<lh_vendor_status> == sizeof(lh_vendor_status));
    CHECK(size_v1_0<lh_feature> == sizeof(lh_feature));
    CHECK(size_v1_0<lh_session> == sizeof(lh_session));
    CHECK(size_v1_0<lh_denial> == sizeof(lh_denial));
    CHECK(size_v1_0<lh_skipped_line> == sizeof(lh_skipped_line));
    CHECK(size_v1_0<lh_process_request> == sizeof(lh_process_request));
    CHECK(size_v1_0<lh_process_result> == sizeof(lh_process_result));
}

TEST_CASE("descriptor rules") {
    Descriptor d;
    SECTION("a larger struct from a newer minor is fine") {
        d.plugin.struct_size = sizeof(lh_plugin) + 16;
        d.plugin.abi_minor = 7;
        CHECK(check_descriptor(d.plugin, "p.so").has_value());
    }
    SECTION("short lh_plugin") {
        d.plugin.struct_size = 40;
        CHECK(problem(d) == "p.so: lh_plugin.struct_size is 40, at least " +
                                std::to_string(sizeof(lh_plugin)) +
                                " needed (ABI 1.0); rebuild it against lmharvest-sdk 1.x");
    }
    SECTION("wrong major") {
        d.plugin.abi_major = 0;
        CHECK(problem(d) == "p.so: wrong ABI major: got 0, supported 1; rebuild it against "
                            "lmharvest-sdk 1.x");
    }
    SECTION("no name") {
        d.plugin.name = "";
        CHECK(problem(d).rfind("p.so: plugin name is empty; ", 0) == 0);
        d.plugin.name = nullptr;
        CHECK(problem(d).rfind("p.so: plugin name is empty; ", 0) == 0);
    }
    SECTION("no kind") {
        d.plugin.kinds = 0;
        CHECK(problem(d).rfind("p.so: kinds is 0, none of which this host knows", 0) == 0);
    }
    SECTION("adapter kind without the adapter table") {
        d.plugin.adapter = nullptr;
        CHECK(problem(d).rfind("p.so: kind ADAPTER set but lh_plugin.adapter is NULL", 0) == 0);
    }
    SECTION("short adapter table") {
        d.adapter.struct_size = 12;
        CHECK(problem(d).rfind("p.so: lh_adapter_v1.struct_size is 12, at least", 0) == 0);
    }
    SECTION("mandatory adapter functions") {
        d.adapter.destroy = nullptr;
        CHECK(problem(d) == "p.so: adapter->destroy is NULL; every plugin of this kind must "
                            "implement it");
    }
    SECTION("POLL without poll") {
        d.adapter.poll = nullptr;
        CHECK(problem(d) == "p.so: capability POLL set but adapter->poll is NULL; implement it "
                            "or clear the capability bit");
    }
    SECTION("no POLL bit, no poll: fine") {
        d.adapter.poll = nullptr;
        d.plugin.capabilities = LH_CAP_CLOSE_SESSION;
        CHECK(check_descriptor(d.plugin, "p.so").has_value());
    }
    SECTION("adapter capability on a handler-only plugin") {
        d.plugin.kinds = LH_KIND_HANDLER;
        d.plugin.handler = &d.handler;
        CHECK(problem(d).rfind("p.so: adapter capabilities set but kind ADAPTER is not", 0) == 0);
    }
    SECTION("handler without its table") {
        d.plugin.kinds = LH_KIND_ADAPTER | LH_KIND_HANDLER;
        CHECK(problem(d).rfind("p.so: kind HANDLER set but lh_plugin.handler is NULL", 0) == 0);
    }
}

TEST_CASE("handler table rules, 1.0 and 1.1") {
    Descriptor d;
    d.plugin.kinds = LH_KIND_HANDLER;
    d.plugin.capabilities = 0;
    d.plugin.adapter = nullptr;
    d.plugin.handler = &d.handler;
    SECTION("a handler with create, match, destroy and last_error passes") {
        const auto info = check_descriptor(d.plugin, "p.so");
        REQUIRE(info.has_value());
        CHECK(info->kinds == LH_KIND_HANDLER);
        CHECK(info->capabilities == 0);
    }
    SECTION("a handler table too short for 1.0 is refused") {
        d.handler.struct_size = 40;
        CHECK(problem(d) == "p.so: lh_handler_v1.struct_size is 40, at least 56 needed (ABI "
                            "1.0); rebuild it against lmharvest-sdk 1.x");
    }
    SECTION("every handler needs match") {
        d.handler.match = nullptr;
        CHECK(problem(d) == "p.so: handler->match is NULL; every plugin of this kind must "
                            "implement it");
    }
    SECTION("a 1.1 handler with create_in only passes") {
        d.handler.create = nullptr;
        d.handler.create_in = handler_create_in;
        CHECK(check_descriptor(d.plugin, "p.so").has_value());
    }
    SECTION("a 1.1 handler with neither create nor create_in is refused") {
        d.handler.create = nullptr;
        CHECK(problem(d) == "p.so: handler->create and handler->create_in are NULL; every "
                            "plugin of this kind must implement one");
    }
    SECTION("a 1.0 handler without create is refused, its create_in never read") {
        d.handler.struct_size = size_v1_0<lh_handler_v1>;
        d.handler.create = nullptr;
        d.handler.create_in = handler_create_in; // past the table's end: not the plugin's
        CHECK(problem(d) == "p.so: handler->create is NULL; every plugin of this kind must "
                            "implement it");
    }
    SECTION("SAVE_AND_CLOSE with save_and_close_by only passes") {
        d.plugin.capabilities = LH_CAP_SAVE_AND_CLOSE;
        d.handler.save_and_close_by = save_and_close_by;
        CHECK(check_descriptor(d.plugin, "p.so").has_value());
    }
    SECTION("SAVE_AND_CLOSE with the 1.0 save_and_close only passes") {
        d.plugin.capabilities = LH_CAP_SAVE_AND_CLOSE;
        d.handler.struct_size = size_v1_0<lh_handler_v1>;
        d.handler.save_and_close = save_and_close;
        CHECK(check_descriptor(d.plugin, "p.so").has_value());
    }
    SECTION("SAVE_AND_CLOSE without either function is refused") {
        d.plugin.capabilities = LH_CAP_SAVE_AND_CLOSE;
        CHECK(problem(d) == "p.so: capability SAVE_AND_CLOSE set but handler->save_and_close "
                            "and handler->save_and_close_by are NULL; implement one or clear "
                            "the capability bit");
    }
    SECTION("SAVE_AND_CLOSE on a 1.0 table: save_and_close_by past its end does not count") {
        d.plugin.capabilities = LH_CAP_SAVE_AND_CLOSE;
        d.handler.struct_size = size_v1_0<lh_handler_v1>;
        d.handler.save_and_close_by = save_and_close_by;
        CHECK(problem(d) == "p.so: capability SAVE_AND_CLOSE set but handler->save_and_close is "
                            "NULL; implement it or clear the capability bit");
    }
    SECTION("a handler table cut inside the 1.1 fields reads only what it holds") {
        d.handler.struct_size = offsetof(lh_handler_v1, create_in) + sizeof(d.handler.create_in);
        d.handler.create = nullptr;
        d.handler.create_in = handler_create_in;
        d.plugin.capabilities = LH_CAP_SAVE_AND_CLOSE;
        d.handler.save_and_close_by = save_and_close_by; // past the end again
        CHECK(problem(d) == "p.so: capability SAVE_AND_CLOSE set but handler->save_and_close is "
                            "NULL; implement it or clear the capability bit");
    }
}
