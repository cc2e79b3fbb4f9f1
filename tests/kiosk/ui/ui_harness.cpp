#include "tests/kiosk/ui/ui_harness.h"

#include <cfloat>
#include <ctime>
#include <filesystem>

#include "core/deployment_words.h"
#include "core/text.h"
#include "kiosk/store/officers.h"
#include "tests/support/store_fixture.h"

namespace testing_support {

const kiosk::Strings& uiStrings() {
    static const kiosk::Strings strings = [] {
        auto loaded = kiosk::Strings::load(kiosk::assetsDir() / "strings.tsv");
        if (!loaded) FAIL("strings.tsv did not load: " << loaded.error().en);
        auto words = kiosk::loadDeploymentWords(kiosk::assetsDir(), kiosk::deploymentToday());
        if (!words) FAIL("the deployment's words did not load: " << words.error().en);
        loaded->setWords(*words);
        return loaded.value();
    }();
    return strings;
}

SharedFonts& sharedFonts() {
    static SharedFonts* shared = [] {
        auto* s = new SharedFonts;
        auto files = kiosk::ui::findFontFiles();
        if (!files) FAIL(files.error().en);
        auto fonts = kiosk::ui::loadFonts(s->atlas, *files, 1.0f,
                                          kiosk::ui::textsToDraw(uiStrings(), realReference()));
        if (!fonts) FAIL(fonts.error().en);
        s->fonts = std::move(fonts.value());
        unsigned char* pixels = nullptr;
        int w = 0, h = 0;
        s->atlas.GetTexDataAsRGBA32(&pixels, &w, &h);
        return s;
    }();
    return *shared;
}

UiHarness::UiHarness(kiosk::ui::UiOptions options, const std::string& copyFrom) {
    m_dbPath = m_dir.file("kiosk.db");
    if (copyFrom.empty()) {
        m_store = makeKioskStore(m_dbPath);
    } else {
        for (const char* suffix : {"", "-wal", "-shm"})
            if (std::filesystem::exists(copyFrom + suffix))
                std::filesystem::copy_file(copyFrom + suffix, m_dbPath + suffix);
        auto opened = kiosk::store::KioskStore::open(m_dbPath, false);
        REQUIRE(opened.ok());
        m_store = std::move(opened.value());
    }
    SharedFonts& shared = sharedFonts();
    m_context = ImGui::CreateContext(&shared.atlas);
    ImGui::SetCurrentContext(m_context);
    m_controller = std::make_unique<kiosk::app::StoreController>(*m_store, kiosk::ComposerOptions{});
    // The use cases' wall clock moves with the harness's (advance() moves both): a lock the status
    // check throttle sets runs out when the screen's countdown does.
    const int64_t wallStart = int64_t(std::time(nullptr));
    m_controller->setClock([this, wallStart] { return wallStart + int64_t(m_now - kStartNow); });
    m_ui = std::make_unique<kiosk::ui::KioskUi>(*m_controller, uiStrings(), shared.fonts, options);
    ImGuiIO& io = ImGui::GetIO();
    m_ui->configureImGui(io, ImGui::GetStyle());
    io.DisplaySize = ImVec2(1920, 1080);
    frame();
}

UiHarness::~UiHarness() {
    m_ui.reset();
    ImGui::DestroyContext(m_context);
}

void UiHarness::frame() {
    if (onPointer && (m_mouse.x != m_lastMouse.x || m_mouse.y != m_lastMouse.y || m_down != m_lastDown))
        onPointer(m_mouse, m_down);
    m_lastMouse = m_mouse;
    m_lastDown = m_down;
    ImGui::SetCurrentContext(m_context);
    ImGuiIO& io = ImGui::GetIO();
    io.DisplaySize = ImVec2(1920, 1080);
    io.DeltaTime = 1.0f / 60.0f;
    io.MousePos = m_mouse;
    io.MouseDown[0] = m_down;
    drawFrame();
}

void UiHarness::frameWith(const std::function<void(ImGuiIO&)>& inject) {
    ImGui::SetCurrentContext(m_context);
    ImGuiIO& io = ImGui::GetIO();
    io.DisplaySize = ImVec2(1920, 1080);
    io.DeltaTime = 1.0f / 60.0f;
    inject(io);
    m_mouse = io.MousePos;
    m_down = io.MouseDown[0];
    m_lastMouse = m_mouse;
    m_lastDown = m_down;
    drawFrame();
}

void UiHarness::drawFrame() {
    // Every string drawn is checked against the font drawing it: a label in a font without its
    // letters shows gaps on the real screen ("M  ki m tra") that no widget id would reveal.
    kiosk::ui::GlyphCheck& glyphs = kiosk::ui::glyphCheck();
    glyphs.enabled = true;
    glyphs.drawn.clear();
    ImGui::NewFrame();
    m_ui->frame(m_now);
    ImGui::Render();
    m_now += 1.0 / 60.0;
    m_drawn.swap(glyphs.drawn);
    if (glyphs.misses > 0) {
        std::string found;
        for (const std::string& f : glyphs.found) found += f + "\n";
        FAIL_CHECK(glyphs.misses << " string(s) drawn with a font lacking their characters:\n" << found);
        glyphs.misses = 0;
        glyphs.found.clear();
    }
}

bool UiHarness::drew(const std::string& text) const {
    for (const std::string& s : m_drawn)
        if (s.find(text) != std::string::npos) return true;
    return false;
}

void UiHarness::frames(int n) {
    for (int i = 0; i < n; ++i) frame();
}

void UiHarness::addOfficer(const std::string& id, const std::string& name, const std::string& pin) {
    auto added = kiosk::store::addOfficer(*m_store, kiosk::store::Officer{id, name, "officer", false}, pin);
    INFO((added ? std::string() : added.error().en));
    REQUIRE(added.ok());
}

kiosk::Record UiHarness::readAsOfficer(const std::string& code, const std::string& id,
                                       const std::string& pin) {
    auto session = kiosk::store::loginOfficer(*m_store, id, pin, m_controller->nowUnix());
    INFO((session ? std::string() : session.error().en));
    REQUIRE(session.ok());
    m_store->unlock(session->secret);
    auto found = m_store->find(code);
    m_store->lock();
    REQUIRE(found.ok());
    REQUIRE(found->has_value());
    return **found;
}

bool UiHarness::has(const std::string& id) const { return m_ui->widgets().find(id) != nullptr; }

bool UiHarness::enabled(const std::string& id) const {
    const auto* e = m_ui->widgets().find(id);
    return e && e->enabled;
}

ImVec2 UiHarness::center(const std::string& id) const {
    const auto* e = m_ui->widgets().find(id);
    REQUIRE(e != nullptr);
    return e->center();
}

void UiHarness::tapAt(ImVec2 point) {
    m_mouse = point;
    m_down = false;
    frame();
    m_down = true;
    frame();
    m_down = false;
    frame();  // the release: the click happens here
    frame();  // the position stays one frame after the release
    frame();  // navigation requested by the click is drawn
}

void UiHarness::tapThenSleep(const std::string& id) {
    const auto* e = m_ui->widgets().find(id);
    REQUIRE(e != nullptr);
    m_mouse = e->center();
    m_down = false;
    frame();
    m_down = true;
    frame();
    m_down = false;
    frame();  // the release
    for (int i = 0; i < 30 && m_ui->secondsUntilNextFrame(m_now) <= 0; ++i) frame();
}

bool UiHarness::reveal(const std::string& id) {
    auto visible = [&] {
        const auto* e = m_ui->widgets().find(id);
        return e && e->max.y - e->min.y >= 40;
    };
    // Drag in the middle band, which is inside the scrolled body whether or not a keyboard is up.
    for (float direction : {-1.0f, 1.0f}) {
        for (int attempt = 0; attempt < 12 && !visible(); ++attempt) {
            // Slow, and held still before lifting: no glide, so the content moves by what was dragged.
            drag(ImVec2(1500, 460), ImVec2(1500, 460 + direction * 200), 10, /*holdFrames=*/12);
            frames(2);
        }
    }
    return visible();
}

void UiHarness::tap(const std::string& id) {
    reveal(id);
    // Not there while a keyboard is up (a form's bottom bar is under it): close it with "Xong", as
    // a citizen would — it moves on to the next field first, so as often as it takes.
    for (int i = 0; i < 8 && !has(id) && (has("kb.done") || has("pad.done")); ++i) {
        tapAt(center(has("kb.done") ? "kb.done" : "pad.done"));
        reveal(id);
    }
    const auto* e = m_ui->widgets().find(id);
    if (!e) {
        std::string known;
        for (const auto& [k, v] : m_ui->widgets().all()) known += k + " ";
        INFO("screen " << kiosk::ui::toSlug(m_ui->screen()) << "; widgets: " << known);
        FAIL("no widget " << id);
    }
    INFO("widget " << id);
    REQUIRE(e->enabled);
    tapAt(e->center());
}

void UiHarness::drag(ImVec2 from, ImVec2 to, int steps, int holdFrames) {
    m_mouse = from;
    m_down = false;
    frame();
    m_down = true;
    frame();
    for (int i = 1; i <= steps; ++i) {
        const float t = float(i) / float(steps);
        m_mouse = ImVec2(from.x + (to.x - from.x) * t, from.y + (to.y - from.y) * t);
        frame();
    }
    frames(holdFrames);
    m_down = false;
    frame();
}

void UiHarness::typeKeys(const std::string& keys) {
    for (char32_t c : kiosk::toCodepoints(keys)) {
        std::string id;
        bool shift = false;
        if (c == U' ')
            id = "kb.space";
        else if (c == U'\n')
            id = "kb.enter";
        else if (c >= U'A' && c <= U'Z') {
            shift = true;
            id = "kb." + std::string(1, char(c - U'A' + U'a'));
        } else {
            id = "kb.";
            kiosk::appendUtf8(id, c);
        }
        if (!has(id) && has("kb.page")) tap("kb.page");  // digits and punctuation live on the other page
        if (shift) tap("kb.shift");
        tap(id);
    }
    // Back to the letters page for whoever types next.
    if (has("kb.page") && !has("kb.q")) tap("kb.page");
}

void UiHarness::typeDigits(const std::string& digits) {
    for (char c : digits) tap(std::string("pad.") + c);
}

}  // namespace testing_support
