#include "tests/kiosk/ui/x11_close.h"

#include <string>

#include <X11/Xlib.h>

namespace testing_support {

bool askWindowToClose(int display, unsigned long window) {
    Display* x = XOpenDisplay((":" + std::to_string(display)).c_str());
    if (!x) return false;
    XEvent event{};
    event.xclient.type = ClientMessage;
    event.xclient.window = window;
    event.xclient.message_type = XInternAtom(x, "WM_PROTOCOLS", False);
    event.xclient.format = 32;
    event.xclient.data.l[0] = long(XInternAtom(x, "WM_DELETE_WINDOW", False));
    event.xclient.data.l[1] = CurrentTime;
    const Status sent = XSendEvent(x, window, False, NoEventMask, &event);
    XFlush(x);
    XCloseDisplay(x);
    return sent != 0;
}

}  // namespace testing_support
