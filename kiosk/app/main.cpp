// kiosk: the citizens' touchscreen program — a GLFW window (fullscreen, undecorated, impossible for
// a citizen to close), Dear ImGui with the OpenGL 3 renderer, and a loop that renders only when
// something changes: after input, for the idle countdown's ticks, while a list glides, or when the
// sync thread posts an empty event. Everything else is wired here and lives elsewhere: the screens
// in kiosk/ui (KioskUi), the use cases in StoreController, the sync engine behind SyncHook.
// Measurement hooks for bench/kiosk.cpp: kiosk/app/bench_hooks.h. Without them nothing changes.
// Exit codes: 0 closed by an officer (or the window in --windowed mode); 1 the kiosk could not
// start (no display, no fonts, unreadable assets); 2 bad arguments or no kiosk database yet.
#include <malloc.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <functional>
#include <iostream>
#include <memory>
#include <optional>
#include <variant>

#include <GL/gl.h>
#include <GLFW/glfw3.h>

#include "backends/imgui_impl_glfw.h"
#include "backends/imgui_impl_opengl3.h"
#include "common/args.h"
#include "common/process.h"
#include "core/deployment_words.h"
#include "core/reference_data.h"
#include "core/strings.h"
#include "imgui.h"
#include "kiosk/app/app_options.h"
#include "kiosk/app/bench_hooks.h"
#include "kiosk/app/pointer_queue.h"
#include "kiosk/app/print_hook.h"
#include "kiosk/app/sync_hook.h"
#include "kiosk/app/window_font_texture.h"
#include "kiosk/app/window_screenshot.h"
#include "kiosk/service/store_controller.h"
#include "kiosk/store/kiosk_store.h"
#include "kiosk/ui/kiosk_ui.h"
#include "kiosk/voice/speaker.h"
#include "kiosk/ui/widgets/fonts.h"

namespace {

using kiosk::Lang;
using kiosk::common::kBadInput;
using kiosk::common::kInternal;
using kiosk::common::kOk;

int fail(Lang lang, const std::string& vi, const std::string& en, int code) {
    std::cerr << "kiosk: " << (lang == Lang::En ? en : vi) << "\n";
    return code;
}

int fail(Lang lang, const kiosk::Error& e, int code) { return fail(lang, e.vi, e.en, code); }

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

// The command line and the settings file; an exit code when the program stops here (--help, or
// refused). lang is the language of the messages, then the kiosk's.
std::variant<int, kiosk::app::AppOptions> readOptions(int argc, char** argv, Lang& lang) {
    lang = kiosk::common::languageFromCommandLine(argc, argv);
    auto parsed = kiosk::app::parseArguments(std::vector<std::string>(argv + 1, argv + argc));
    if (!parsed) return fail(lang, parsed.error(), kBadInput);
    kiosk::app::AppOptions options = parsed.value();
    if (options.help) {
        std::cout << kiosk::app::usage(lang) << kiosk::app::BenchHooks::help(lang);
        return kOk;
    }
    if (auto read = kiosk::app::readConfigFile(options.configPath, options.configRequired, options); !read)
        return fail(lang, read.error(), kBadInput);
    lang = options.lang.value_or(Lang::Vi);
    return options;
}

// The kiosk's database, set up by kioskctl init; an exit code when it is not there.
std::variant<int, std::unique_ptr<kiosk::store::KioskStore>> openDatabase(const std::string& path,
                                                                          Lang lang) {
    std::error_code ec;
    if (!std::filesystem::is_regular_file(path, ec))
        return fail(lang,
                    "Máy chưa được cài đặt: không có cơ sở dữ liệu " + path +
                        ". Cán bộ kỹ thuật chạy: kioskctl --db " + path + " init --commune MÃ_XÃ",
                    "This kiosk is not set up: there is no database at " + path +
                        ". A technician runs: kioskctl --db " + path + " init --commune CODE",
                    kBadInput);
    auto opened = kiosk::store::KioskStore::open(path, false);
    if (!opened) return fail(lang, opened.error(), kBadInput);
    if (!(*opened)->initialized())
        return fail(lang, "Máy chưa được cài đặt: chạy kioskctl init --commune MÃ_XÃ trước.",
                    "This kiosk is not set up: run kioskctl init --commune CODE first.", kBadInput);
    return std::move(*opened);
}

// A fullscreen, undecorated window citizens cannot close (or a normal one with --windowed), with
// an OpenGL 3.3 context; nullptr when there is none (GLFW is terminated then).
GLFWwindow* openWindow(const kiosk::app::AppOptions& options) {
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
        return nullptr;
    }
    if (!options.windowed) {
        glfwSetWindowCloseCallback(window, refuseToClose);
        glfwSetInputMode(window, GLFW_CURSOR, GLFW_CURSOR_HIDDEN);  // a touchscreen has no pointer
    }
    glfwMakeContextCurrent(window);
    glfwSwapInterval(1);
    return window;
}

