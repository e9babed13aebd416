/* What is wrong with this plugin: its poll() is an endless loop that burns CPU and never
 * looks at its timeout. The worker misses its call deadline and is killed. */
#include "stub_adapter.h"

static lh_status spinning_poll(void* instance, const lh_poll_request* request,
                               const lh_poll_sink* sink) {
    (void)instance;
    (void)request;
    (void)sink;
    for (volatile unsigned long i = 0;; ++i) {
    }
    return LH_OK;
}

static const lh_adapter_v1 adapter = {sizeof(lh_adapter_v1), stub_create, stub_destroy,
                                      spinning_poll,         NULL,        stub_last_error};
static const lh_plugin plugin = {
    sizeof(lh_plugin),           LH_ABI_MAJOR,    LH_ABI_MINOR, "spins_in_poll", "1.0",
    "a poll that never returns", LH_KIND_ADAPTER, LH_CAP_POLL,  &adapter,        NULL};

LH_TEST_PLUGIN_ENTRY(plugin)
