#pragma once
// The window's printer thread (kiosk/printing/print_queue.h), started with the forms and the words
// the window already loaded, waking the render loop when a paper's progress changes.
// Called on the UI thread at start-up; the queue must be reset before GLFW terminates (its
// callback posts GLFW events).
#include <functional>
#include <memory>
#include <string>

#include "core/strings.h"
#include "kiosk/printing/print_queue.h"

namespace kiosk::app {

// nullptr, with the reason on stderr, when the forms cannot be read: the kiosk then works without
// printing (each slip asked for stays pending in the journal).
std::unique_ptr<printing::PrintQueue> startPrintQueue(const std::string& dbPath, const Strings& strings,
                                                      std::function<void()> wake);

}  // namespace kiosk::app
