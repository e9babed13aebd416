#include "store/store_records.hpp"

namespace lmharvest {

const char* to_string(ServerState state) {
    switch (state) {
    case ServerState::up:
        return "up";
    case ServerState::stale:
        return "stale";
    case ServerState::down:
        break;
    }
    return "down";
}

ServerState server_state_from_string(std::string_view text) {
    if (text == "up")
        return ServerState::up;
    if (text == "stale")
        return ServerState::stale;
    return ServerState::down;
}

} // namespace lmharvest
