// What OpenRC says of the boot and of a service, for the tools that must not race the boot:
// the login prompt comes long before OpenRC has finished the default runlevel, and a service
// started by hand while the runlevel still has it ahead is started twice (the runlevel's
// supervise-daemon then finds the daemon running and fails the service, which runs on
// outside its supervisor: nothing restarts it when it dies).
#pragma once

#include <string>
#include <string_view>

namespace macula {

// /run/openrc: softlevel names the runlevel OpenRC is in or going to; rc.starting and
// rc.stopping exist while it changes runlevel.
struct RunlevelFacts {
  std::string softlevel;
  bool changing = false;
};

// The boot is done: OpenRC is in the default runlevel and no longer starting it.
bool boot_finished(const RunlevelFacts& facts);

// A service's daemon as OpenRC and the process table see it.
enum class ServiceRun { started, outside_service, stopped };
ServiceRun service_run(bool service_started, bool daemon_running);

// The facts now (the files above; a missing file is an empty fact).
RunlevelFacts read_runlevel_facts();

// `rc-service NAME status` says started (its supervisor, when it has one, runs the daemon).
bool service_started(std::string_view name);

// A process of this executable runs (/proc/PID/exe), path's links resolved.
bool executable_running(std::string_view path);

}  // namespace macula
