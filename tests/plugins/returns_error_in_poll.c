/* What is wrong with this plugin: every poll() reports one feature, then returns
 * LH_ERR_UNAVAILABLE with a last_error() text; the host must turn that into a failed snapshot
 * (ok=false, the text, no records) and keep running. */
#include "stub_adapter.h"

static lh_status poll(void* instance, const lh_poll_request* request, const lh_poll_sink* sink) {
    lh_feature feature = {
        sizeof(lh_feature), "testd", "HALF_REPORTED", NULL, 1, 0, 0, 0, NULL, 0, NULL};
    (void)instance;
    (void)request;
    if (sink->feature)
        sink->feature(sink->user_data, &feature);
    return LH_ERR_UNAVAILABLE;
}

static const char* last_error(void* instance) {
    (void)instance;
    return "license server lic1 is not reachable";
}

static const lh_adapter_v1 adapter = {
    sizeof(lh_adapter_v1), stub_create, stub_destroy, poll, NULL, last_error};
static const lh_plugin plugin = {sizeof(lh_plugin),
                                 LH_ABI_MAJOR,
                                 LH_ABI_MINOR,
                                 "returns_error_in_poll",
                                 "1.0",
                                 "every poll fails",
                                 LH_KIND_ADAPTER,
                                 LH_CAP_POLL,
                                 &adapter,
                                 NULL};

LH_TEST_PLUGIN_ENTRY(plugin)
