/* What is wrong with this plugin: its poll() writes through a NULL pointer. In the host it
 * would end the host; in a worker it ends the worker, and the host restarts it. */
#include "stub_adapter.h"

static lh_status crashing_poll(void* instance, const lh_poll_request* request,
                               const lh_poll_sink* sink) {
    (void)instance;
    (void)request;
    (void)sink;
    volatile int* nowhere = NULL;
    *nowhere = 1;
    return LH_OK;
}

static const lh_adapter_v1 adapter = {sizeof(lh_adapter_v1), stub_create, stub_destroy,
                                      crashing_poll,         NULL,        stub_last_error};
static const lh_plugin plugin = {sizeof(lh_plugin),
                                 LH_ABI_MAJOR,
                                 LH_ABI_MINOR,
                                 "segfaults_in_poll",
                                 "1.0",
                                 "a poll that segfaults",
                                 LH_KIND_ADAPTER,
                                 LH_CAP_POLL,
                                 &adapter,
                                 NULL};

LH_TEST_PLUGIN_ENTRY(plugin)
