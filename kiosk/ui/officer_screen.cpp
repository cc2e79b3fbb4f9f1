#define IMGUI_DEFINE_MATH_OPERATORS
#include "kiosk/ui/officer_screen.h"

#include <algorithm>
#include <cfloat>
#include <cstdlib>

#include "imgui_internal.h"
#include "core/text.h"
#include "core/receipt_code.h"
#include "core/record_search.h"
#include "kiosk/ui/home_screen.h"

namespace kiosk::ui {
namespace {

constexpr float kColumns[6] = {0.0f, 0.205f, 0.335f, 0.555f, 0.66f, 0.83f};

std::string kindShort(UiContext& ui, const Record& r) {
    if (r.kind == RecordKind::Dossier) return ui.tr("officer.filter.dossiers");
    return ui.tr("petition.kind." + std::string(toSlug(r.petitionKind)) + ".name");
}

std::string statusName(UiContext& ui, const Record& r) {
    return ui.tr(std::string("status.") + (r.kind == RecordKind::Dossier ? "dossier." : "petition.") +
                 std::string(toSlug(r.status)));
}

// Whether `s` wrapped to `width` in `font` takes at most `lines` lines with no word cut.
bool fitsCell(ImFont* font, const std::string& s, float width, int lines) {
    size_t start = 0;
    while (start < s.size()) {
        const size_t end = std::min(s.find_first_of(" \n", start), s.size());
        if (font->CalcTextSizeA(font->FontSize, FLT_MAX, 0, s.data() + start, s.data() + end).x > width)
            return false;
        start = end + 1;
    }
    const float height = font->CalcTextSizeA(font->FontSize, FLT_MAX, width, s.c_str()).y;
    return height <= float(lines) * font->FontSize + 1;
}

// One row of the queue, `width` wide (two lines of text high); true when tapped.
bool queueRow(UiContext& ui, const QueueRow& row, float width, float rowH, const Date& today) {
    const Palette& c = ui.theme.colors;
    const Record& r = row.record;
    ButtonSpec spec;
    spec.size = ImVec2(width, rowH);
    spec.kind = ButtonKind::ListRow;
    const bool tapped = button(ui, "queue.row." + r.code, "", spec);
    const ImVec2 min = ImGui::GetItemRectMin();
    ImDrawList* draw = ImGui::GetWindowDrawList();
    ImFont* font = ui.fonts().body;
    const float inner = spec.size.x - ui.px(40);
    // Each cell's text is cut at its column on the CPU (AddText's fine clip rectangle),
    // not by a clip rectangle of its own: that would be one more draw call per cell.
    const ImVec2 clipMin = draw->GetClipRectMin(), clipMax = draw->GetClipRectMax();
    const ImVec4 listClip(clipMin.x, clipMin.y, clipMax.x, clipMax.y);
    // A cell's text wraps onto the row's second line; where even that is too narrow (large text,
    // English), it takes the normal size rather than lose its end.
    auto cell = [&](int col, const std::string& s, ImU32 color, ImFont* f) {
        const float x0 = min.x + ui.px(16) + kColumns[col] * inner;
        const float x1 = col == 5 ? min.x + spec.size.x - ui.px(8)
                                  : min.x + ui.px(16) + kColumns[col + 1] * inner - ui.px(12);
        const ImVec4 clip(std::max(x0, listClip.x), std::max(min.y, listClip.y), std::min(x1, listClip.z),
                          std::min(min.y + rowH, listClip.w));
        if (clip.x >= clip.z || clip.y >= clip.w) return;
        if (!fitsCell(f, s, x1 - x0, 2)) {
            const FontSet& normal = ui.allFonts().normal;
            f = f == ui.fonts().bold ? normal.bold : normal.body;
            if (!fitsCell(f, s, x1 - x0, 2)) ui.widgets.markOverflow("queue.cell." + std::to_string(col));
        }
        const float height = f->CalcTextSizeA(f->FontSize, FLT_MAX, x1 - x0, s.c_str()).y;
        checkGlyphs(f, s);
        draw->AddText(f, f->FontSize, ImVec2(x0, min.y + (rowH - height) / 2), color, s.c_str(), nullptr,
                      x1 - x0, &clip);
    };
    cell(0, formatReceiptCode(r.code), c.text, ui.fonts().bold);
    cell(1, kindShort(ui, r), c.text, font);
    cell(2, statusName(ui, r), c.text, font);
    cell(3, ui.date(r.receivedOn), c.text, font);
    if (r.status == RecordStatus::Transferred)
        cell(4, ui.tr("officer.due.transferred"), c.mutedText, font);  // done by transfer, never overdue
    else if (!hasDue(r))
        cell(4, ui.tr("officer.due.none"), c.mutedText, font);
    else if (isFinal(r.status))
        cell(4, ui.date(r.due), c.mutedText, font);
    else if (row.overdue)
        cell(4, ui.date(r.due) + "\n" + ui.tr("status.overdue"), c.danger, ui.fonts().bold);
    else if (row.dueSoon)
        cell(4, ui.date(r.due) + "\n" + ui.tr("status.due_soon"), c.warning, ui.fonts().bold);
    else
        cell(4, r.due == today ? ui.tr("officer.due_today") : ui.date(r.due), c.text, font);
    const bool secret = isDenunciation(r);
    cell(5, secret ? ui.tr("officer.identity_secret") : r.identity.name, secret ? c.mutedText : c.text, font);
    return tapped;
}

// "2027" or "2026, 2027": this year and the next when their days off are provisional
// (core/reference_data.h provisionalHolidayYears), "" otherwise.
std::string provisionalYearsNear(UiContext& ui) {
    const int year = localFromUnix(ui.controller.nowUnix()).date.year;
    std::string out;
    for (int y : ui.controller.reference().provisionalHolidayYears())
        if (y >= year && y <= year + 1) out += (out.empty() ? "" : ", ") + std::to_string(y);
    return out;
}

// A citizen waiting at the kiosk for an officer ("Gọi cán bộ"): since when, until an officer says
// they came. ids "officer.help" (the banner) and "officer.help.clear".
void helpBanner(UiContext& ui) {
    const std::optional<int64_t> at = ui.controller.helpCall();
    if (!at) return;
    const Palette& c = ui.theme.colors;
    ImGuiWindow* window = ImGui::GetCurrentWindow();
    const ImVec2 min = ImGui::GetCursorScreenPos();
    const float width = ImGui::GetContentRegionAvail().x;
    const float pad = ui.px(16);
    ImFont* bold = ui.fonts().bold;
    const std::string clearLabel = ui.tr("officer.help.clear");
    const float buttonW = std::max(
        ui.px(300), bold->CalcTextSizeA(bold->FontSize, FLT_MAX, 0, clearLabel.c_str()).x + ui.px(48));
    const float buttonH = ui.px(ui.theme.metrics.smallButtonHeight);
    const std::string message = ui.trf("officer.help.waiting", {ui.dateTime(*at)});
    const float textW = width - buttonW - 3 * pad;
    const float height = std::max(buttonH, wrappedHeight(bold, message, textW)) + 2 * pad;
    window->DrawList->AddRectFilled(min, min + ImVec2(width, height), c.errorBackground, ui.px(8));
    window->DrawList->AddRect(min, min + ImVec2(width, height), c.danger, ui.px(8), 0, ui.px(3));
    ui.widgets.add("officer.help", min, min + ImVec2(width, height), false);
    ImGui::SetCursorScreenPos(
        min + ImVec2(pad, pad + (height - 2 * pad - wrappedHeight(bold, message, textW)) / 2));
    text(ui, message, bold, c.danger, textW);
    ImGui::SetCursorScreenPos(ImVec2(min.x + width - pad - buttonW, min.y + (height - buttonH) / 2));
    ButtonSpec clear;
    clear.size = ImVec2(buttonW, buttonH);
    // A failure (the database) leaves the banner up, to be tapped again.
    if (button(ui, "officer.help.clear", clearLabel, clear)) static_cast<void>(ui.controller.clearHelpCall());
    ImGui::SetCursorScreenPos(ImVec2(min.x, min.y + height + ui.px(12)));
}

}  // namespace

void OfficerScreen::enter(UiContext&) { m_stale = true; }

void OfficerScreen::wipe() {
    m_tab = Tab::Queue;
    m_kindChoice = 0;
    m_statusChoice = 0;
    m_stale = true;
    wipeRows();
    m_search.wipe();
    m_searchFocused = false;
    m_keyboard.reset();
    wipeString(m_matchedQuery);
    m_error.reset();
    m_askExit = false;
    m_queueScroll.scrollToTop();
    m_record.wipe();
    m_dossier.wipe();
}

void OfficerScreen::wipeRows() {
    for (QueueRow& row : m_rows) {
        for (std::string* s :
             {&row.record.content, &row.record.resultNote, &row.record.identity.name,
              &row.record.identity.cccd, &row.record.identity.phone, &row.record.identity.address})
            wipeString(*s);
    }
    m_rows.clear();
    m_searchOpened = 0;
    m_matchedUpTo = 0;
    m_matches.clear();
}

void OfficerScreen::reload(UiContext& ui) {
    QueueFilter filter;
    static constexpr QueueFilter::Kind kinds[6] = {
        QueueFilter::Kind::All,          QueueFilter::Kind::Complaint,
        QueueFilter::Kind::Denunciation, QueueFilter::Kind::Recommendation,
        QueueFilter::Kind::Feedback,     QueueFilter::Kind::Dossier};
    filter.kind = kinds[m_kindChoice];
    filter.openOnly = m_statusChoice == 0 || m_statusChoice == 1;
    filter.overdueOnly = m_statusChoice == 1;
    if (m_statusChoice == 2) {
        filter.status = RecordStatus::Received;
        filter.openOnly = false;
    }
    if (m_statusChoice == 3) filter.openOnly = false;
    auto rows = ui.controller.queue(filter);
    m_stale = false;
    wipeRows();
    if (!rows) {
        m_error = rows.error();
        return;
    }
    m_error.reset();
    m_rows = std::move(rows.value());
}

void OfficerScreen::drawSearchField(UiContext& ui) {
    FieldSpec spec;
    spec.placeholder = ui.tr("officer.search.placeholder");
    spec.focused = m_searchFocused;
    spec.width = ui.px(1000);
    if (textField(ui, "queue.search", m_search, spec)) {
        m_searchFocused = true;
        m_search.setComposerOptions(ui.inputOptions);
    }
    if (m_search.empty()) return;
    const ImVec2 box = ImGui::GetItemRectMin(), boxMax = ImGui::GetItemRectMax();
    const ImVec2 after = ImGui::GetCursorScreenPos();
    ButtonSpec clear;
    clear.size = ImVec2(ui.px(220), boxMax.y - box.y);
    clear.kind = ButtonKind::Secondary;
    ImGui::SetCursorScreenPos(ImVec2(boxMax.x + ui.px(20), box.y));
    if (button(ui, "queue.search.clear", ui.tr("officer.search.clear"), clear)) {
        m_search.wipe();
        m_searchFocused = false;
        m_keyboard.reset();
    }
    ImGui::SetCursorScreenPos(after);
}

// Opens a few hundred more rows' identities for the search each frame (about 0.1 ms a record) and
// matches the ones opened since the last frame, so the first hits show at once and a long queue
// never freezes the screen.
void OfficerScreen::updateSearch(UiContext& ui) {
    if (m_search.empty()) return;
    if (m_search.text() != m_matchedQuery) {
        m_matchedQuery = m_search.text();
        m_matches.clear();
        m_matchedUpTo = 0;
    }
    if (m_searchOpened < m_rows.size()) {
        m_searchOpened = ui.controller.openForSearch(m_rows, m_searchOpened, 20.0);
        ui.animating = true;
    }
    const RecordQuery query = parseRecordQuery(m_matchedQuery);
    for (; m_matchedUpTo < m_searchOpened; ++m_matchedUpTo)
        if (matchesRecordQuery(m_rows[m_matchedUpTo].record, query)) m_matches.push_back(m_matchedUpTo);
}

// The filters (making way for the first hits while the keyboard is up), the search field and the
// count line.
void OfficerScreen::drawQueueHeader(UiContext& ui) {
    const Palette& c = ui.theme.colors;
    const float optionH = ui.px(ui.theme.metrics.smallButtonHeight);
    // While the keyboard is up the filters make way for the first hits above it.
    if (!m_searchFocused) {
        std::vector<std::string> kinds{
            ui.tr("officer.filter.all"),          ui.tr("petition.kind.khieu-nai.name"),
            ui.tr("petition.kind.to-cao.name"),   ui.tr("petition.kind.kien-nghi.name"),
            ui.tr("petition.kind.phan-anh.name"), ui.tr("officer.filter.dossiers")};
        if (optionRow(ui, "queue.kind", kinds, m_kindChoice, optionH)) m_stale = true;
        std::vector<std::string> statuses{ui.tr("officer.filter.open"), ui.tr("officer.filter.overdue"),
                                          ui.tr("status.petition.received"), ui.tr("officer.filter.all")};
        if (optionRow(ui, "queue.status", statuses, m_statusChoice, optionH)) m_stale = true;
    }
    if (m_stale) reload(ui);
    drawSearchField(ui);
    updateSearch(ui);
    const bool searching = !m_search.empty();
    if (m_error) text(ui, ui.text(*m_error), ui.fonts().bold, c.danger);
    if (!searching) {
        text(ui, ui.trf("officer.queue.count", {std::to_string(m_rows.size())}), ui.fonts().bold);
    } else if (m_searchOpened < m_rows.size()) {
        text(ui,
             ui.trf("officer.search.progress",
                    {std::to_string(m_matches.size()), std::to_string(m_searchOpened),
                     std::to_string(m_rows.size())}),
             ui.fonts().bold);
    } else {
        text(
            ui,
            ui.trf("officer.search.count", {std::to_string(m_matches.size()), std::to_string(m_rows.size())}),
            ui.fonts().bold);
    }
}

void OfficerScreen::drawQueue(UiContext& ui, const OfficerSession& officer) {
    const Palette& c = ui.theme.colors;
    drawQueueHeader(ui);
    const bool searching = !m_search.empty();
    ImGuiWindow* window = ImGui::GetCurrentWindow();
    const float margin = ui.px(ui.theme.metrics.margin);
    const float width = window->Size.x - 2 * margin;
    // Column headings.
    {
        const ImVec2 at = ImGui::GetCursorScreenPos();
        static const char* const heads[6] = {"officer.col.code",   "officer.col.kind",
                                             "officer.col.status", "officer.col.received",
                                             "officer.col.due",    "officer.col.citizen"};
        for (int i = 0; i < 6; ++i) {
            const std::string head = ui.tr(heads[i]);
            checkGlyphs(ui.fonts().bold, head);
            window->DrawList->AddText(ui.fonts().bold, ui.fonts().bold->FontSize,
                                      ImVec2(at.x + ui.px(16) + kColumns[i] * (width - ui.px(40)), at.y),
                                      c.mutedText, head.c_str());
        }
        ImGui::Dummy(ImVec2(width, ui.fonts().bold->FontSize));
    }
    const ImVec2 pos = ImGui::GetCursorScreenPos();
    const float bottom = m_searchFocused ? keyboardHeight(ui) : ui.px(24);
    const ImVec2 size(width, window->Pos.y + window->Size.y - pos.y - bottom);
    const Date today = localFromUnix(ui.controller.nowUnix()).date;
    const size_t shown = searching ? m_matches.size() : m_rows.size();
    // Two lines of text: a due date with its mark ("Sắp đến hạn"), a long name.
    const float rowH =
        std::max(ui.px(ui.theme.metrics.smallButtonHeight), 2 * ui.fonts().body->FontSize + ui.px(10));
    if (size.y < rowH) {
        // Large text with the keyboard up leaves no room for a row: the count above says how many
        // match, and "Xong" shows them. (A list under the keyboard would take its taps.)
        if (m_searchFocused && m_keyboard.draw(ui, m_search, false)) m_searchFocused = false;
        return;
    }
    if (m_queueScroll.begin(ui, "queue.list", size)) {
        if (shown == 0 && (!searching || m_searchOpened >= m_rows.size()))
            text(ui, ui.tr(searching ? "officer.search.none" : "officer.queue.empty"), ui.fonts().bold);
        const float spacing = ImGui::GetStyle().ItemSpacing.y;
        ImGuiListClipper clipper;
        clipper.Begin(int(shown), rowH + spacing);
        std::optional<std::string> open;
        while (clipper.Step()) {
            // Search hits are open already; the plain queue opens the names of the rows it draws.
            if (!searching)
                ui.controller.openQueueNames(m_rows, size_t(clipper.DisplayStart),
                                             size_t(clipper.DisplayEnd));
            for (int i = clipper.DisplayStart; i < clipper.DisplayEnd; ++i) {
                const QueueRow& row = m_rows[searching ? m_matches[size_t(i)] : size_t(i)];
                if (queueRow(ui, row, size.x - ui.px(24), rowH, today)) open = row.record.code;
            }
        }
        clipper.End();
        if (open) {
            m_searchFocused = false;
            m_record.open(ui, officer, *open);
        }
    }
    m_queueScroll.end(ui);
    if (m_searchFocused && m_keyboard.draw(ui, m_search, false)) m_searchFocused = false;
}

void OfficerScreen::drawVoiceVolume(UiContext& ui) {
    // Five steps are enough for a room: a finger hits them, and 0 takes the button away.
    static constexpr int kLevels[5] = {0, 25, 50, 75, 100};
    text(ui, ui.tr("settings.voice_volume"), ui.fonts().bold);
    int chosen = 0;
    for (int i = 0; i < 5; ++i)
        if (std::abs(kLevels[i] - ui.voiceVolume) < std::abs(kLevels[chosen] - ui.voiceVolume)) chosen = i;
    if (optionRow(ui, "settings.volume", {ui.tr("settings.voice_volume.off"), "25%", "50%", "75%", "100%"},
                  chosen)) {
        ui.voiceVolume = kLevels[chosen];
        if (auto saved = ui.controller.saveVoiceVolume(ui.voiceVolume); !saved) m_error = saved.error();
    }
}

void OfficerScreen::drawSettings(UiContext& ui) {
    ImGuiWindow* window = ImGui::GetCurrentWindow();
    const float margin = ui.px(ui.theme.metrics.margin);
    const ImVec2 pos = ImGui::GetCursorScreenPos();
    const ImVec2 size(window->Size.x - 2 * margin, window->Pos.y + window->Size.y - pos.y - ui.px(24));
    if (m_settingsScroll.begin(ui, "settings.body", size)) {
        ImGui::PushTextWrapPos(size.x - ui.px(24));
        text(ui, ui.tr("settings.input_method"), ui.fonts().bold);
        ComposerOptions options = ui.inputOptions;
        int method = options.method == InputMethod::Vni ? 1 : 0;
        bool changed =
            optionRow(ui, "settings.method", {ui.tr("kb.mode.telex"), ui.tr("kb.mode.vni")}, method);
        text(ui, ui.tr("settings.tone_style"), ui.fonts().bold);
        int style = options.toneStyle == ToneStyle::New ? 1 : 0;
        changed |= optionRow(ui, "settings.style", {ui.tr("settings.style.old"), ui.tr("settings.style.new")},
                             style);
        if (changed) {
            options.method = method == 1 ? InputMethod::Vni : InputMethod::Telex;
            options.toneStyle = style == 1 ? ToneStyle::New : ToneStyle::Old;
            ui.inputOptions = options;
            if (auto saved = ui.controller.saveInputSettings(options); !saved) m_error = saved.error();
        }
        drawVoiceVolume(ui);
        vspace(ui, 16);
        drawConnectivity(ui, ui.controller.connectivity());
        vspace(ui, 8);
        ButtonSpec sync;
        sync.size = ImVec2(ui.px(520), ui.px(ui.theme.metrics.buttonHeight));
        sync.kind = ButtonKind::Secondary;
        if (button(ui, "settings.sync", ui.tr("officer.sync_now"), sync)) ui.controller.requestSync();
        if (m_error) text(ui, ui.text(*m_error), ui.fonts().bold, ui.theme.colors.danger);
        vspace(ui, 16);
        m_unprinted.draw(ui);
        ImGui::PopTextWrapPos();
    }
    m_settingsScroll.end(ui);
}

void OfficerScreen::draw(UiContext& ui, Navigator& nav) {
    if (!nav.officer()) {
        nav.go(ScreenId::OfficerLogin);
        return;
    }
    const OfficerSession officer = *nav.officer();
    const std::string title =
        ui.tr("officer.title") + "  ·  " + ui.trf("officer.logged_in_as", {officer.name});
    if (m_record.isOpen()) {
        if (topBar(ui, title, true)) {
            m_record.wipe();
            m_stale = true;
            return;
        }
        helpBanner(ui);
        if (m_record.draw(ui, officer)) m_stale = true;
        return;
    }
    topBar(ui, title, false);
    helpBanner(ui);
    // Tabs on the left, log out and exit on the right.
    const float gap = ui.px(20);
    const float h = ui.px(ui.theme.metrics.buttonHeight);
    const char* tabs[3] = {"officer.queue", "officer.register_dossier", "officer.settings"};
    const char* ids[3] = {"officer.tab.queue", "officer.tab.register", "officer.tab.settings"};
    for (int i = 0; i < 3; ++i) {
        if (i) ImGui::SameLine(0, gap);
        ButtonSpec spec;
        spec.size = ImVec2(ui.px(400), h);
        spec.kind = int(m_tab) == i ? ButtonKind::Selected : ButtonKind::Secondary;
        if (button(ui, ids[i], ui.tr(tabs[i]), spec)) {
            m_tab = Tab(i);
            m_stale = true;
        }
    }
    ImGuiWindow* window = ImGui::GetCurrentWindow();
    const float margin = ui.px(ui.theme.metrics.margin);
    const float right = window->Pos.x + window->Size.x - margin;
    const float y = ImGui::GetItemRectMin().y;
    ButtonSpec out;
    out.size = ImVec2(ui.px(260), h);
    out.kind = ButtonKind::Secondary;
    ImGui::SetCursorScreenPos(ImVec2(right - ui.px(260) - gap - ui.px(300), y));
    if (button(ui, "officer.logout", ui.tr("officer.logout"), out)) {
        nav.endSession();
        return;
    }
    ImGui::SetCursorScreenPos(ImVec2(right - ui.px(300), y));
    ButtonSpec exit;
    exit.size = ImVec2(ui.px(300), h);
    exit.kind = ButtonKind::Danger;
    if (button(ui, "officer.exit", ui.tr("officer.exit"), exit)) m_askExit = true;
    ImGui::SetCursorScreenPos(ImVec2(window->Pos.x + margin, y + h + ui.px(20)));
    // Days off of this year or the next not confirmed: deadlines there use the provisional Tết.
    if (const std::string years = provisionalYearsNear(ui); !years.empty())
        text(ui, ui.trf("officer.holidays_provisional", {years}), ui.fonts().bold, ui.theme.colors.warning,
             window->Size.x - 2 * margin);
    // The district named a successor for this kiosk's commune: every tab says so until it is moved.
    if (const ConnectivityState state = ui.controller.connectivity(); !state.successorCode.empty())
        text(ui,
             ui.trf("officer.commune_changed",
                    {unitNameMidSentence(state.successorName), state.successorCode}),
             ui.fonts().bold, ui.theme.colors.danger);
    // The commune ended and no succession names it: its records reach nobody until one is imported.
    if (const ConnectivityState state = ui.controller.connectivity(); state.orphaned)
        text(ui,
             ui.trf("units.orphaned", {ui.lang == Lang::En ? state.orphaned->displayName(true)
                                                           : unitNameMidSentence(state.orphaned->name),
                                       state.orphaned->code, ui.date(state.orphaned->since)}),
             ui.fonts().bold, ui.theme.colors.danger, window->Size.x - 2 * margin);

    // The district finds this kiosk's software too old: its own words (with the minimum version),
    // and what that means here.
    if (const ConnectivityState state = ui.controller.connectivity(); state.tooOld)
        text(ui, ui.trf("officer.too_old", {state.tooOld->text(ui.lang)}), ui.fonts().bold,
             ui.theme.colors.danger, window->Size.x - 2 * margin);

    switch (m_tab) {
        case Tab::Queue:
            drawQueue(ui, officer);
            break;
        case Tab::Register:
            m_dossier.draw(ui, nav, officer);
            break;
        case Tab::Settings:
            drawSettings(ui);
            break;
    }
    if (m_askExit) {
        const Answer a =
            confirmDialog(ui, "officer.exit_confirm", ui.tr("officer.exit_confirm"),
                          ui.tr("officer.exit_detail"), ui.tr("officer.exit"), ui.tr("common.cancel"), true);
        if (a == Answer::Yes) {
            m_askExit = false;
            ui.controller.requestExit();
        }
        if (a == Answer::No) m_askExit = false;
    }
}

}  // namespace kiosk::ui
