/* Proves that the SDK's C headers are plain C99: built with -std=c99 -pedantic -Wall -Wextra
 * -Werror (see CMakeLists.txt), so that a plugin written in C, with any compiler, can use them.
 * Each header is also compiled alone (generated files), to prove it includes what it needs. */
#include <lmharvest/plugin.h>

/* Every struct, every callback type and the LH_HAS_FIELD macro, used the way C code uses them. */
static void on_output(void* user_data, int32_t stream, const char* data, size_t size) {
    (void)user_data;
    (void)stream;
    (void)data;
    (void)size;
}

static const lh_adapter_v1 adapter = {sizeof(lh_adapter_v1), NULL, NULL, NULL, NULL, NULL};
static const lh_handler_v1 handler = {
    sizeof(lh_handler_v1), NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL};
static const lh_plugin plugin = {sizeof(lh_plugin),
                                 LH_ABI_MAJOR,
                                 LH_ABI_MINOR,
                                 "c99",
                                 "1.0",
                                 "compile test",
                                 LH_KIND_ADAPTER | LH_KIND_HANDLER,
                                 LH_CAP_POLL,
                                 &adapter,
                                 &handler};

LH_EXPORT const lh_plugin* lh_c99_compile_test(const lh_host_api* host);
LH_EXPORT const lh_plugin* lh_c99_compile_test(const lh_host_api* host) {
    lh_instance_config config = {
        sizeof(lh_instance_config), "id", "27000@lic1", 1000, "/tmp", NULL};
    lh_close_result close_result = {sizeof(lh_close_result), 0};
    lh_process_info process = {sizeof(lh_process_info), 1, "/bin/app", "app", "u", ":0"};
    lh_saved_project project = {sizeof(lh_saved_project), "app", "/p", 0};
    lh_saved_project_sink project_sink = {sizeof(lh_saved_project_sink), NULL, NULL};
    const char* const argv[] = {"true", NULL};
    lh_process_request request = {sizeof(lh_process_request), argv, 0, NULL, 0, on_output, NULL};
    lh_process_result result = {sizeof(lh_process_result), 0, 0, 0, 0};
    lh_server_status server = {sizeof(lh_server_status), "lic1", LH_STATE_UP, 1, NULL, NULL};
    lh_vendor_status vendor = {sizeof(lh_vendor_status), "v", LH_STATE_DOWN, NULL, NULL};
    lh_feature feature = {sizeof(lh_feature),   "v", "f", NULL, -1, 0, 0, 0, NULL,
                          LH_FEATURE_UNCOUNTED, NULL};
    lh_session session = {sizeof(lh_session),
                          "v",
                          "f",
                          NULL,
                          "u",
                          "h",
                          NULL,
                          NULL,
                          1,
                          0,
                          0,
                          0,
                          0,
                          NULL,
                          NULL,
                          "token"};
    lh_denial denial = {sizeof(lh_denial), LH_DENIAL_QUEUED, "v", "f", "u", "h", NULL, 0, 1};
    lh_skipped_line skipped = {sizeof(lh_skipped_line), 1, "text", "reason"};
    lh_poll_sink sink = {sizeof(lh_poll_sink), NULL, NULL, NULL, NULL, NULL, NULL, NULL};
    lh_poll_request poll = {sizeof(lh_poll_request), 0};
    lh_status status = LH_ERR_BUFFER_TOO_SMALL;
    lh_plugin_entry_fn entry = lh_c99_compile_test;

    (void)config;
    (void)close_result;
    (void)process;
    (void)project;
    (void)project_sink;
    (void)request;
    (void)result;
    (void)server;
    (void)vendor;
    (void)feature;
    (void)denial;
    (void)skipped;
    (void)sink;
    (void)poll;
    (void)status;
    (void)entry;
    if (host && host->log && LH_HAS_FIELD(lh_session, &session, close_token))
        host->log(host, LH_LOG_INFO, "compiled");
    return &plugin;
}
