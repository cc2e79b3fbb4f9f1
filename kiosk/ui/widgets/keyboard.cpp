#define IMGUI_DEFINE_MATH_OPERATORS
#include "kiosk/ui/widgets/keyboard.h"

#include <algorithm>
#include <string>
#include <vector>

#include "imgui_internal.h"
#include "core/text.h"
#include "kiosk/ui/widgets/widgets.h"

namespace kiosk::ui {
namespace {

enum class KeyAction { Char, Shift, Back, Page, Enter, Done, Space, Tone, Vowel };

struct Key {
    std::string id;  // after "kb."
    std::string label;
    float weight = 1;
    KeyAction action = KeyAction::Char;
    char32_t ch = 0;  // Char, Vowel: the character; Tone: 0..5 (acute grave hook tilde dot none)
};

char32_t upper(char32_t c) {
    if (c >= U'a' && c <= U'z') return c - U'a' + U'A';
    switch (c) {
        case U'â':
            return U'Â';
        case U'ă':
            return U'Ă';
        case U'ê':
            return U'Ê';
        case U'ô':
            return U'Ô';
        case U'ơ':
            return U'Ơ';
        case U'ư':
            return U'Ư';
        case U'đ':
            return U'Đ';
        default:
            return c;
    }
}

std::string utf8(char32_t c) {
    std::string s;
    appendUtf8(s, c);
    return s;
}

Key charKey(char32_t c, bool shifted) {
    Key k;
    k.id = utf8(c);
    k.label = utf8(shifted ? upper(c) : c);
    k.ch = c;
    return k;
}

Key special(const std::string& id, const std::string& label, float weight, KeyAction action) {
    Key k;
    k.id = id;
    k.label = label;
    k.weight = weight;
    k.action = action;
    return k;
}

// Sample letters showing what each tone key does, and the Telex / VNI key it sends.
constexpr const char* kToneSample[6] = {"á", "à", "ả", "ã", "ạ", "a"};
constexpr const char* kToneName[6] = {"kb.tone.acute", "kb.tone.grave", "kb.tone.hook",
                                      "kb.tone.tilde", "kb.tone.dot",   "kb.tone.none"};
constexpr char32_t kTelexTone[6] = {U's', U'f', U'r', U'x', U'j', U'z'};
constexpr char32_t kVniTone[6] = {U'1', U'2', U'3', U'4', U'5', U'0'};
constexpr const char* kToneId[6] = {"s", "f", "r", "x", "j", "z"};

// The keys, row by row: the letters page (tone and vowel keys on top) or the symbols page, then
// the bottom row.
std::vector<std::vector<Key>> keyRows(const UiContext& ui, bool letters, bool shifted, bool capsLocked,
                                      bool allowEnter) {
    std::vector<std::vector<Key>> rows;
    if (letters) {
        std::vector<Key> accents;
        for (int t = 0; t < 6; ++t) {
            Key k;
            k.id = std::string("tone.") + kToneId[t];
            k.label = std::string(kToneSample[t]) + " " + ui.tr(kToneName[t]);
            k.weight = 1.45f;
            k.action = KeyAction::Tone;
            k.ch = char32_t(t);
            accents.push_back(k);
        }
        for (char32_t v : {U'â', U'ă', U'ê', U'ô', U'ơ', U'ư', U'đ'}) {
            Key k = charKey(v, shifted);
            k.id = "v." + utf8(v);
            k.action = KeyAction::Vowel;
            accents.push_back(k);
        }
        rows.push_back(accents);
        for (const char* row : {"qwertyuiop", "asdfghjkl"}) {
            std::vector<Key> keys;
            for (const char* p = row; *p; ++p) keys.push_back(charKey(char32_t(*p), shifted));
            rows.push_back(keys);
        }
        std::vector<Key> row3;
        row3.push_back(
            special("shift", capsLocked ? ui.tr("kb.caps") : ui.tr("kb.shift"), 1.5f, KeyAction::Shift));
        for (const char* p = "zxcvbnm"; *p; ++p) row3.push_back(charKey(char32_t(*p), shifted));
        row3.push_back(special("back", ui.tr("kb.backspace"), 1.5f, KeyAction::Back));
        rows.push_back(row3);
    } else {
        for (const char* row : {"1234567890", "-/:;()₫&@\"", ".,?!'%+=#*"}) {
            std::vector<Key> keys;
            for (char32_t c : toCodepoints(row)) keys.push_back(charKey(c, false));
            rows.push_back(keys);
        }
        std::vector<Key> row3;
        for (char32_t c : toCodepoints("_<>[]{}~$^")) row3.push_back(charKey(c, false));
        rows.push_back(row3);
    }
    std::vector<Key> bottom;
    bottom.push_back(special("page", ui.tr(letters ? "kb.numbers" : "kb.letters"), 1.5f, KeyAction::Page));
    if (letters) bottom.push_back(charKey(U',', false));
    bottom.push_back(special("space", ui.tr("kb.space"), allowEnter ? 3.5f : 5.0f, KeyAction::Space));
    if (letters) bottom.push_back(charKey(U'.', false));
    if (!letters) bottom.push_back(special("back", ui.tr("kb.backspace"), 1.5f, KeyAction::Back));
    if (allowEnter) bottom.push_back(special("enter", ui.tr("kb.enter"), 1.5f, KeyAction::Enter));
    bottom.push_back(special("done", ui.tr("kb.done"), 1.5f, KeyAction::Done));
    rows.push_back(bottom);

    return rows;
}

}  // namespace

float keyboardHeight(const UiContext& ui) {
    const Metrics& m = ui.theme.metrics;
    return ui.px(5 * m.keyHeight + 4 * m.keyGap + 2 * 16);
}

void OnScreenKeyboard::reset() {
    m_page = Page::Letters;
    m_shift = Shift::Off;
}

void OnScreenKeyboard::toneKey(TextField& field, const ComposerOptions& options, int tone) {
    const size_t before = field.codepoints();
    field.type(options.method == InputMethod::Vni ? kVniTone[tone] : kTelexTone[tone]);
    // The word could not take this tone and the key went in as a letter: take it back.
    if (field.codepoints() > before) field.backspace();
}

void OnScreenKeyboard::press(UiContext&, TextField& field, char32_t key) {
    if (m_shift != Shift::Off) key = upper(key);
    field.type(key);
    if (m_shift == Shift::Once) m_shift = Shift::Off;
}

bool OnScreenKeyboard::draw(UiContext& ui, TextField& field, bool allowEnter) {
    ImGuiWindow* window = ImGui::GetCurrentWindow();
    const FullWindowClip clip;
    const Metrics& m = ui.theme.metrics;
    const float height = keyboardHeight(ui);
    const ImVec2 origin(window->Pos.x, window->Pos.y + window->Size.y - height);
    const float width = window->Size.x;
    window->DrawList->AddRectFilled(origin, origin + ImVec2(width, height), ui.theme.colors.keyboard);

    const std::vector<std::vector<Key>> rows =
        keyRows(ui, m_page == Page::Letters, m_shift != Shift::Off, m_shift == Shift::Locked, allowEnter);
    const float gap = ui.px(m.keyGap);
    const float pad = ui.px(16);
    const float keyH = (height - 2 * pad - gap * float(rows.size() - 1)) / float(rows.size());
    const float unit10 = (width - 2 * pad - 9 * gap) / 10.0f;
    bool done = false;
    float y = origin.y + pad;
    for (const auto& row : rows) {
        float weights = 0;
        for (const Key& k : row) weights += k.weight;
        const float fit = (width - 2 * pad - gap * float(row.size() - 1)) / weights;
        const float unit = std::min(unit10, fit);
        const float total = unit * weights + gap * float(row.size() - 1);
        float x = origin.x + (width - total) / 2;
        for (const Key& k : row) {
            ImGui::SetCursorScreenPos(ImVec2(x, y));
            ButtonSpec spec;
            spec.size = ImVec2(unit * k.weight, keyH);
            const bool isSpecial = k.action != KeyAction::Char && k.action != KeyAction::Space;
            spec.kind = isSpecial ? ButtonKind::KeySpecial : ButtonKind::Key;
            if (k.action == KeyAction::Shift && m_shift != Shift::Off) spec.kind = ButtonKind::Selected;
            if (k.action == KeyAction::Done) spec.kind = ButtonKind::Primary;
            spec.font = (k.action == KeyAction::Char || k.action == KeyAction::Vowel) ? ui.fonts().heading
                                                                                      : ui.fonts().bold;
            if (button(ui, "kb." + k.id, k.label, spec)) {
                switch (k.action) {
                    case KeyAction::Char:
                    case KeyAction::Vowel:
                        press(ui, field, k.ch);
                        break;
                    case KeyAction::Space:
                        field.type(U' ');
                        break;
                    case KeyAction::Back:
                        field.backspace();
                        break;
                    case KeyAction::Enter:
                        field.type(U'\n');
                        break;
                    case KeyAction::Tone:
                        toneKey(field, ui.inputOptions, int(k.ch));
                        break;
                    case KeyAction::Page:
                        m_page = m_page == Page::Letters ? Page::Symbols : Page::Letters;
                        break;
                    case KeyAction::Shift:
                        // No double-tap: a second tap locks capitals, a third releases them.
                        m_shift = m_shift == Shift::Off    ? Shift::Once
                                  : m_shift == Shift::Once ? Shift::Locked
                                                           : Shift::Off;
                        break;
                    case KeyAction::Done:
                        done = true;
                        break;
                }
            }
            x += unit * k.weight + gap;
        }
        y += keyH + gap;
    }
    return done;
}

PadResult numericPad(UiContext& ui, TextField& field, std::string_view extraLabel) {
    ImGuiWindow* window = ImGui::GetCurrentWindow();
    const FullWindowClip clip;
    const float height = keyboardHeight(ui);
    const ImVec2 origin(window->Pos.x, window->Pos.y + window->Size.y - height);
    const float width = window->Size.x;
    window->DrawList->AddRectFilled(origin, origin + ImVec2(width, height), ui.theme.colors.keyboard);
    const float pad = ui.px(16);
    const float gap = ui.px(14);
    const float keyH = (height - 2 * pad - 3 * gap) / 4;
    const float keyW = ui.px(200);
    const float padW = 3 * keyW + 2 * gap;
    const float x0 = origin.x + (width - padW) / 2;
    PadResult result = PadResult::None;
    static const char* const kLabels[12] = {"1", "2", "3", "4",     "5", "6",
                                            "7", "8", "9", nullptr, "0", nullptr};
    for (int i = 0; i < 12; ++i) {
        const int row = i / 3;
        const int col = i % 3;
        ImGui::SetCursorScreenPos(
            ImVec2(x0 + float(col) * (keyW + gap), origin.y + pad + float(row) * (keyH + gap)));
        ButtonSpec spec;
        spec.size = ImVec2(keyW, keyH);
        spec.kind = ButtonKind::Key;
        spec.font = ui.fonts().title;
        if (kLabels[i]) {
            if (button(ui, std::string("pad.") + kLabels[i], kLabels[i], spec))
                field.type(char32_t(kLabels[i][0]));
        } else if (i == 9) {
            spec.kind = ButtonKind::KeySpecial;
            spec.font = ui.fonts().bold;
            if (button(ui, "pad.back", ui.tr("keypad.delete"), spec)) field.backspace();
        } else {
            spec.kind = ButtonKind::Primary;
            spec.font = ui.fonts().bold;
            if (button(ui, "pad.done", ui.tr("keypad.ok"), spec)) result = PadResult::Done;
        }
    }
    // Beside the pad: clear all, and the screen's extra key.
    const float sideX = x0 + padW + ui.px(48);
    const float sideW = std::min(ui.px(320), origin.x + width - pad - sideX);
    ImGui::SetCursorScreenPos(ImVec2(sideX, origin.y + pad));
    ButtonSpec side;
    side.size = ImVec2(sideW, keyH);
    side.kind = ButtonKind::KeySpecial;
    if (button(ui, "pad.clear", ui.tr("keypad.clear"), side)) {
        while (!field.empty()) field.backspace();
    }
    if (!extraLabel.empty()) {
        ImGui::SetCursorScreenPos(ImVec2(sideX, origin.y + pad + keyH + gap));
        if (button(ui, "pad.extra", extraLabel, side)) result = PadResult::Extra;
    }
    return result;
}

}  // namespace kiosk::ui
