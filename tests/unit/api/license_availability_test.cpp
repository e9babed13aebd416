// ?features= of GET /api/v1/agents/{agent}/licenses, and the sums over every server's pools.
#include "api/license_availability.hpp"

#include <catch2/catch.hpp>
#include <lmharvest/records.h>

using namespace lmharvest;

namespace {

FeatureRecord pool(const std::string& server, const std::string& name, std::optional<int64_t> total,
                   int64_t used, uint32_t flags = 0) {
    FeatureRecord record;
    record.server = server;
    record.usage.vendor = "MLM";
    record.usage.name = name;
    record.usage.total = total;
    record.usage.used = used;
    record.usage.flags = flags;
    return record;
}

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
        pool("eng", "MATLAB", 10, 9),
        pool("lab", "MATLAB", 5, 5),
        pool("eng", "SIMULINK", 3, 3),
        pool("eng", "Uncounted", std::nullopt, 4, LH_FEATURE_UNCOUNTED),
        pool("eng", "Over", 2, 3),
        pool("eng", "Other", 100, 0)};
    const auto got =
        license_availability({"MATLAB", "SIMULINK", "Uncounted", "Over", "Gone"}, pools);
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
