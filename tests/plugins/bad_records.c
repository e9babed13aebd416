/* What is wrong with this plugin: besides one good feature and one good session, each poll()
 * reports records the host cannot use: sessions with a negative count, an empty user, a NULL
 * user and an empty feature; features with an empty name, a negative used count and a total
 * below -1 (-1 alone means "unknown"). The host must keep none of them and count each as a
 * skipped line with its reason. */
#include "stub_adapter.h"

static void feature(const lh_poll_sink* sink, const char* name, int64_t total, int64_t used) {
    lh_feature record = {sizeof(lh_feature), "testd", name, "1.0", total, used, 0, 0,
                         "permanent",        0,       NULL};
    sink->feature(sink->user_data, &record);
}

static void session(const lh_poll_sink* sink, const char* feature, const char* user,
                    int64_t count) {
    lh_session record = {
        sizeof(lh_session), "testd", feature, "1.0", user,   "ws1", ":0", NULL, count,
        1700000000,         0,       0,       0,     "lic1", NULL,  "tok"};
    sink->session(sink->user_data, &record);
}

static lh_status poll(void* instance, const lh_poll_request* request, const lh_poll_sink* sink) {
    (void)instance;
    (void)request;
    feature(sink, "GOOD", -1, 1); /* unknown total: kept */
    feature(sink, "", 5, 1);
    feature(sink, "NEGATIVE_USED", 5, -2);
    feature(sink, "NEGATIVE_TOTAL", -7, 1);
    session(sink, "GOOD", "alice", 1);
    session(sink, "GOOD", "bob", -1);
    session(sink, "GOOD", "", 1);
    session(sink, "GOOD", NULL, 1);
    session(sink, "", "carol", 1);
    return LH_OK;
}

static const lh_adapter_v1 adapter = {sizeof(lh_adapter_v1), stub_create, stub_destroy, poll, NULL,
                                      stub_last_error};
static const lh_plugin plugin = {sizeof(lh_plugin),
                                 LH_ABI_MAJOR,
                                 LH_ABI_MINOR,
                                 "bad_records",
                                 "1.0",
                                 "reports records the host must not keep",
                                 LH_KIND_ADAPTER,
                                 LH_CAP_POLL,
                                 &adapter,
                                 NULL};

LH_TEST_PLUGIN_ENTRY(plugin)
