/* What is wrong with this plugin: the build makes two files of it, duplicate_a.so and
 * duplicate_b.so, in one folder, both named "twin"; the host loads the first (in name order)
 * and refuses the second, naming both files. */
#include "stub_adapter.h"

static const lh_adapter_v1 adapter = {
    sizeof(lh_adapter_v1), stub_create, stub_destroy, stub_poll, NULL, stub_last_error};
static const lh_plugin plugin = {
    sizeof(lh_plugin), LH_ABI_MAJOR, LH_ABI_MINOR, "twin", "1.0", "one of two plugins named twin",
    LH_KIND_ADAPTER,   LH_CAP_POLL,  &adapter,     NULL};

LH_TEST_PLUGIN_ENTRY(plugin)
