// One plugin that is both an adapter and a handler (a vendor shipping the server side and the
// workstation side of one product in one library). The adapter reports one server; the
// handler knows "lh-both-app" as holding BOTH_FEATURE and can save it.
#include <lmharvest/plugin.hpp>
#include <string>
#include <vector>

namespace {

using namespace lmharvest;

class BothAdapter {
public:
    explicit BothAdapter(const sdk::Instance& instance) : address_(instance.address()) {}
    void poll(const lh_poll_request&, sdk::PollSink& sink) {
        lh_server_status server{};
        server.host = address_.c_str();
        server.state = LH_STATE_UP;
        sink.server(server);
    }

private:
    std::string address_;
};

class BothHandler {
public:
    explicit BothHandler(const sdk::HandlerSetup&) {}
    std::vector<std::string> features(const sdk::Process& process) {
        if (process.executable.size() < 12 ||
            process.executable.compare(process.executable.size() - 12, 12, "/lh-both-app") != 0)
            return {};
        return {"BOTH_FEATURE"};
    }
    void save_and_close(const sdk::SaveRequest&, sdk::SavedProjectSink&) {}
};

} // namespace

LMHARVEST_ADAPTER_AND_HANDLER_PLUGIN(BothAdapter, BothHandler, "adapter_and_handler", "1.0",
                                     "an adapter and a handler in one library")
