/* What is wrong with this plugin: it sets LH_CAP_CLOSE_SESSION but leaves
 * adapter->close_session NULL; the host must refuse it instead of calling NULL later. */
#include "stub_adapter.h"

static const lh_adapter_v1 adapter = {
    sizeof(lh_adapter_v1), stub_create, stub_destroy, stub_poll, NULL, stub_last_error};
static const lh_plugin plugin = {sizeof(lh_plugin),
                                 LH_ABI_MAJOR,
                                 LH_ABI_MINOR,
                                 "null_capability",
                                 "1.0",
                                 "promises close_session without one",
                                 LH_KIND_ADAPTER,
                                 LH_CAP_POLL | LH_CAP_CLOSE_SESSION,
                                 &adapter,
                                 NULL};

LH_TEST_PLUGIN_ENTRY(plugin)
