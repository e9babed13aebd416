/* A handler exactly as ABI 1.0 allowed one, in plain C, built against the frozen copy of the
 * 1.0 headers (tests/abi/sdk-1.0): its lh_handler_v1 is 56 bytes and has no create_in, features,
 * save_and_close_by or activity. A 1.1 host must still load and use it.
 * It knows processes whose executable ends in "/lh-hello-app" and holds HELLO_FEATURE; its
 * save_and_close reports one project and closes nothing (there is nothing to close). */
#include <lmharvest/plugin.h>
#include <string.h>

static int instance_token;

static lh_status create(const lh_config* config, void** instance_out, const char** error_out) {
    (void)config;
    (void)error_out;
    *instance_out = &instance_token;
    return LH_OK;
}

static void destroy(void* instance) {
    (void)instance;
}

static lh_status match(void* instance, const lh_process_info* process, const char** feature_out) {
    static const char suffix[] = "/lh-hello-app";
    const size_t suffix_length = sizeof suffix - 1;
    size_t length;
    (void)instance;
    if (!process->executable)
        return LH_ERR_NOT_FOUND;
    length = strlen(process->executable);
    if (length < suffix_length || strcmp(process->executable + length - suffix_length, suffix) != 0)
        return LH_ERR_NOT_FOUND;
    *feature_out = "HELLO_FEATURE";
    return LH_OK;
}

static lh_status save_and_close(void* instance, int64_t pid, const lh_saved_project_sink* sink) {
    lh_saved_project project;
    (void)instance;
    project.struct_size = sizeof project;
    project.application = "Hello App 1.0";
    project.path = "/tmp/hello.proj";
    project.saved_time = pid;
    sink->saved(sink->user_data, &project);
    return LH_OK;
}

static const char* last_error(void* instance) {
    (void)instance;
    return "";
}

static const lh_handler_v1 handler = {sizeof(lh_handler_v1), create, destroy,   match,
                                      save_and_close,        NULL,   last_error};
static const lh_plugin plugin = {
    sizeof(lh_plugin),    LH_ABI_MAJOR,    LH_ABI_MINOR,          "handler_v1_0", "1.0",
    "a 1.0 handler in C", LH_KIND_HANDLER, LH_CAP_SAVE_AND_CLOSE, NULL,           &handler};

LH_EXPORT const lh_plugin* lh_plugin_entry_v1(const lh_host_api* host) {
    (void)host;
    return &plugin;
}
