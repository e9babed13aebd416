/* What is wrong with this plugin: it sets LH_CAP_SAVE_AND_CLOSE but leaves both
 * handler->save_and_close and handler->save_and_close_by NULL; the agent would call NULL. */
#include "stub_handler.h"

static const lh_handler_v1 handler = {sizeof(lh_handler_v1),
                                      stub_handler_create,
                                      stub_destroy,
                                      stub_match,
                                      NULL,
                                      NULL,
                                      stub_last_error,
                                      NULL,
                                      NULL,
                                      NULL,
                                      NULL};
static const lh_plugin plugin = {sizeof(lh_plugin),
                                 LH_ABI_MAJOR,
                                 LH_ABI_MINOR,
                                 "handler_bit_without_pointer",
                                 "1.0",
                                 "promises save_and_close without one",
                                 LH_KIND_HANDLER,
                                 LH_CAP_SAVE_AND_CLOSE,
                                 NULL,
                                 &handler};

LH_TEST_PLUGIN_ENTRY(plugin)
