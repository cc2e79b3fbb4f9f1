#pragma once
// What a window manager does on Alt+F4, for the end-to-end test: a WM_DELETE_WINDOW client message
// to a window. Kept apart because Xlib's macros (None, Status, ...) clash with the project's names.

namespace testing_support {

bool askWindowToClose(int display, unsigned long window);

}  // namespace testing_support
