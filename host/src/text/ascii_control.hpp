// ASCII control characters (C0 and DEL): bytes that never belong in a name, and that a terminal
// or a log would act on rather than show.
#pragma once

namespace lmharvest::text {

inline bool is_ascii_control(unsigned char byte) {
    return byte < 0x20 || byte == 0x7f;
}

} // namespace lmharvest::text
