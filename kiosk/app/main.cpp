// kiosk: the citizens' touchscreen program — a GLFW window (fullscreen, undecorated, impossible for
// a citizen to close), Dear ImGui with the OpenGL 3 renderer, and a loop that renders only when
// something changes: after input, for the idle countdown's ticks, while a list glides, or when the
// sync thread posts an empty event. Everything else is wired here and lives elsewhere: the screens
// in kiosk/ui (KioskUi), the use cases in StoreController, the sync engine behind SyncHook.
// Exit codes: 0 closed by an officer (or the window in --windowed mode); 1 the kiosk could not
// start (no display, no fonts, unreadable assets); 2 bad arguments or no kiosk database yet.
#include <sys/resource.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <memory>

#include <GL/gl.h>
#include <GLFW/glfw3.h>

#include "backends/imgui_impl_glfw.h"
#include "backends/imgui_impl_opengl3.h"
#include "imgui.h"
#include "kiosk/app/app_options.h"
#include "kiosk/app/pointer_queue.h"
#include "kiosk/app/store_controller.h"
#include "kiosk/app/sync_hook.h"
#include "kiosk/app/window_screenshot.h"
#include "kiosk/core/reference_data.h"
#include "kiosk/core/strings.h"
#include "kiosk/store/kiosk_store.h"
#include "kiosk/ui/fonts.h"
#include "kiosk/ui/kiosk_ui.h"

namespace {

using kiosk::Lang;

int fail(Lang lang, const std::string& vi, const std::string& en, int code) {
    std::cerr << "kiosk: " << (lang == Lang::En ? en : vi) << "\n";
    return code;
}

int fail(Lang lang, const kiosk::Error& e, int code) { return fail(lang, e.vi, e.en, code); }

// Before parsing succeeds, the language comes from a bare "--lang en" if there is one.
Lang langFromArgs(const std::vector<std::string>& args) {
    for (size_t i = 0; i + 1 < args.size(); ++i)
        if (args[i] == "--lang" && args[i + 1] == "en") return Lang::En;
    return Lang::Vi;
}

void refuseToClose(GLFWwindow* window) {
    // Kiosk mode: Alt+F4 or a window manager's close does nothing; officers exit from their console.
    glfwSetWindowShouldClose(window, GLFW_FALSE);
}

// Every move and button change, in order, for PointerQueue (see pointer_queue.h).
kiosk::app::PointerQueue g_pointer;

void onCursor(GLFWwindow*, double x, double y) { g_pointer.move(float(x), float(y)); }

void onButton(GLFWwindow*, int button, int action, int) {
    if (button == GLFW_MOUSE_BUTTON_LEFT && action != GLFW_REPEAT) g_pointer.button(action == GLFW_PRESS);
}

void glfwError(int code, const char* description) {
    std::fprintf(stderr, "kiosk: GLFW %d: %s\n", code, description);
}

}  // namespace

