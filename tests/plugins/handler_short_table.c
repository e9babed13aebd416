/* What is wrong with this plugin: its handler table says struct_size 40, shorter than the ABI
 * 1.0 lh_handler_v1 (56), so the host must not read match or last_error from it. */
#include "stub_handler.h"

static const lh_handler_v1 handler = {40,   stub_handler_create, stub_destroy, stub_match, NULL,
                                      NULL, stub_last_error,     NULL,         NULL,       NULL,
                                      NULL};
static const lh_plugin plugin = {sizeof(lh_plugin),
                                 LH_ABI_MAJOR,
                                 LH_ABI_MINOR,
                                 "handler_short_table",
                                 "1.0",
                                 "a handler table cut short",
                                 LH_KIND_HANDLER,
                                 0,
                                 NULL,
                                 &handler};

LH_TEST_PLUGIN_ENTRY(plugin)
