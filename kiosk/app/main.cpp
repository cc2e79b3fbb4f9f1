// kiosk: the citizens' touchscreen program — a GLFW window (fullscreen, undecorated, impossible for
// a citizen to close), Dear ImGui with the OpenGL 3 renderer, and a loop that renders only when
// something changes: after input, for the idle countdown's ticks, while a list glides, or when the
// sync thread posts an empty event. Everything else is wired here and lives elsewhere: the screens
// in kiosk/ui (KioskUi), the use cases in StoreController, the sync engine behind SyncHook.
// Measurement hooks for bench/kiosk.cpp (environment variables, so the command line stays the
// product's; listed in --help and README): KIOSK_BENCH_FRAMES=FILE, KIOSK_BENCH_OFFICER=ID:PIN,
// KIOSK_BENCH_SCROLL=N — see BenchHooks below. Without them nothing changes.
// Exit codes: 0 closed by an officer (or the window in --windowed mode); 1 the kiosk could not
// start (no display, no fonts, unreadable assets); 2 bad arguments or no kiosk database yet.
#include <malloc.h>
#include <sys/resource.h>
#include <time.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
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
#include "kiosk/service/store_controller.h"
#include "kiosk/app/sync_hook.h"
#include "kiosk/app/window_font_texture.h"
#include "kiosk/app/window_screenshot.h"
#include "core/reference_data.h"
#include "core/strings.h"
#include "kiosk/store/kiosk_store.h"
#include "kiosk/ui/widgets/fonts.h"
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

// Benchmark hooks (bench/kiosk.cpp), all off unless their environment variable is set:
//  KIOSK_BENCH_FRAMES=FILE  append "first_frame_ns <CLOCK_MONOTONIC ns>" once the first frame is
//                           swapped, then "frame <ui_cpu_ms> <frame_ms>" per frame: ui_cpu is this
//                           thread's CPU time from ImGui::NewFrame to ImGui::Render (no GL), frame is
//                           the wall time from the start of the loop iteration to after the swap.
//  KIOSK_BENCH_OFFICER=ID:PIN  log that officer in at start and open the console (the queue).
//  KIOSK_BENCH_SCROLL=N     draw N frames back to back while a synthetic finger drags the screen
//                           upwards (press, 30 moves of 20 px, release, 9 frames of glide), then exit 0.
// Nothing a citizen typed goes to FILE: only clock readings.
struct BenchHooks {
    FILE* frames = nullptr;
    std::string officer;
    int scrollFrames = 0;
    int drawn = 0;

