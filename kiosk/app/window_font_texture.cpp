#include "kiosk/app/window_font_texture.h"

#include <cstdint>

#include <GL/gl.h>
#include <GL/glext.h>

#include "backends/imgui_impl_opengl3.h"

namespace kiosk::app {

Outcome createRendererObjects() {
    // The backend makes its shader and buffers together with a font texture from io.Fonts, always
    // as RGBA. Let it do that from a stub atlas (ImGui's 13 px default font, a few kilobytes), then
    // drop that texture: the shader and buffers stay, and the NewFrame of the backend sees them
    // made and does not touch the fonts again.
    ImGuiIO& io = ImGui::GetIO();
    ImFontAtlas* const real = io.Fonts;
    ImFontAtlas stub;
    io.Fonts = &stub;
    const bool made = ImGui_ImplOpenGL3_CreateDeviceObjects();
    ImGui_ImplOpenGL3_DestroyFontsTexture();
    io.Fonts = real;
    if (!made)
        return makeError("gl.device", "Không tạo được bộ vẽ OpenGL.",
                         "Could not create the OpenGL renderer objects.");
    return {};
}

Outcome uploadFontAtlas(ImFontAtlas& atlas) {
    unsigned char* pixels = nullptr;
    int width = 0;
    int height = 0;
    atlas.GetTexDataAsAlpha8(&pixels, &width, &height);
    if (!pixels || width <= 0 || height <= 0)
        return makeError("fonts.texture", "Không dựng được bảng chữ.", "Could not build the font atlas.");

    while (glGetError() != GL_NO_ERROR) {}  // earlier errors are not this upload's
    GLint previous = 0;
    glGetIntegerv(GL_TEXTURE_BINDING_2D, &previous);
    GLuint texture = 0;
    glGenTextures(1, &texture);
    glBindTexture(GL_TEXTURE_2D, texture);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MIN_FILTER, GL_LINEAR);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MAG_FILTER, GL_LINEAR);
    // The shader multiplies the vertex colour by the texel: white with the glyph's coverage as
    // alpha, exactly what the RGBA texture held.
    const GLint swizzle[4] = {GL_ONE, GL_ONE, GL_ONE, GL_RED};
    glTexParameteriv(GL_TEXTURE_2D, GL_TEXTURE_SWIZZLE_RGBA, swizzle);
    glPixelStorei(GL_UNPACK_ROW_LENGTH, 0);
    glPixelStorei(GL_UNPACK_ALIGNMENT, 1);
    glTexImage2D(GL_TEXTURE_2D, 0, GL_R8, width, height, 0, GL_RED, GL_UNSIGNED_BYTE, pixels);
    glBindTexture(GL_TEXTURE_2D, GLuint(previous));
    if (glGetError() != GL_NO_ERROR) {
        glDeleteTextures(1, &texture);
        return makeError("gl.texture", "Không nạp được bảng chữ vào OpenGL.",
                         "Could not upload the font atlas to OpenGL.");
    }
    atlas.SetTexID(reinterpret_cast<ImTextureID>(intptr_t(texture)));
    // The texture is now the only copy the program needs: the pixels (4 MB) and the font files the
    // atlas copied once per size (21 copies, about 11 MB) go. Both calls leave the atlas built
    // (TexReady); only a rebuild would need them, and the kiosk never rebuilds its fonts.
    atlas.ClearTexData();
    atlas.ClearInputData();
    return {};
}

void deleteFontAtlas(ImFontAtlas& atlas) {
    const GLuint texture = GLuint(reinterpret_cast<intptr_t>(atlas.TexID));
    if (texture) glDeleteTextures(1, &texture);
    atlas.SetTexID(ImTextureID(nullptr));
}

}  // namespace kiosk::app
