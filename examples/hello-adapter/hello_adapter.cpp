// The smallest useful adapter: one license server, one feature and one session, so that a
// vendor sees the whole shape of a plugin in one screen. Build it with CMakeLists.txt beside
// this file; check it with `lmharvest plugins inspect hello_adapter.so`.
#include <lmharvest/plugin.hpp>
#include <string>

namespace {

class HelloAdapter {
public:
    // One instance per [[servers]] entry; its [servers.hello_adapter] table is read here.
    explicit HelloAdapter(const lmharvest::sdk::Instance& instance)
        : address_(instance.address()), user_(instance.get_string("user").value_or("alice")) {}

    // Reports what the server has right now. Every pointer only has to live until the sink
    // call returns: the host copies what it keeps.
    void poll(const lh_poll_request& request, lmharvest::sdk::PollSink& sink) {
        sink.server({0, address_.c_str(), LH_STATE_UP, 1, "hello 1.0", nullptr});
        sink.feature({0, "hellod", "HELLO_WORLD", "1.0", 5, 1, 0, 0, "permanent", 0, nullptr});
        sink.session({0, "hellod", "HELLO_WORLD", "1.0", user_.c_str(), "ws1", ":0", nullptr, 1,
                      request.poll_time - 600, 0, 0, 0, address_.c_str(), nullptr, user_.c_str()});
    }

private:
    std::string address_;
    std::string user_;
};

} // namespace

LMHARVEST_ADAPTER_PLUGIN(HelloAdapter, "hello_adapter", "1.0.0", "Says hello with one session")
