// Points where the crash tests stop a backup or a restore with SIGKILL: when the environment
// variable INVOICING_TEST_KILL_AT names the point, the process kills itself there. Only tests
// set it; a workstation never does.
#pragma once

namespace invoicing::backup {

void kill_point(const char* name);

}  // namespace invoicing::backup
