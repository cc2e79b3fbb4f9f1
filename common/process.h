#pragma once
// What each program does to itself at start, before it reads a secret. Any thread, once.

namespace kiosk::common {

// No core file and no same-user ptrace: a crash or a debugger attached to a running program must not
// put what citizens typed, an officer's unwrapped key or the district's secret keys on disk.
// setrlimit(RLIMIT_CORE, 0) stops the kernel writing a core file; prctl(PR_SET_DUMPABLE, 0) also
// stops systemd-coredump (which ignores the limit when it is the core pattern) and another process
// of the same user reading /proc/PID/mem. Failures are ignored: the programs still run without it.
void disableCoreDumps();

}  // namespace kiosk::common