    static BenchHooks fromEnvironment() {
        BenchHooks h;
        if (const char* f = std::getenv("KIOSK_BENCH_FRAMES"); f && *f) h.frames = std::fopen(f, "a");
        if (const char* o = std::getenv("KIOSK_BENCH_OFFICER"); o && *o) h.officer = o;
        if (const char* n = std::getenv("KIOSK_BENCH_SCROLL"); n && *n)
            h.scrollFrames = std::max(0, std::atoi(n));
        return h;
    }
    static double cpuMs() {
        timespec t{};
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
        return double(t.tv_sec) * 1e3 + double(t.tv_nsec) / 1e6;
    }
    // The synthetic finger for this frame, fed through the same queue as real pointer events.
    void drag(kiosk::app::PointerQueue& pointer, float width, float height) const {
        const int step = drawn % 40;
        const float x = width * 0.5f;
        const float y = height * 0.85f - float(std::min(step, 30)) * 20.0f;
        if (step == 0) {
            pointer.move(x, y);
            pointer.button(true);
        } else if (step <= 30) {
            pointer.move(x, y);
        } else if (step == 31) {
            pointer.button(false);
        }
    }
    // After each swap; true when the scroll run is over.
    bool frameDone(double uiCpuMs, double frameMs) {
        if (frames) {
            if (drawn == 0) {
                timespec t{};
                clock_gettime(CLOCK_MONOTONIC, &t);
                std::fprintf(frames, "first_frame_ns %lld\n", (long long)t.tv_sec * 1000000000LL + t.tv_nsec);
            }
            std::fprintf(frames, "frame %.4f %.4f\n", uiCpuMs, frameMs);
            std::fflush(frames);
        }
        ++drawn;
        return scrollFrames > 0 && drawn >= scrollFrames;
    }
};

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
        std::cout
            << kiosk::app::usage(lang)
            << (lang == Lang::En
                    ? "Measurement (bench/kiosk.cpp): KIOSK_BENCH_FRAMES=FILE (first-frame time and "
                      "per-frame "
                      "timings), KIOSK_BENCH_OFFICER=ID:PIN (open the officer queue), KIOSK_BENCH_SCROLL=N "
                      "(draw N frames dragging the list, then exit).\n"
                    : "Đo hiệu năng (bench/kiosk.cpp): KIOSK_BENCH_FRAMES=TỆP (thời điểm khung hình đầu và "
                      "thời gian từng khung), KIOSK_BENCH_OFFICER=MÃ:PIN (mở hàng đợi của cán bộ), "
                      "KIOSK_BENCH_SCROLL=N (vẽ N khung hình kéo danh sách rồi thoát).\n");
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
        return fail(lang, "Không mở được màn hình (kiểm tra DISPLAY).",
                    "Cannot open the display (check DISPLAY).", 1);
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
    // The large-text family waits for the first use of the switch (below, between frames).
    auto fonts = kiosk::ui::loadFonts(*io.Fonts, *fontFiles, scale,
                                      kiosk::ui::textsToDraw(*strings, store.reference()), false);
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
    if (auto made = kiosk::app::createRendererObjects(); !made) return fail(lang, made.error(), 1);
    if (auto uploaded = kiosk::app::uploadFontAtlas(*io.Fonts); !uploaded)
        return fail(lang, uploaded.error(), 1);

    kiosk::app::StoreController controller(store, options.input);
    // The sync hook: the engine runs on its own thread and connection and wakes this loop. It
    // starts once the first frame is on screen: its start (a second connection, libcurl and TLS
    // set-up, a count of the outbox) would otherwise compete with the window for a 2-core CPU.
    // Until then the controller reads the sync state the store records.
    std::unique_ptr<kiosk::app::SyncHook> sync;
    auto startSync = [&] {
        sync = std::make_unique<kiosk::app::SyncHook>(options.dbPath, !config->serverUrl.empty(),
                                                      [] { glfwPostEmptyEvent(); });
        sync->attach(controller, store);
    };

    kiosk::ui::UiOptions uiOptions;
    uiOptions.idleSeconds = options.idleSeconds;
    uiOptions.countdownSeconds = options.countdownSeconds;
    uiOptions.defaultLanguage = lang;
    kiosk::ui::KioskUi ui(controller, *strings, *fonts, uiOptions);
    ui.configureImGui(io, ImGui::GetStyle());

    BenchHooks bench = BenchHooks::fromEnvironment();
    if (!bench.officer.empty()) {
        const size_t colon = bench.officer.find(':');
        auto session =
            controller.officerLogin(bench.officer.substr(0, colon),
                                    colon == std::string::npos ? "" : bench.officer.substr(colon + 1));
        if (!session) return fail(lang, session.error(), 1);
        ui.setOfficer(session.value());
        ui.go(kiosk::ui::ScreenId::Officer);
    }

    const auto start = std::chrono::steady_clock::now();
    auto clock = [&] {
        return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    };
    int settle = 3;  // frames still to draw before sleeping: ImGui needs a few to settle input
    int frames = 0;
    bool screenshotDone = options.screenshotPath.empty();
    bool drawnSinceTrim = true;  // frames drawn since the last malloc_trim
    int exitCode = 0;
    while (!glfwWindowShouldClose(window) && !controller.exitRequested()) {
        auto frameStart = std::chrono::steady_clock::now();
        if (bench.scrollFrames > 0) {
            glfwPollEvents();  // back to back: the scroll run measures whole frames
            bench.drag(g_pointer, float(width), float(height));
        } else if (settle > 0) {
            glfwPollEvents();
            --settle;
        } else {
            const double wait = ui.secondsUntilNextFrame(clock());
            if (wait <= 0) {
                glfwWaitEventsTimeout(1.0 / 60);  // something moves: about 60 frames a second
            } else {
                if (drawnSinceTrim) {
                    // Nothing to draw until the next touch: give back to the system what the last
                    // burst of work freed (a queue reloaded, a screen's strings, start-up's font
                    // building). glibc keeps freed pages otherwise; this walks the free lists once.
                    malloc_trim(0);
                    drawnSinceTrim = false;
                }
                glfwWaitEventsTimeout(std::min(wait, 3600.0));
                settle = 2;
            }
        }
        if (bench.scrollFrames == 0) frameStart = std::chrono::steady_clock::now();  // not the sleep
        if (ui.context().largeText && !fonts->largeBuilt) {
            // The large-text switch was touched for the first time: build both families (the
            // frame that showed the switch drew with the normal fonts), outside any ImGui frame.
            kiosk::app::deleteFontAtlas(*io.Fonts);
            auto both = kiosk::ui::loadFonts(*io.Fonts, *fontFiles, scale,
                                             kiosk::ui::textsToDraw(*strings, store.reference()), true);
            if (!both) return fail(lang, both.error(), 1);
            *fonts = std::move(*both);
            io.FontDefault = fonts->normal.body;
            if (auto uploaded = kiosk::app::uploadFontAtlas(*io.Fonts); !uploaded)
                return fail(lang, uploaded.error(), 1);
            settle = std::max(settle, 2);
        }
        ImGui_ImplOpenGL3_NewFrame();
        ImGui_ImplGlfw_NewFrame();
        // After the backend's polling: one button change per frame, where it happened.
        if (g_pointer.apply(io)) settle = std::max(settle, 2);
        const double uiCpuStart = BenchHooks::cpuMs();
        ImGui::NewFrame();
        ui.frame(clock());
        ImGui::Render();
        const double uiCpuMs = BenchHooks::cpuMs() - uiCpuStart;
        int fbWidth = 0;
        int fbHeight = 0;
        glfwGetFramebufferSize(window, &fbWidth, &fbHeight);
        glViewport(0, 0, fbWidth, fbHeight);
        const ImVec4 background = ui.backgroundColor();
        glClearColor(background.x, background.y, background.z, 1.0f);
        glClear(GL_COLOR_BUFFER_BIT);
        ImGui_ImplOpenGL3_RenderDrawData(ImGui::GetDrawData());
        if (!screenshotDone && ++frames >= 3) {
            // The third frame: windows and fonts have settled.
            screenshotDone = true;
            if (auto saved = kiosk::app::saveBackBufferPng(options.screenshotPath, fbWidth, fbHeight);
                !saved) {
                fail(lang, saved.error(), 1);
                exitCode = 1;
            }
            if (options.exitAfterScreenshot) break;
        }
        glfwSwapBuffers(window);
        drawnSinceTrim = true;
        if (!sync) startSync();
        if (bench.frameDone(uiCpuMs, std::chrono::duration<double, std::milli>(
                                         std::chrono::steady_clock::now() - frameStart)
                                         .count()))
            break;
    }
    if (bench.frames) std::fclose(bench.frames);

    // The engine's callback posts GLFW events: stop it while GLFW is still there.
    controller.setConnectivitySource(nullptr);
    controller.setSyncRequest(nullptr);
    sync.reset();
    kiosk::app::deleteFontAtlas(*io.Fonts);
    ImGui_ImplOpenGL3_Shutdown();
    ImGui_ImplGlfw_Shutdown();
    ImGui::DestroyContext();
    glfwDestroyWindow(window);
    glfwTerminate();
    return exitCode;
}
