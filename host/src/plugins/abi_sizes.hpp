// The size of each ABI struct as 1.0 published it: the least struct_size a reader accepts.
// Each ends at the struct's last 1.0 field, so a minor version that appends fields leaves it
// unchanged, and a host built with bigger structs still reads a 1.0 plugin's (and the reverse).
// Fields appended after 1.0 are read only behind LH_HAS_FIELD.
#pragma once

#include <cstddef>
#include <cstdint>
#include <lmharvest/plugin.h>

namespace lmharvest {

/// Only the structs listed below have a 1.0 size; using another is a compile error.
template <class Struct>
inline constexpr uint32_t size_v1_0 = Struct::no_size_pinned_for_this_struct;

#define LH_PIN_SIZE_V1_0(TYPE, LAST_FIELD)                                                         \
    template <>                                                                                    \
    inline constexpr uint32_t size_v1_0<TYPE> =                                                    \
        offsetof(TYPE, LAST_FIELD) + sizeof(TYPE::LAST_FIELD)

LH_PIN_SIZE_V1_0(lh_plugin, handler);
LH_PIN_SIZE_V1_0(lh_adapter_v1, last_error);
LH_PIN_SIZE_V1_0(lh_handler_v1, last_error);
LH_PIN_SIZE_V1_0(lh_server_status, message);
LH_PIN_SIZE_V1_0(lh_vendor_status, message);
LH_PIN_SIZE_V1_0(lh_feature, error_text);
LH_PIN_SIZE_V1_0(lh_session, close_token);
LH_PIN_SIZE_V1_0(lh_denial, count);
LH_PIN_SIZE_V1_0(lh_skipped_line, reason);
LH_PIN_SIZE_V1_0(lh_process_request, user_data);
LH_PIN_SIZE_V1_0(lh_process_result, duration_ms);

#undef LH_PIN_SIZE_V1_0

} // namespace lmharvest
