#pragma once
// Saves what the GL context has drawn (the back buffer, before the swap) as a PNG file, for
// `kiosk --screenshot FILE` and the scripts that check a kiosk on a machine with no screen.
// Main (GL) thread only.
#include <string>

#include "common/result.h"

namespace kiosk::app {

Outcome saveBackBufferPng(const std::string& path, int width, int height);

}  // namespace kiosk::app
