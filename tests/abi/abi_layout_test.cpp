// The ABI 1.0 freeze for x86_64: offset and size of every field of every public struct in
// sdk/include/lmharvest/*.h, and the value of every public constant. A plugin built against
// 1.0 relies on each of these numbers. Fields may only be appended, in a new minor version:
// then LH_ABI_MINOR grows, the structs may grow, and the new fields are added here. A change
// that moves, resizes or removes anything fails.
#include <catch2/catch.hpp>
#include <cstring>
#include <lmharvest/plugin.h>

// Within 1.0 nothing may be added either, so that every field is frozen here.
#define CHECK_SIZE(TYPE, SIZE)                                                                     \
    CHECK((LH_ABI_MINOR > 0 ? sizeof(TYPE) >= SIZE : sizeof(TYPE) == SIZE))
// What a minor appended is frozen from that minor on: exact at it, never smaller after it.
#define CHECK_SIZE_SINCE(MINOR, TYPE, SIZE)                                                        \
    CHECK((LH_ABI_MINOR > MINOR ? sizeof(TYPE) >= SIZE : sizeof(TYPE) == SIZE))
#define CHECK_FIELD(TYPE, FIELD, OFFSET, SIZE)                                                     \
    do {                                                                                           \
        CHECK(offsetof(TYPE, FIELD) == OFFSET);                                                    \
        CHECK(sizeof(((TYPE*)nullptr)->FIELD) == SIZE);                                            \
    } while (false)

TEST_CASE("the ABI version and entry symbol") {
    CHECK(LH_ABI_MAJOR == 1);
    CHECK(LH_ABI_MINOR >= 0);
    CHECK(std::strcmp(LH_PLUGIN_ENTRY_NAME, "lh_plugin_entry_v1") == 0);
    CHECK(sizeof(lh_status) == 4);
}

TEST_CASE("status codes are frozen") {
    CHECK(LH_OK == 0);
    CHECK(LH_ERR_GENERIC == 1);
    CHECK(LH_ERR_INVALID_ARGUMENT == 2);
    CHECK(LH_ERR_NOT_FOUND == 3);
    CHECK(LH_ERR_WRONG_TYPE == 4);
    CHECK(LH_ERR_UNSUPPORTED == 5);
    CHECK(LH_ERR_TIMEOUT == 6);
    CHECK(LH_ERR_SPAWN == 7);
    CHECK(LH_ERR_UNAVAILABLE == 8);
    CHECK(LH_ERR_PERMISSION == 9);
    CHECK(LH_ERR_TOO_SOON == 10);
    CHECK(LH_ERR_LINGERING == 11);
    CHECK(LH_ERR_ALREADY_GONE == 12);
    CHECK(LH_ERR_BUFFER_TOO_SMALL == 13);
}

TEST_CASE("kinds, capabilities and record constants are frozen") {
    CHECK(LH_KIND_ADAPTER == 1);
    CHECK(LH_KIND_HANDLER == 2);
    CHECK(LH_CAP_POLL == 1);
    CHECK(LH_CAP_CLOSE_SESSION == 2);
    CHECK(LH_CAP_DENIALS == 4);
    CHECK(LH_CAP_SAVE_AND_CLOSE == 8);
    CHECK(LH_STATE_UNKNOWN == 0);
    CHECK(LH_STATE_UP == 1);
    CHECK(LH_STATE_DOWN == 2);
    CHECK(LH_FEATURE_UNCOUNTED == 1);
    CHECK(LH_FEATURE_ERROR == 2);
    CHECK(LH_FEATURE_NODELOCKED == 4);
    CHECK(LH_FEATURE_UNLIMITED == 8);
    CHECK(LH_DENIAL_DENIED == 1);
    CHECK(LH_DENIAL_QUEUED == 2);
    CHECK(LH_DENIAL_UNSUPPORTED == 3);
    CHECK(LH_LOG_TRACE == 0);
    CHECK(LH_LOG_DEBUG == 1);
    CHECK(LH_LOG_INFO == 2);
    CHECK(LH_LOG_WARN == 3);
    CHECK(LH_LOG_ERROR == 4);
    CHECK(LH_STREAM_STDOUT == 1);
    CHECK(LH_STREAM_STDERR == 2);
}

TEST_CASE("lh_instance_config (adapter.h) is frozen") {
    CHECK_SIZE(lh_instance_config, 48);
    CHECK_FIELD(lh_instance_config, struct_size, 0, 4);
    CHECK_FIELD(lh_instance_config, server_id, 8, 8);
    CHECK_FIELD(lh_instance_config, address, 16, 8);
    CHECK_FIELD(lh_instance_config, timeout_ms, 24, 4);
    CHECK_FIELD(lh_instance_config, state_dir, 32, 8);
    CHECK_FIELD(lh_instance_config, config, 40, 8);
}

