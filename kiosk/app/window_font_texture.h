#pragma once
// The font atlas on the GPU as one 8-bit channel instead of the RGBA copy ImGui's OpenGL 3 backend
// makes. The kiosk's atlas (NotoSans at ten sizes, Vietnamese) is 1024x4096: as RGBA that is a
// 16 MB conversion buffer in memory plus a 16 MB texture (Mesa llvmpipe keeps textures in ordinary
// memory) and the time to convert and copy both before the first frame. As GL_R8 swizzled to
// (1, 1, 1, alpha) it is 4 MB, drawn by the backend's unchanged shader with the same result.
// Not the fonts themselves (kiosk/ui/widgets/fonts.h). UI thread, with the window's GL context current,
// after ImGui_ImplOpenGL3_Init and after the atlas is built, before the first frame.
#include "imgui.h"
#include "common/result.h"

namespace kiosk::app {

// Creates the backend's device objects (shader, buffers) without letting it convert io.Fonts to
// RGBA. Once, before the first uploadFontAtlas.
Outcome createRendererObjects();

// Uploads the built `atlas` as GL_R8, sets its texture id, and frees what only a rebuild would
// need: the atlas's pixels and its copies of the font files (ClearTexData, ClearInputData). To
// change the fonts, deleteFontAtlas, build the atlas again from the files, and upload it again.
Outcome uploadFontAtlas(ImFontAtlas& atlas);

// Deletes the texture uploadFontAtlas made (before ImGui_ImplOpenGL3_Shutdown).
void deleteFontAtlas(ImFontAtlas& atlas);

}  // namespace kiosk::app