int main(int argc, char** argv) {
    // A core dump would put what citizens typed on disk.
    const rlimit noCore{0, 0};
    setrlimit(RLIMIT_CORE, &noCore);

    const std::vector<std::string> args(argv + 1, argv + argc);
    Lang lang = langFromArgs(args);
    auto parsed = kiosk::app::parseArguments(args);
    if (!parsed) return fail(lang, parsed.error(), 2);
    kiosk::app::AppOptions options = parsed.value();
    if (options.help) {
        std::cout << kiosk::app::usage(lang);
        return 0;
    }
    if (auto read = kiosk::app::readConfigFile(options.configPath, options.configRequired, options); !read)
        return fail(lang, read.error(), 2);
    lang = options.lang.value_or(Lang::Vi);

    std::error_code ec;
    if (!std::filesystem::is_regular_file(options.dbPath, ec))
        return fail(lang,
                    "Máy chưa được cài đặt: không có cơ sở dữ liệu " + options.dbPath +
                        ". Cán bộ kỹ thuật chạy: kioskctl --db " + options.dbPath + " init --commune MÃ_XÃ",
                    "This kiosk is not set up: there is no database at " + options.dbPath +
                        ". A technician runs: kioskctl --db " + options.dbPath + " init --commune CODE",
                    2);
    auto opened = kiosk::store::KioskStore::open(options.dbPath, false);
    if (!opened) return fail(lang, opened.error(), 2);
    kiosk::store::KioskStore& store = **opened;
    if (!store.initialized())
        return fail(lang, "Máy chưa được cài đặt: chạy kioskctl init --commune MÃ_XÃ trước.",
                    "This kiosk is not set up: run kioskctl init --commune CODE first.", 2);
    auto config = store.config();
    if (!config) return fail(lang, config.error(), 1);

    auto strings = kiosk::Strings::load(kiosk::assetsDir() / "strings.tsv");
    if (!strings) return fail(lang, strings.error(), 1);
    auto fontFiles = kiosk::ui::findFontFiles();
    if (!fontFiles) return fail(lang, fontFiles.error(), 1);

    glfwSetErrorCallback(glfwError);
    if (!glfwInit())
        return fail(lang, "Không mở được màn hình (kiểm tra DISPLAY).", "Cannot open the display (check DISPLAY).", 1);
    glfwWindowHint(GLFW_CONTEXT_VERSION_MAJOR, 3);
    glfwWindowHint(GLFW_CONTEXT_VERSION_MINOR, 3);
    glfwWindowHint(GLFW_OPENGL_PROFILE, GLFW_OPENGL_CORE_PROFILE);
    glfwWindowHint(GLFW_OPENGL_FORWARD_COMPAT, GLFW_TRUE);
    GLFWmonitor* monitor = nullptr;
    int width = options.width ? options.width : 1280;
    int height = options.height ? options.height : 720;
    if (!options.windowed) {
        glfwWindowHint(GLFW_DECORATED, GLFW_FALSE);
        glfwWindowHint(GLFW_AUTO_ICONIFY, GLFW_FALSE);
        monitor = glfwGetPrimaryMonitor();
        if (const GLFWvidmode* mode = monitor ? glfwGetVideoMode(monitor) : nullptr; mode && !options.width) {
            width = mode->width;
            height = mode->height;
        }
    }
    GLFWwindow* window = glfwCreateWindow(width, height, "Ki-ốt dịch vụ công", monitor, nullptr);
    if (!window) {
        glfwTerminate();
        return fail(lang, "Không tạo được cửa sổ OpenGL 3.3.", "Cannot create an OpenGL 3.3 window.", 1);
    }
    if (!options.windowed) {
        glfwSetWindowCloseCallback(window, refuseToClose);
        glfwSetInputMode(window, GLFW_CURSOR, GLFW_CURSOR_HIDDEN);  // a touchscreen has no pointer
    }
    glfwMakeContextCurrent(window);
    glfwSwapInterval(1);

    IMGUI_CHECKVERSION();
    ImGui::CreateContext();
    ImGuiIO& io = ImGui::GetIO();
    io.IniFilename = nullptr;
    glfwGetWindowSize(window, &width, &height);
    const float scale = kiosk::ui::scaleForDisplay(float(width), float(height));
    auto fonts = kiosk::ui::loadFonts(*io.Fonts, *fontFiles, scale, kiosk::ui::textsToDraw(*strings, store.reference()));
    if (!fonts) return fail(lang, fonts.error(), 1);
    // Ours first: ImGui's backend calls the callbacks it finds installed before its own.
    glfwSetCursorPosCallback(window, onCursor);
    glfwSetMouseButtonCallback(window, onButton);
    {
        double x = 0, y = 0;
        glfwGetCursorPos(window, &x, &y);
        g_pointer.move(float(x), float(y));
    }
    ImGui_ImplGlfw_InitForOpenGL(window, true);
    ImGui_ImplOpenGL3_Init("#version 330 core");

    kiosk::app::StoreController controller(store, options.input);
    // The sync hook: the engine runs on its own thread and connection and wakes this loop.
    auto sync = std::make_unique<kiosk::app::SyncHook>(options.dbPath, !config->serverUrl.empty(),
                                                      [] { glfwPostEmptyEvent(); });
    sync->attach(controller, store);

    kiosk::ui::UiOptions uiOptions;
    uiOptions.idleSeconds = options.idleSeconds;
    uiOptions.countdownSeconds = options.countdownSeconds;
    uiOptions.defaultLanguage = lang;
    kiosk::ui::KioskUi ui(controller, *strings, *fonts, uiOptions);
    ui.configureImGui(io, ImGui::GetStyle());

    const auto start = std::chrono::steady_clock::now();
    auto clock = [&] { return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count(); };
    int settle = 3;           // frames still to draw before sleeping: ImGui needs a few to settle input
    int frames = 0;
    bool screenshotDone = options.screenshotPath.empty();
    int exitCode = 0;
    while (!glfwWindowShouldClose(window) && !controller.exitRequested()) {
        if (settle > 0) {
            glfwPollEvents();
            --settle;
        } else {
            const double wait = ui.secondsUntilNextFrame(clock());
            if (wait <= 0) {
                glfwWaitEventsTimeout(1.0 / 60);  // something moves: about 60 frames a second
            } else {
                glfwWaitEventsTimeout(std::min(wait, 3600.0));
                settle = 2;
            }
        }
        ImGui_ImplOpenGL3_NewFrame();
        ImGui_ImplGlfw_NewFrame();
        // After the backend's polling: one button change per frame, where it happened.
        if (g_pointer.apply(io)) settle = std::max(settle, 2);
        ImGui::NewFrame();
        ui.frame(clock());
        ImGui::Render();
        int fbWidth = 0;
        int fbHeight = 0;
        glfwGetFramebufferSize(window, &fbWidth, &fbHeight);
        glViewport(0, 0, fbWidth, fbHeight);
        glClearColor(0.98f, 0.98f, 0.965f, 1.0f);
        glClear(GL_COLOR_BUFFER_BIT);
        ImGui_ImplOpenGL3_RenderDrawData(ImGui::GetDrawData());
        if (!screenshotDone && ++frames >= 3) {
            // The third frame: windows and fonts have settled.
            screenshotDone = true;
            if (auto saved = kiosk::app::saveBackBufferPng(options.screenshotPath, fbWidth, fbHeight); !saved) {
                fail(lang, saved.error(), 1);
                exitCode = 1;
            }
            if (options.exitAfterScreenshot) break;
        }
        glfwSwapBuffers(window);
    }

    // The engine's callback posts GLFW events: stop it while GLFW is still there.
    controller.setConnectivitySource(nullptr);
    controller.setSyncRequest(nullptr);
    sync.reset();
    ImGui_ImplOpenGL3_Shutdown();
    ImGui_ImplGlfw_Shutdown();
    ImGui::DestroyContext();
    glfwDestroyWindow(window);
    glfwTerminate();
    return exitCode;
}