// The window's loop and what it draws with. Rendering happens only when something changes.
struct Loop {
    GLFWwindow* window;
    const kiosk::app::AppOptions& options;
    Lang lang;
    kiosk::store::KioskStore& store;
    const kiosk::Strings& strings;
    const kiosk::ui::FontFiles& fontFiles;
    kiosk::ui::Fonts& fonts;
    float scale;
    kiosk::app::StoreController& controller;
    kiosk::ui::KioskUi& ui;
    kiosk::app::BenchHooks& bench;
    std::function<void()> startSync;  // once the first frame is on screen

    std::chrono::steady_clock::time_point start = std::chrono::steady_clock::now();
    int settle = 3;  // frames still to draw before sleeping: ImGui needs a few to settle input
    int frames = 0;
    bool screenshotDone = options.screenshotPath.empty();
    bool drawnSinceTrim = true;  // frames drawn since the last malloc_trim
    bool syncStarted = false;
    int exitCode = kOk;

    double clock() const {
        return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    }
    // Sleeps until the next frame is due (a touch, a tick, the sync thread).
    void wait(int width, int height);
    // The large-text switch was touched for the first time: build both families (the frame that
    // showed the switch drew with the normal fonts), outside any ImGui frame.
    std::optional<int> buildLargeFonts();
    // One frame: false when the loop ends (screenshot taken with --exit-after-screenshot, or the
    // scroll benchmark is over).
    bool frame(int width, int height);
    int run();
};

void Loop::wait(int width, int height) {
    if (bench.scrolling()) {
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
            bench.idle(g_pointer.buttonsApplied());
            glfwWaitEventsTimeout(std::min(wait, 3600.0));
            settle = 2;
        }
    }
}

std::optional<int> Loop::buildLargeFonts() {
    ImGuiIO& io = ImGui::GetIO();
    kiosk::app::deleteFontAtlas(*io.Fonts);
    auto both = kiosk::ui::loadFonts(*io.Fonts, fontFiles, scale,
                                     kiosk::ui::textsToDraw(strings, store.reference()), true);
    if (!both) return fail(lang, both.error(), kInternal);
    fonts = std::move(*both);
    io.FontDefault = fonts.normal.body;
    if (auto uploaded = kiosk::app::uploadFontAtlas(*io.Fonts); !uploaded)
        return fail(lang, uploaded.error(), kInternal);
    settle = std::max(settle, 2);
    return std::nullopt;
}

