// The store tests' SQLite fault shim, built into sync_tests too (one definition, not a copy).
#include "tests/support/faulty_vfs.cpp"  // NOLINT(bugprone-suspicious-include)
