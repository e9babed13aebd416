/* What is wrong with this plugin: its descriptor's struct_size is 8, far less than the ABI 1.0
 * lh_plugin, so the host must not read past it and must refuse the plugin. */
#include "stub_adapter.h"

static const lh_plugin plugin = {
    8, LH_ABI_MAJOR, LH_ABI_MINOR, "small_struct", "1.0", "struct_size too small", LH_KIND_ADAPTER,
    0, NULL,         NULL};

LH_TEST_PLUGIN_ENTRY(plugin)
