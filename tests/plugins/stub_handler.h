/* Pieces shared by the deliberately wrong C handler plugins: a handler that knows no process,
 * so that each plugin's own file shows only what is wrong with it. */
#ifndef LH_TEST_STUB_HANDLER_H
#define LH_TEST_STUB_HANDLER_H

#include "stub_adapter.h"

static inline lh_status stub_handler_create(const lh_config* config, void** instance_out,
                                            const char** error_out) {
    (void)config;
    (void)error_out;
    *instance_out = &stub_instance;
    return LH_OK;
}

static inline lh_status stub_match(void* instance, const lh_process_info* process,
                                   const char** feature_out) {
    (void)instance;
    (void)process;
    (void)feature_out;
    return LH_ERR_NOT_FOUND;
}

#endif