TEST_CASE("lh_close_result (adapter.h) is frozen") {
    CHECK_SIZE(lh_close_result, 16);
    CHECK_FIELD(lh_close_result, struct_size, 0, 4);
    CHECK_FIELD(lh_close_result, retry_after_ms, 8, 8);
}

TEST_CASE("lh_adapter_v1 (adapter.h) is frozen") {
    CHECK_SIZE(lh_adapter_v1, 48);
    CHECK_FIELD(lh_adapter_v1, struct_size, 0, 4);
    CHECK_FIELD(lh_adapter_v1, create, 8, 8);
    CHECK_FIELD(lh_adapter_v1, destroy, 16, 8);
    CHECK_FIELD(lh_adapter_v1, poll, 24, 8);
    CHECK_FIELD(lh_adapter_v1, close_session, 32, 8);
    CHECK_FIELD(lh_adapter_v1, last_error, 40, 8);
}

TEST_CASE("lh_process_info (handler.h) is frozen") {
    CHECK_SIZE(lh_process_info, 48);
    CHECK_FIELD(lh_process_info, struct_size, 0, 4);
    CHECK_FIELD(lh_process_info, pid, 8, 8);
    CHECK_FIELD(lh_process_info, executable, 16, 8);
    CHECK_FIELD(lh_process_info, command_line, 24, 8);
    CHECK_FIELD(lh_process_info, user, 32, 8);
    CHECK_FIELD(lh_process_info, display, 40, 8);
}

TEST_CASE("lh_saved_project (handler.h) is frozen") {
    CHECK_SIZE(lh_saved_project, 32);
    CHECK_FIELD(lh_saved_project, struct_size, 0, 4);
    CHECK_FIELD(lh_saved_project, application, 8, 8);
    CHECK_FIELD(lh_saved_project, path, 16, 8);
    CHECK_FIELD(lh_saved_project, saved_time, 24, 8);
}

TEST_CASE("lh_saved_project_sink (handler.h) is frozen") {
    CHECK_SIZE(lh_saved_project_sink, 24);
    CHECK_FIELD(lh_saved_project_sink, struct_size, 0, 4);
    CHECK_FIELD(lh_saved_project_sink, user_data, 8, 8);
    CHECK_FIELD(lh_saved_project_sink, saved, 16, 8);
}

TEST_CASE("lh_handler_v1 (handler.h) is frozen") {
    CHECK_SIZE(lh_handler_v1, 56);
    CHECK_FIELD(lh_handler_v1, struct_size, 0, 4);
    CHECK_FIELD(lh_handler_v1, create, 8, 8);
    CHECK_FIELD(lh_handler_v1, destroy, 16, 8);
    CHECK_FIELD(lh_handler_v1, match, 24, 8);
    CHECK_FIELD(lh_handler_v1, save_and_close, 32, 8);
    CHECK_FIELD(lh_handler_v1, reopen, 40, 8);
    CHECK_FIELD(lh_handler_v1, last_error, 48, 8);
}

TEST_CASE("ABI 1.1: the handler table's appended fields are frozen") {
    REQUIRE(LH_ABI_MINOR >= 1);
    CHECK_SIZE_SINCE(1, lh_handler_v1, 88);
    CHECK_FIELD(lh_handler_v1, create_in, 56, 8);
    CHECK_FIELD(lh_handler_v1, features, 64, 8);
    CHECK_FIELD(lh_handler_v1, save_and_close_by, 72, 8);
    CHECK_FIELD(lh_handler_v1, activity, 80, 8);
}

TEST_CASE("ABI 1.1: lh_handler_setup (handler.h) is frozen") {
    CHECK_SIZE_SINCE(1, lh_handler_setup, 32);
    CHECK_FIELD(lh_handler_setup, struct_size, 0, 4);
    CHECK_FIELD(lh_handler_setup, config, 8, 8);
    CHECK_FIELD(lh_handler_setup, state_dir, 16, 8);
    CHECK_FIELD(lh_handler_setup, saved_dir, 24, 8);
}

TEST_CASE("ABI 1.1: lh_feature_sink (handler.h) is frozen") {
    CHECK_SIZE_SINCE(1, lh_feature_sink, 24);
    CHECK_FIELD(lh_feature_sink, struct_size, 0, 4);
    CHECK_FIELD(lh_feature_sink, user_data, 8, 8);
    CHECK_FIELD(lh_feature_sink, feature, 16, 8);
}

