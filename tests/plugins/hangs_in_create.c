/* What is wrong with this plugin: its create() never returns. In a worker the host's create
 * misses its deadline and the server is refused with the reason, instead of the host hanging
 * at start. */
#include "stub_adapter.h"

#include <unistd.h>

static lh_status hanging_create(const lh_instance_config* config, void** instance_out,
                                const char** error_out) {
    (void)config;
    (void)instance_out;
    (void)error_out;
    for (;;)
        sleep(60);
    return LH_OK;
}

static const lh_adapter_v1 adapter = {
    sizeof(lh_adapter_v1), hanging_create, stub_destroy, stub_poll, NULL, stub_last_error};
static const lh_plugin plugin = {sizeof(lh_plugin),
                                 LH_ABI_MAJOR,
                                 LH_ABI_MINOR,
                                 "hangs_in_create",
                                 "1.0",
                                 "a create that never returns",
                                 LH_KIND_ADAPTER,
                                 LH_CAP_POLL,
                                 &adapter,
                                 NULL};

LH_TEST_PLUGIN_ENTRY(plugin)