bool Loop::frame(int width, int height) {
    auto frameStart = std::chrono::steady_clock::now();
    wait(width, height);
    if (!bench.scrolling()) frameStart = std::chrono::steady_clock::now();  // not the sleep
    ImGuiIO& io = ImGui::GetIO();
    if (ui.context().largeText && !fonts.largeBuilt) {
        if (auto failed = buildLargeFonts()) {
            exitCode = *failed;
            return false;
        }
    }
    ImGui_ImplOpenGL3_NewFrame();
    ImGui_ImplGlfw_NewFrame();
    // After the backend's polling: one button change per frame, where it happened.
    if (g_pointer.apply(io)) settle = std::max(settle, 2);
    const double uiCpuStart = kiosk::app::BenchHooks::cpuMs();
    ImGui::NewFrame();
    ui.frame(clock());
    ImGui::Render();
    const double uiCpuMs = kiosk::app::BenchHooks::cpuMs() - uiCpuStart;
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
        if (auto saved = kiosk::app::saveBackBufferPng(options.screenshotPath, fbWidth, fbHeight); !saved) {
            fail(lang, saved.error(), kInternal);
            exitCode = kInternal;
        }
        if (options.exitAfterScreenshot) return false;
    }
    glfwSwapBuffers(window);
    drawnSinceTrim = true;
    if (!syncStarted) {
        startSync();
        syncStarted = true;
    }
    const double frameMs =
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - frameStart).count();
    return !bench.frameDone(uiCpuMs, frameMs, g_pointer.buttonsApplied());
}

int Loop::run() {
    int width = 0;
    int height = 0;
    glfwGetWindowSize(window, &width, &height);
    while (!glfwWindowShouldClose(window) && !controller.exitRequested())
        if (!frame(width, height)) break;
    return exitCode;
}

// ImGui on the window, the fonts uploaded, the UI and the sync hook wired, then the loop.
int runWindow(GLFWwindow* window, const kiosk::app::AppOptions& options, Lang lang,
              kiosk::store::KioskStore& store, const kiosk::store::KioskConfig& config,
              const kiosk::Strings& strings, const kiosk::ui::FontFiles& fontFiles) {
    ImGuiIO& io = ImGui::GetIO();
    int width = 0;
    int height = 0;
    glfwGetWindowSize(window, &width, &height);
    const float scale = kiosk::ui::scaleForDisplay(float(width), float(height));
    // The large-text family waits for the first use of the switch (Loop::buildLargeFonts).
    auto fonts = kiosk::ui::loadFonts(*io.Fonts, fontFiles, scale,
                                      kiosk::ui::textsToDraw(strings, store.reference()), false);
    if (!fonts) return fail(lang, fonts.error(), kInternal);
    // Ours first: ImGui's backend calls the callbacks it finds installed before its own.
    glfwSetCursorPosCallback(window, onCursor);
    glfwSetMouseButtonCallback(window, onButton);
    double x = 0, y = 0;
    glfwGetCursorPos(window, &x, &y);
    g_pointer.move(float(x), float(y));
    ImGui_ImplGlfw_InitForOpenGL(window, true);
    ImGui_ImplOpenGL3_Init("#version 330 core");
    if (auto made = kiosk::app::createRendererObjects(); !made) return fail(lang, made.error(), kInternal);
    if (auto uploaded = kiosk::app::uploadFontAtlas(*io.Fonts); !uploaded)
        return fail(lang, uploaded.error(), kInternal);

    kiosk::app::StoreController controller(store, options.input);
    // Papers print on their own thread: a slow or absent printer never holds a frame.
    auto printer = kiosk::app::startPrintQueue(options.dbPath, strings, [] { glfwPostEmptyEvent(); });
    controller.setPrintQueue(printer.get());
    // The sync hook: the engine runs on its own thread and connection and wakes this loop. It
    // starts once the first frame is on screen: its start (a second connection, libcurl and TLS
    // set-up, a count of the outbox) would otherwise compete with the window for a 2-core CPU.
    // Until then the controller reads the sync state the store records.
    std::unique_ptr<kiosk::app::SyncHook> sync;
    auto startSync = [&] {
        sync = std::make_unique<kiosk::app::SyncHook>(options.dbPath, !config.serverUrl.empty(),
                                                      [] { glfwPostEmptyEvent(); });
        sync->attach(controller, store);
    };
    kiosk::ui::UiOptions uiOptions;
    uiOptions.idleSeconds = options.idleSeconds;
    uiOptions.countdownSeconds = options.countdownSeconds;
    uiOptions.defaultLanguage = lang;
    kiosk::ui::KioskUi ui(controller, strings, *fonts, uiOptions);
    ui.configureImGui(io, ImGui::GetStyle());
    kiosk::app::BenchHooks bench = kiosk::app::BenchHooks::fromEnvironment();
    if (auto opened = bench.openOfficerQueue(controller, ui); !opened)
        return fail(lang, opened.error(), kInternal);

    // The "Nghe" voice: its thread only waits until a citizen taps; espeak-ng's data loads at the
    // first tap, not here, so the first frame and an unused kiosk's memory do not pay for it.
    auto speaker = std::make_unique<kiosk::voice::Speaker>(kiosk::voice::Speaker::SinkFactory{},
                                                           [] { glfwPostEmptyEvent(); });
    ui.setSpeaker(speaker.get());

    Loop loop{window, options, lang,       store, strings, fontFiles,
              *fonts, scale,   controller, ui,    bench,   startSync};
    const int exitCode = loop.run();
    // The engine's callback posts GLFW events: stop it while GLFW is still there.
    controller.setConnectivitySource(nullptr);
    controller.setSyncRequest(nullptr);
    sync.reset();
    controller.setPrintQueue(nullptr);
    printer.reset();
    ui.setSpeaker(nullptr);
    speaker.reset();  // its callback posts GLFW events too
    kiosk::app::deleteFontAtlas(*io.Fonts);
    ImGui_ImplOpenGL3_Shutdown();
    ImGui_ImplGlfw_Shutdown();
    return exitCode;
}

}  // namespace