TEST_CASE("ABI 1.1: lh_save_request (handler.h) is frozen") {
    CHECK_SIZE_SINCE(1, lh_save_request, 40);
    CHECK_FIELD(lh_save_request, struct_size, 0, 4);
    CHECK_FIELD(lh_save_request, pid, 8, 8);
    CHECK_FIELD(lh_save_request, deadline_ms, 16, 4);
    CHECK_FIELD(lh_save_request, saved_dir, 24, 8);
    CHECK_FIELD(lh_save_request, reason, 32, 8);
}

TEST_CASE("ABI 1.1: lh_app_activity and its states (handler.h) are frozen") {
    CHECK_SIZE_SINCE(1, lh_app_activity, 8);
    CHECK_FIELD(lh_app_activity, struct_size, 0, 4);
    CHECK_FIELD(lh_app_activity, state, 4, 4);
    CHECK(LH_ACTIVITY_UNKNOWN == 0);
    CHECK(LH_ACTIVITY_WAITING == 1);
    CHECK(LH_ACTIVITY_BUSY == 2);
}

TEST_CASE("lh_process_request (host_api.h) is frozen") {
    CHECK_SIZE(lh_process_request, 56);
    CHECK_FIELD(lh_process_request, struct_size, 0, 4);
    CHECK_FIELD(lh_process_request, argv, 8, 8);
    CHECK_FIELD(lh_process_request, timeout_ms, 16, 4);
    CHECK_FIELD(lh_process_request, stdin_data, 24, 8);
    CHECK_FIELD(lh_process_request, stdin_size, 32, 8);
    CHECK_FIELD(lh_process_request, on_output, 40, 8);
    CHECK_FIELD(lh_process_request, user_data, 48, 8);
}

TEST_CASE("lh_process_result (host_api.h) is frozen") {
    CHECK_SIZE(lh_process_result, 24);
    CHECK_FIELD(lh_process_result, struct_size, 0, 4);
    CHECK_FIELD(lh_process_result, exit_code, 4, 4);
    CHECK_FIELD(lh_process_result, term_signal, 8, 4);
    CHECK_FIELD(lh_process_result, timed_out, 12, 4);
    CHECK_FIELD(lh_process_result, duration_ms, 16, 8);
}

TEST_CASE("lh_host_api (host_api.h) is frozen") {
    CHECK_SIZE(lh_host_api, 96);
    CHECK_FIELD(lh_host_api, struct_size, 0, 4);
    CHECK_FIELD(lh_host_api, abi_major, 4, 4);
    CHECK_FIELD(lh_host_api, abi_minor, 8, 4);
    CHECK_FIELD(lh_host_api, host_version, 16, 8);
    CHECK_FIELD(lh_host_api, host_data, 24, 8);
    CHECK_FIELD(lh_host_api, log, 32, 8);
    CHECK_FIELD(lh_host_api, config_get_string, 40, 8);
    CHECK_FIELD(lh_host_api, config_get_int, 48, 8);
    CHECK_FIELD(lh_host_api, config_get_bool, 56, 8);
    CHECK_FIELD(lh_host_api, config_get_duration_ms, 64, 8);
    CHECK_FIELD(lh_host_api, config_get_string_at, 72, 8);
    CHECK_FIELD(lh_host_api, monotonic_ms, 80, 8);
    CHECK_FIELD(lh_host_api, run_process, 88, 8);
}

TEST_CASE("lh_plugin (plugin.h) is frozen") {
    CHECK_SIZE(lh_plugin, 72);
    CHECK_FIELD(lh_plugin, struct_size, 0, 4);
    CHECK_FIELD(lh_plugin, abi_major, 4, 4);
    CHECK_FIELD(lh_plugin, abi_minor, 8, 4);
    CHECK_FIELD(lh_plugin, name, 16, 8);
    CHECK_FIELD(lh_plugin, version, 24, 8);
    CHECK_FIELD(lh_plugin, description, 32, 8);
    CHECK_FIELD(lh_plugin, kinds, 40, 4);
    CHECK_FIELD(lh_plugin, capabilities, 48, 8);
    CHECK_FIELD(lh_plugin, adapter, 56, 8);
    CHECK_FIELD(lh_plugin, handler, 64, 8);
}

TEST_CASE("lh_server_status (records.h) is frozen") {
    CHECK_SIZE(lh_server_status, 40);
    CHECK_FIELD(lh_server_status, struct_size, 0, 4);
    CHECK_FIELD(lh_server_status, host, 8, 8);
    CHECK_FIELD(lh_server_status, state, 16, 4);
    CHECK_FIELD(lh_server_status, is_master, 20, 4);
    CHECK_FIELD(lh_server_status, version, 24, 8);
    CHECK_FIELD(lh_server_status, message, 32, 8);
}

