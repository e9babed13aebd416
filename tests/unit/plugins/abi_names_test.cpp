#include "plugins/abi_names.hpp"

#include <catch2/catch.hpp>

using namespace lmharvest;

TEST_CASE("status, kind and capability names") {
    CHECK(status_name(LH_OK) == "LH_OK");
    CHECK(status_name(LH_ERR_TOO_SOON) == "LH_ERR_TOO_SOON");
    CHECK(status_name(LH_ERR_BUFFER_TOO_SMALL) == "LH_ERR_BUFFER_TOO_SMALL");
    CHECK(status_name(99) == "status 99");
    CHECK(status_name(-1) == "status -1");
    CHECK(kind_names(0) == "none");
    CHECK(kind_names(LH_KIND_ADAPTER | LH_KIND_HANDLER) == "adapter,handler");
    CHECK(kind_names(LH_KIND_HANDLER | 0x10) == "handler,0x10");
    CHECK(capability_names(LH_CAP_DENIALS | LH_CAP_SAVE_AND_CLOSE) == "denials,save_and_close");
    CHECK(capability_names(uint64_t{1} << 40) == "0x10000000000");
}
