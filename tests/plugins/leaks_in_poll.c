/* What is wrong with this plugin: each poll() keeps 100 MB it never frees (and touches it, so
 * that it is resident). Its worker is restarted before its memory limit makes it fail. */
#include "stub_adapter.h"

#include <stdlib.h>
#include <string.h>

enum { leak_per_poll = 100 << 20 };

/* Kept where the compiler must assume someone reads it: an unused malloc may be optimised out. */
char* volatile leaked[64];
static unsigned leaks;

static lh_status leaking_poll(void* instance, const lh_poll_request* request,
                              const lh_poll_sink* sink) {
    (void)instance;
    (void)request;
    char* leak = malloc(leak_per_poll);
    if (!leak)
        return LH_ERR_GENERIC;
    memset(leak, 1, leak_per_poll);
    leaked[leaks++ % 64] = leak;
    lh_server_status server = {sizeof server, "lic1", LH_STATE_UP, 1, "v1", ""};
    sink->server(sink->user_data, &server);
    return LH_OK;
}

static const lh_adapter_v1 adapter = {sizeof(lh_adapter_v1), stub_create, stub_destroy,
                                      leaking_poll,          NULL,        stub_last_error};
static const lh_plugin plugin = {
    sizeof(lh_plugin),          LH_ABI_MAJOR,    LH_ABI_MINOR, "leaks_in_poll", "1.0",
    "a poll that leaks 100 MB", LH_KIND_ADAPTER, LH_CAP_POLL,  &adapter,        NULL};

LH_TEST_PLUGIN_ENTRY(plugin)
