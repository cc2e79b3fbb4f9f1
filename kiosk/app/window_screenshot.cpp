#include "kiosk/app/window_screenshot.h"

#include <algorithm>
#include <filesystem>
#include <vector>

#include <GL/gl.h>

#include "stb_image_write.h"

namespace kiosk::app {

Outcome saveBackBufferPng(const std::string& path, int width, int height) {
    if (width <= 0 || height <= 0)
        return makeError("screenshot.size", "Khung hình rỗng.", "The frame is empty.");
    std::vector<unsigned char> pixels(size_t(width) * size_t(height) * 3);
    glReadBuffer(GL_BACK);
    glPixelStorei(GL_PACK_ALIGNMENT, 1);
    glReadPixels(0, 0, width, height, GL_RGB, GL_UNSIGNED_BYTE, pixels.data());
    // GL's rows go bottom-up; PNG's top-down.
    std::vector<unsigned char> flipped(pixels.size());
    const size_t stride = size_t(width) * 3;
    for (int y = 0; y < height; ++y)
        std::copy_n(&pixels[size_t(height - 1 - y) * stride], stride, &flipped[size_t(y) * stride]);
    std::error_code ec;
    const std::filesystem::path parent = std::filesystem::path(path).parent_path();
    if (!parent.empty()) std::filesystem::create_directories(parent, ec);
    if (!stbi_write_png(path.c_str(), width, height, 3, flipped.data(), int(stride)))
        return makeError("screenshot.write", "Không ghi được ảnh " + path + ".",
                         "Cannot write the image " + path + ".");
    return {};
}

}  // namespace kiosk::app
