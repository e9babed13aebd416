/* What is wrong with this plugin: its poll() shows one session, and close_session() calls
 * abort(). The close fails with the reason; the worker is restarted for the next call. */
#include "stub_adapter.h"

#include <stdlib.h>

static lh_status one_session_poll(void* instance, const lh_poll_request* request,
                                  const lh_poll_sink* sink) {
    (void)instance;
    lh_server_status server = {sizeof server, "lic1", LH_STATE_UP, 1, "v1", ""};
    sink->server(sink->user_data, &server);
    lh_feature feature = {
        .struct_size = sizeof feature, .vendor = "vendor", .name = "solver", .total = 1, .used = 1};
    sink->feature(sink->user_data, &feature);
    lh_session session = {.struct_size = sizeof session,
                          .vendor = "vendor",
                          .feature = "solver",
                          .user = "alice",
                          .host = "ws1",
                          .count = 1,
                          .checkout_time = request->poll_time - 3600,
                          .close_token = "alice-ws1"};
    sink->session(sink->user_data, &session);
    return LH_OK;
}

static lh_status aborting_close(void* instance, const char* close_token, lh_close_result* result) {
    (void)instance;
    (void)close_token;
    (void)result;
    abort();
}

static const lh_adapter_v1 adapter = {sizeof(lh_adapter_v1), stub_create,    stub_destroy,
                                      one_session_poll,      aborting_close, stub_last_error};
static const lh_plugin plugin = {sizeof(lh_plugin),
                                 LH_ABI_MAJOR,
                                 LH_ABI_MINOR,
                                 "aborts_in_close",
                                 "1.0",
                                 "a close_session that calls abort()",
                                 LH_KIND_ADAPTER,
                                 LH_CAP_POLL | LH_CAP_CLOSE_SESSION,
                                 &adapter,
                                 NULL};

LH_TEST_PLUGIN_ENTRY(plugin)
