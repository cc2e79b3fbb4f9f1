#include "common/process.h"

#include <sys/prctl.h>
#include <sys/resource.h>

namespace kiosk::common {

void disableCoreDumps() {
    const rlimit noCore{0, 0};
    setrlimit(RLIMIT_CORE, &noCore);
    prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
}

}  // namespace kiosk::common
