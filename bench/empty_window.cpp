// bench_empty_window: the floor of every kiosk.* metric — a bare GLFW + OpenGL 3.3 + Dear ImGui
// 1.86 program (Debian's libimgui with its GLFW and OpenGL 3 backends) that draws nothing but an
// empty full-screen ImGui window, in the loop of ImGui's own GLFW example (poll events, new frame,
// render, swap; swap interval 1). bench_kiosk runs it beside the kiosk with the same measurement
// hooks, under the same Xvfb, so the ratios compare like with like. Links none of the product.
//
//   bench_empty_window [--windowed WxH]
// Environment, as the kiosk's (kiosk/app/main.cpp): BENCH_FRAMES=FILE appends
// "first_frame_ns <CLOCK_MONOTONIC ns>" after the first swap and "frame <ui_cpu_ms> <frame_ms>" per
// frame; BENCH_SCROLL=N draws N frames, then exits. Without BENCH_SCROLL it runs until killed.
#include <time.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>

#include <GL/gl.h>
#include <GLFW/glfw3.h>

#include "backends/imgui_impl_glfw.h"
#include "backends/imgui_impl_opengl3.h"
#include "imgui.h"

namespace {

double threadCpuMs() {
    timespec t{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
    return double(t.tv_sec) * 1e3 + double(t.tv_nsec) / 1e6;
}

}  // namespace

int main(int argc, char** argv) {
    int width = 0, height = 0;
    for (int i = 1; i + 1 < argc; ++i)
        if (std::string(argv[i]) == "--windowed") std::sscanf(argv[i + 1], "%dx%d", &width, &height);
    FILE* frames = nullptr;
    if (const char* f = std::getenv("BENCH_FRAMES"); f && *f) frames = std::fopen(f, "a");
    int scroll = 0;
    if (const char* n = std::getenv("BENCH_SCROLL"); n && *n) scroll = std::atoi(n);

    if (!glfwInit()) {
        std::fprintf(stderr, "bench_empty_window: no display\n");
        return 1;
    }
    glfwWindowHint(GLFW_CONTEXT_VERSION_MAJOR, 3);
    glfwWindowHint(GLFW_CONTEXT_VERSION_MINOR, 3);
    glfwWindowHint(GLFW_OPENGL_PROFILE, GLFW_OPENGL_CORE_PROFILE);
    glfwWindowHint(GLFW_OPENGL_FORWARD_COMPAT, GLFW_TRUE);
    GLFWmonitor* monitor = nullptr;
    if (!width) {
        // Full screen at the display's resolution, as the kiosk opens by default.
        glfwWindowHint(GLFW_DECORATED, GLFW_FALSE);
        glfwWindowHint(GLFW_AUTO_ICONIFY, GLFW_FALSE);
        monitor = glfwGetPrimaryMonitor();
        const GLFWvidmode* mode = monitor ? glfwGetVideoMode(monitor) : nullptr;
        width = mode ? mode->width : 1920;
        height = mode ? mode->height : 1080;
    }
    GLFWwindow* window = glfwCreateWindow(width, height, "empty", monitor, nullptr);
    if (!window) return 1;
    glfwMakeContextCurrent(window);
    glfwSwapInterval(1);
    ImGui::CreateContext();
    ImGui::GetIO().IniFilename = nullptr;
    ImGui_ImplGlfw_InitForOpenGL(window, true);
    ImGui_ImplOpenGL3_Init("#version 330 core");

    int drawn = 0;
    while (!glfwWindowShouldClose(window)) {
        const auto start = std::chrono::steady_clock::now();
        glfwPollEvents();
        ImGui_ImplOpenGL3_NewFrame();
        ImGui_ImplGlfw_NewFrame();
        const double cpu0 = threadCpuMs();
        ImGui::NewFrame();
        const ImGuiViewport* viewport = ImGui::GetMainViewport();
        ImGui::SetNextWindowPos(viewport->Pos);
        ImGui::SetNextWindowSize(viewport->Size);
        ImGui::Begin("empty", nullptr, ImGuiWindowFlags_NoDecoration);
        ImGui::End();
        ImGui::Render();
        const double uiCpu = threadCpuMs() - cpu0;
        int fbWidth = 0, fbHeight = 0;
        glfwGetFramebufferSize(window, &fbWidth, &fbHeight);
        glViewport(0, 0, fbWidth, fbHeight);
        glClearColor(0.98f, 0.98f, 0.965f, 1.0f);
        glClear(GL_COLOR_BUFFER_BIT);
        ImGui_ImplOpenGL3_RenderDrawData(ImGui::GetDrawData());
        glfwSwapBuffers(window);
        if (frames) {
            if (drawn == 0) {
                timespec t{};
                clock_gettime(CLOCK_MONOTONIC, &t);
                std::fprintf(frames, "first_frame_ns %lld\n", (long long)t.tv_sec * 1000000000LL + t.tv_nsec);
            }
            std::fprintf(
                frames, "frame %.4f %.4f\n", uiCpu,
                std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count());
            std::fflush(frames);
        }
        if (++drawn == scroll) break;
    }
    if (frames) std::fclose(frames);
    ImGui_ImplOpenGL3_Shutdown();
    ImGui_ImplGlfw_Shutdown();
    ImGui::DestroyContext();
    glfwDestroyWindow(window);
    glfwTerminate();
    return 0;
}
