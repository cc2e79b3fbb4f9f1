#pragma once
// An SQLite VFS shim for disk-fault tests: wraps the default VFS and fails chosen writes and syncs
// with an I/O error (EIO) or a full disk (ENOSPC), the way a dying SD card or a full disk does.
// Install it as the default VFS for the duration of a test (FaultyVfsScope); then every connection
// opened meanwhile goes through it.
#include <atomic>

namespace testing_support {

struct DiskFaults {
    std::atomic<int> writesUntilFailure{-1};  // -1: never; 0: the next write fails; n: after n writes
    std::atomic<int> syncsUntilFailure{-1};
    std::atomic<bool> diskFull{false};  // SQLITE_FULL instead of SQLITE_IOERR
    std::atomic<bool> sticky{false};    // once failing, keep failing (a dead disk)
    std::atomic<int> failures{0};       // how many operations were failed
    void clear() {
        writesUntilFailure = -1;
        syncsUntilFailure = -1;
        diskFull = false;
        sticky = false;
    }
};

DiskFaults& diskFaults();

class FaultyVfsScope {
public:
    FaultyVfsScope();   // registers the shim as the default VFS
    ~FaultyVfsScope();  // restores the previous default
    FaultyVfsScope(const FaultyVfsScope&) = delete;
    FaultyVfsScope& operator=(const FaultyVfsScope&) = delete;
};

}  // namespace testing_support
