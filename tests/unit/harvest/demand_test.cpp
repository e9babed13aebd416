// Who is waiting for a pool, from the denials the polls stored.
#include "harvest/demand.hpp"
#include "policy_fixture.hpp"

#include <catch2/catch.hpp>
#include <lmharvest/records.h>

using namespace lmharvest;

namespace {

DenialRecord denial(std::string user, int32_t kind = LH_DENIAL_DENIED, std::string vendor = "MLM",
                    std::string feature = "MATLAB", std::string server = "eng") {
    DenialRecord r;
    r.server = std::move(server);
    r.denial.kind = kind;
    r.denial.vendor = std::move(vendor);
    r.denial.feature = std::move(feature);
    r.denial.user = std::move(user);
    r.denial.host = "pc";
    r.denial.time = now - 60;
    return r;
}

} // namespace

TEST_CASE("waiting users: distinct, denied or queued, of this pool, not yet served") {
    const PoolInput pool{"eng", usage_of(10, 10), {pool_session(1, "served")}};
    CHECK(waiting_users({}, pool) == 0);
    CHECK(waiting_users({denial("ann"), denial("ANN"), denial("ben", LH_DENIAL_QUEUED)}, pool) ==
          2);
    CHECK(waiting_users({denial("ann", LH_DENIAL_DENIED, "")}, pool) == 1); // no vendor: any
    CHECK(waiting_users({denial("served")}, pool) == 0);
    CHECK(waiting_users({denial("ann", LH_DENIAL_UNSUPPORTED)}, pool) == 0);
    CHECK(waiting_users({denial("ann", LH_DENIAL_DENIED, "OTHER")}, pool) == 0);
    CHECK(waiting_users({denial("ann", LH_DENIAL_DENIED, "MLM", "SIMULINK")}, pool) == 0);
    CHECK(waiting_users({denial("ann", LH_DENIAL_DENIED, "MLM", "MATLAB", "cae")}, pool) == 0);
}
