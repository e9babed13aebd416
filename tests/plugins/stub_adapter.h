/* Pieces shared by the deliberately wrong C test plugins: an adapter that does nothing, so that
 * each plugin's own file shows only what is wrong with it. */
#ifndef LH_TEST_STUB_ADAPTER_H
#define LH_TEST_STUB_ADAPTER_H

#include <lmharvest/plugin.h>

static int stub_instance;

static inline lh_status stub_create(const lh_instance_config* config, void** instance_out,
                                    const char** error_out) {
    (void)config;
    (void)error_out;
    *instance_out = &stub_instance;
    return LH_OK;
}

static inline void stub_destroy(void* instance) {
    (void)instance;
}

static inline lh_status stub_poll(void* instance, const lh_poll_request* request,
                                  const lh_poll_sink* sink) {
    (void)instance;
    (void)request;
    (void)sink;
    return LH_OK;
}

static inline const char* stub_last_error(void* instance) {
    (void)instance;
    return "";
}

/* Defines the one entry point, returning DESCRIPTOR. */
#define LH_TEST_PLUGIN_ENTRY(DESCRIPTOR)                                                           \
    LH_EXPORT const lh_plugin* lh_plugin_entry_v1(const lh_host_api* host) {                       \
        (void)host;                                                                                \
        return &(DESCRIPTOR);                                                                      \
    }

#endif
