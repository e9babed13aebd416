#include "model/snapshot.hpp"

namespace lmharvest {

std::string session_identity(const Session& s) {
    // \x1f (unit separator) cannot appear in any field the tools print.
    constexpr char sep = '\x1f';
    std::string key = s.vendor + sep + s.feature + sep;
    // The checkout time guards against a handle the server reused for a new checkout.
    if (!s.handle.empty())
        return key + "h" + sep + s.server + sep + s.handle + sep + s.user + sep + s.host + sep +
               std::to_string(s.checkout_time);
    return key + "u" + sep + s.user + sep + s.host + sep + s.display + sep +
           std::to_string(s.checkout_time);
}

const char* to_string(State state) {
    switch (state) {
    case State::up:
        return "up";
    case State::down:
        return "down";
    case State::unknown:
        break;
    }
    return "unknown";
}

} // namespace lmharvest
