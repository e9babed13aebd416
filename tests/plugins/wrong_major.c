/* What is wrong with this plugin: its v1 entry returns a descriptor with abi_major 2 (a
 * mismatched header), which the host must refuse as "wrong ABI major: got 2, supported 1". */
#include "stub_adapter.h"

static const lh_adapter_v1 adapter = {
    sizeof(lh_adapter_v1), stub_create, stub_destroy, stub_poll, NULL, stub_last_error};
static const lh_plugin plugin = {
    sizeof(lh_plugin), 2,           0,        "wrong_major", "1.0", "claims ABI major 2",
    LH_KIND_ADAPTER,   LH_CAP_POLL, &adapter, NULL};

LH_TEST_PLUGIN_ENTRY(plugin)
