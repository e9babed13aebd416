/* What is wrong with this plugin: its poll() never returns (a tool it waits for without a
 * timeout). The host must still stop within its bound on SIGTERM, and its watchdog must stop
 * beating once the poll runs past the server's stuck limit. */
#include "stub_adapter.h"

#include <unistd.h>

static lh_status hanging_poll(void* instance, const lh_poll_request* request,
                              const lh_poll_sink* sink) {
    (void)instance;
    (void)request;
    (void)sink;
    for (;;)
        sleep(60);
    return LH_OK;
}

static const lh_adapter_v1 adapter = {sizeof(lh_adapter_v1), stub_create, stub_destroy,
                                      hanging_poll,          NULL,        stub_last_error};
static const lh_plugin plugin = {
    sizeof(lh_plugin),           LH_ABI_MAJOR,    LH_ABI_MINOR, "hangs_in_poll", "1.0",
    "a poll that never returns", LH_KIND_ADAPTER, LH_CAP_POLL,  &adapter,        NULL};

LH_TEST_PLUGIN_ENTRY(plugin)