int main(int argc, char** argv) {
    kiosk::common::disableCoreDumps();

    Lang lang = Lang::Vi;
    auto read = readOptions(argc, argv, lang);
    if (const int* code = std::get_if<int>(&read)) return *code;
    const kiosk::app::AppOptions& options = std::get<kiosk::app::AppOptions>(read);
    auto opened = openDatabase(options.dbPath, lang);
    if (const int* code = std::get_if<int>(&opened)) return *code;
    kiosk::store::KioskStore& store = *std::get<std::unique_ptr<kiosk::store::KioskStore>>(opened);
    auto config = store.config();
    if (!config) return fail(lang, config.error(), kInternal);
    auto strings = kiosk::Strings::load(kiosk::assetsDir() / "strings.tsv");
    if (!strings) return fail(lang, strings.error(), kInternal);
    // The unit above the communes and the desk's name, as the deployment's data words them today.
    auto words = kiosk::loadDeploymentWords(kiosk::assetsDir(), kiosk::deploymentToday());
    if (!words) return fail(lang, words.error(), kInternal);
    strings->setWords(*words);
    auto fontFiles = kiosk::ui::findFontFiles();
    if (!fontFiles) return fail(lang, fontFiles.error(), kInternal);

    glfwSetErrorCallback(glfwError);
    if (!glfwInit())
        return fail(lang, "Không mở được màn hình (kiểm tra DISPLAY).",
                    "Cannot open the display (check DISPLAY).", kInternal);
    GLFWwindow* window = openWindow(options);
    if (!window)
        return fail(lang, "Không tạo được cửa sổ OpenGL 3.3.", "Cannot create an OpenGL 3.3 window.",
                    kInternal);
    IMGUI_CHECKVERSION();
    ImGui::CreateContext();
    ImGui::GetIO().IniFilename = nullptr;
    const int exitCode = runWindow(window, options, lang, store, *config, *strings, *fontFiles);
    ImGui::DestroyContext();
    glfwDestroyWindow(window);
    glfwTerminate();
    return exitCode;
}