TEST_CASE("lh_vendor_status (records.h) is frozen") {
    CHECK_SIZE(lh_vendor_status, 40);
    CHECK_FIELD(lh_vendor_status, struct_size, 0, 4);
    CHECK_FIELD(lh_vendor_status, name, 8, 8);
    CHECK_FIELD(lh_vendor_status, state, 16, 4);
    CHECK_FIELD(lh_vendor_status, version, 24, 8);
    CHECK_FIELD(lh_vendor_status, message, 32, 8);
}

TEST_CASE("lh_feature (records.h) is frozen") {
    CHECK_SIZE(lh_feature, 88);
    CHECK_FIELD(lh_feature, struct_size, 0, 4);
    CHECK_FIELD(lh_feature, vendor, 8, 8);
    CHECK_FIELD(lh_feature, name, 16, 8);
    CHECK_FIELD(lh_feature, version, 24, 8);
    CHECK_FIELD(lh_feature, total, 32, 8);
    CHECK_FIELD(lh_feature, used, 40, 8);
    CHECK_FIELD(lh_feature, reserved, 48, 8);
    CHECK_FIELD(lh_feature, queued, 56, 8);
    CHECK_FIELD(lh_feature, expiry, 64, 8);
    CHECK_FIELD(lh_feature, flags, 72, 4);
    CHECK_FIELD(lh_feature, error_text, 80, 8);
}

TEST_CASE("lh_session (records.h) is frozen") {
    CHECK_SIZE(lh_session, 128);
    CHECK_FIELD(lh_session, struct_size, 0, 4);
    CHECK_FIELD(lh_session, vendor, 8, 8);
    CHECK_FIELD(lh_session, feature, 16, 8);
    CHECK_FIELD(lh_session, version, 24, 8);
    CHECK_FIELD(lh_session, user, 32, 8);
    CHECK_FIELD(lh_session, host, 40, 8);
    CHECK_FIELD(lh_session, display, 48, 8);
    CHECK_FIELD(lh_session, host_ip, 56, 8);
    CHECK_FIELD(lh_session, count, 64, 8);
    CHECK_FIELD(lh_session, checkout_time, 72, 8);
    CHECK_FIELD(lh_session, borrow_expiry, 80, 8);
    CHECK_FIELD(lh_session, linger_seconds, 88, 8);
    CHECK_FIELD(lh_session, pid, 96, 8);
    CHECK_FIELD(lh_session, server, 104, 8);
    CHECK_FIELD(lh_session, handle, 112, 8);
    CHECK_FIELD(lh_session, close_token, 120, 8);
}

TEST_CASE("lh_denial (records.h) is frozen") {
    CHECK_SIZE(lh_denial, 64);
    CHECK_FIELD(lh_denial, struct_size, 0, 4);
    CHECK_FIELD(lh_denial, kind, 4, 4);
    CHECK_FIELD(lh_denial, vendor, 8, 8);
    CHECK_FIELD(lh_denial, feature, 16, 8);
    CHECK_FIELD(lh_denial, user, 24, 8);
    CHECK_FIELD(lh_denial, host, 32, 8);
    CHECK_FIELD(lh_denial, reason, 40, 8);
    CHECK_FIELD(lh_denial, time, 48, 8);
    CHECK_FIELD(lh_denial, count, 56, 8);
}

TEST_CASE("lh_skipped_line (records.h) is frozen") {
    CHECK_SIZE(lh_skipped_line, 24);
    CHECK_FIELD(lh_skipped_line, struct_size, 0, 4);
    CHECK_FIELD(lh_skipped_line, line, 4, 4);
    CHECK_FIELD(lh_skipped_line, text, 8, 8);
    CHECK_FIELD(lh_skipped_line, reason, 16, 8);
}

TEST_CASE("lh_poll_sink (records.h) is frozen") {
    CHECK_SIZE(lh_poll_sink, 64);
    CHECK_FIELD(lh_poll_sink, struct_size, 0, 4);
    CHECK_FIELD(lh_poll_sink, user_data, 8, 8);
    CHECK_FIELD(lh_poll_sink, server, 16, 8);
    CHECK_FIELD(lh_poll_sink, vendor, 24, 8);
    CHECK_FIELD(lh_poll_sink, feature, 32, 8);
    CHECK_FIELD(lh_poll_sink, session, 40, 8);
    CHECK_FIELD(lh_poll_sink, denial, 48, 8);
    CHECK_FIELD(lh_poll_sink, skipped, 56, 8);
}

TEST_CASE("lh_poll_request (records.h) is frozen") {
    CHECK_SIZE(lh_poll_request, 16);
    CHECK_FIELD(lh_poll_request, struct_size, 0, 4);
    CHECK_FIELD(lh_poll_request, poll_time, 8, 8);
}
