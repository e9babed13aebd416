// ?features= of GET /api/v1/agents/{agent}/licenses, and the sums over every server's pools.
#include "api/license_availability.hpp"

#include <catch2/catch.hpp>
#include <lmharvest/records.h>

using namespace lmharvest;

namespace {

FeatureRecord pool_record(const std::string& server, const std::string& name,
                          std::optional<int64_t> total, int64_t used, uint32_t flags = 0) {
    FeatureRecord record;
    record.server = server;
    record.usage.vendor = "MLM";
    record.usage.name = name;
    record.usage.total = total;
    record.usage.used = used;
    record.usage.flags = flags;
    return record;
}

ServerRecord server(const std::string& id, ServerState state) {
    ServerRecord record;
    record.id = id;
    record.state = state;
    return record;
}

const std::vector<ServerRecord> both_up{server("eng", ServerState::up),
                                        server("lab", ServerState::up)};

} // namespace

TEST_CASE("licenses: ?features= is 1 to 64 names; a bad one names the parameter") {
    CHECK(*parse_features_param("MATLAB") == std::vector<std::string>{"MATLAB"});
    CHECK(*parse_features_param("MATLAB,Signal_Toolbox,MATLAB") ==
          std::vector<std::string>{"MATLAB", "Signal_Toolbox"});
    for (const std::optional<std::string>& bad :
         {std::optional<std::string>(), std::optional<std::string>(""),
          std::optional<std::string>("MATLAB,"), std::optional<std::string>(",MATLAB"),
          std::optional<std::string>("MAT\nLAB"),
          std::optional<std::string>(std::string(129, 'x'))}) {
        INFO(bad.value_or("(absent)"));
        const auto refused = parse_features_param(bad);
        REQUIRE_FALSE(refused.has_value());
        CHECK(refused.error().field == "features");
    }
    std::string many;
    for (int i = 0; i < 65; ++i)
        many += (i ? "," : "") + std::string("F") + std::to_string(i);
    CHECK(parse_features_param(many).error().text() == "features: at most 64 names");
    CHECK(parse_features_param(many.substr(0, many.rfind(','))).has_value()); // 64 is fine
}

TEST_CASE("licenses: each feature asked, summed over servers; only those asked") {
    const std::vector<FeatureRecord> pools{
        pool_record("eng", "MATLAB", 10, 9),
        pool_record("lab", "MATLAB", 5, 5),
        pool_record("eng", "SIMULINK", 3, 3),
        pool_record("eng", "Uncounted", std::nullopt, 4, LH_FEATURE_UNCOUNTED),
        pool_record("eng", "Over", 2, 3),
        pool_record("eng", "Other", 100, 0)};
    const auto got =
        license_availability({"MATLAB", "SIMULINK", "Uncounted", "Over", "Gone"}, pools, both_up);
    REQUIRE(got.size() == 5);
    CHECK(got[0].feature == "MATLAB");
    CHECK(got[0].free == 1);
    CHECK(got[0].used == 14);
    CHECK(got[0].total == 15);
    CHECK(got[0].pools == 2);
    CHECK(got[1].free == 0);
    CHECK(got[2].unlimited);
    CHECK(got[3].free == 0); // more in use than issued is not a negative free
    CHECK(got[4].pools == 0);
    CHECK(got[4].free == 0);
}

TEST_CASE("licenses: the pools of a server whose last poll failed are counted apart, never free") {
    const std::vector<FeatureRecord> pools{
        pool_record("eng", "MATLAB", 10, 2), pool_record("lab", "MATLAB", 5, 1),
        pool_record("lab", "Free", std::nullopt, 0, LH_FEATURE_UNLIMITED)};
    for (const ServerState failed : {ServerState::stale, ServerState::down}) {
        INFO(to_string(failed));
        const auto got = license_availability(
            {"MATLAB", "Free"}, pools, {server("eng", ServerState::up), server("lab", failed)});
        REQUIRE(got.size() == 2);
        CHECK(got[0].pools == 2);
        CHECK(got[0].stale_pools == 1);
        CHECK(got[0].free == 8); // eng's only: lab's 4 free are from before its failure
        CHECK(got[0].total == 10);
        CHECK(got[0].used == 2);
        CHECK(got[1].stale_pools == 1);
        CHECK_FALSE(got[1].unlimited); // a failed server's unlimited pool is not a free license
        CHECK(got[1].free == 0);
    }
    // A pool whose server is not configured any more is as good as a failed one.
    const auto orphan = license_availability({"MATLAB"}, pools, {server("lab", ServerState::up)});
    CHECK(orphan[0].stale_pools == 1);
    CHECK(orphan[0].free == 4);
}
