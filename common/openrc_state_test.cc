#include "common/openrc_state.h"

#include <catch2/catch.hpp>

namespace macula {
namespace {

TEST_CASE("the boot is finished in the default runlevel once OpenRC no longer changes it") {
  CHECK(boot_finished({"default", false}));
  CHECK_FALSE(boot_finished({"default", true}));  // named a moment before it is started
  CHECK_FALSE(boot_finished({"boot", false}));
  CHECK_FALSE(boot_finished({"", false}));        // OpenRC has not got that far
  CHECK_FALSE(boot_finished({"shutdown", true}));
}

TEST_CASE("a daemon running while its service is not started runs outside its supervisor") {
  CHECK(service_run(true, true) == ServiceRun::started);
  CHECK(service_run(true, false) == ServiceRun::started);  // OpenRC's word: its supervisor restarts it
  CHECK(service_run(false, true) == ServiceRun::outside_service);
  CHECK(service_run(false, false) == ServiceRun::stopped);
}

}  // namespace
}  // namespace macula
