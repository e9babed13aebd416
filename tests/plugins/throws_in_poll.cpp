// What is wrong with this plugin: written with the C++ layer, its poll() throws. The layer
// turns the exception into LH_ERR_GENERIC and last_error(); the host must turn that into a
// failed snapshot carrying the exception's text, and keep running.
#include <lmharvest/plugin.hpp>
#include <stdexcept>

namespace {

class ThrowsInPoll {
public:
    explicit ThrowsInPoll(const lmharvest::sdk::Instance&) {}
    void poll(const lh_poll_request&, lmharvest::sdk::PollSink&) {
        throw std::runtime_error("lmstat printed nothing");
    }
};

} // namespace

LMHARVEST_ADAPTER_PLUGIN(ThrowsInPoll, "throws_in_poll", "1.0", "every poll throws")
