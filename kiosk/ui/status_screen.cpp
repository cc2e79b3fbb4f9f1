#define IMGUI_DEFINE_MATH_OPERATORS
#include "kiosk/ui/status_screen.h"

#include <cmath>

#include "imgui_internal.h"
#include "core/receipt_code.h"

namespace kiosk::ui {
namespace {

std::string grouped(const std::string& digits) {
    std::string out;
    for (size_t i = 0; i < digits.size(); ++i) {
        if (i && i % 4 == 0) out += ' ';
        out += digits[i];
    }
    return out;
}

std::string statusKey(const Record& r) {
    return std::string("status.") + (r.kind == RecordKind::Dossier ? "dossier." : "petition.") +
           std::string(toSlug(r.status));
}

Error errorFromStrings(const UiContext& ui, const std::string& key) {
    return makeError(key, ui.strings.get(key, Lang::Vi), ui.strings.get(key, Lang::En));
}

}  // namespace

void CheckThrottle::update(const StatusCheck& check, double now, const std::string& typed) {
    if (typed != code) {
        forget();
        code = typed;
    }
    if (check.lockedSeconds > 0) blockedUntil = now + double(check.lockedSeconds);
    tries = check.triesLeft;
    failures = check.report || check.lockedSeconds > 0 ? 0 : failures + 1;
}

void CheckThrottle::forget() {
    wipeString(code);
    failures = 0;
    tries = 0;
    blockedUntil = 0;
}

void StatusScreen::enter(UiContext&) {
    if (!m_report && m_code.empty() && m_codeLetters.empty()) m_focus = Focus::Code;
}

void StatusScreen::wipeInput() {
    m_code.wipe();
    m_codeLetters.wipe();
    m_last4.wipe();
    m_letters = false;
    m_focus = Focus::Code;
    m_keyboard.reset();
}

void StatusScreen::wipe() {
    wipeInput();
    m_error.reset();
    m_showTriesLeft = false;
    if (m_report) {
        Record& r = m_report->record;
        for (std::string* s : {&r.code, &r.officialCode, &r.content, &r.resultNote}) wipeString(*s);
        for (HistoryLine& h : m_report->history) wipeString(h.note);
    }
    m_report.reset();
    m_rating.reset();
    m_scroll.scrollToTop();
    m_throttle.forget();
}

double StatusScreen::wakeIn(double now) const {
    if (!m_throttle.counting(now)) return INFINITY;
    const double left = m_throttle.blockedUntil - now;
    return std::max(0.05, left - std::floor(left));
}

void StatusScreen::submit(UiContext& ui) {
    m_showTriesLeft = false;
    if (m_throttle.blocked(typedCode(), ui.now)) return;
    std::string code;
    if (m_letters) {
        const std::string& typed = m_codeLetters.text();
        if (looksLikeOfficialCode(typed)) {
            code = typed;
        } else {
            auto parsed = parseReceiptCode(typed);
            if (!parsed) {
                m_error = errorFromStrings(ui, "check.official_format");
                return;
            }
            code = parsed->digits;
        }
    } else {
        auto parsed = parseReceiptCode(m_code.text());
        if (!parsed) {
            m_error = parsed.error();  // says which: length, or a digit typed wrong (check digit)
            m_focus = Focus::Code;
            return;
        }
        code = parsed->digits;
    }
    if (m_last4.codepoints() != 4) {
        m_error = errorFromStrings(ui, "error.phone4.format");
        m_focus = Focus::Last4;
        return;
    }
    auto found = ui.controller.checkStatus(code, m_last4.text());
    wipeString(code);
    if (!found) {
        m_error = found.error();
        return;
    }
    m_throttle.update(*found, ui.now, typedCode());
    if (!found->report) {
        // Not found, or refused: the code is locked and the countdown shows instead.
        m_error = errorFromStrings(ui, "check.not_found");
        m_showTriesLeft = !found->refused;
        m_focus = Focus::Code;  // the code is the likelier mistake; both stay as typed
        return;
    }
    m_error.reset();
    m_report = std::move(*found->report);
    wipeInput();
    m_focus = Focus::None;
    m_scroll.scrollToTop();
}

std::string StatusScreen::mainText(UiContext& ui) {
    if (!m_report)
        return spokenText({ui.tr("check.title"), ui.tr("check.code.hint"), ui.tr("check.phone4"),
                           ui.tr("check.phone4.hint"), m_error ? ui.text(*m_error) : std::string()});
    // The record's status sentence, not its codes: a code and a voice in a public room are enough
    // for a bystander to look the record up.
    const Record& r = m_report->record;
    const std::string kind = r.kind == RecordKind::Dossier
                                 ? ui.tr("kind.dossier")
                                 : ui.tr("petition.kind." + std::string(toSlug(r.petitionKind)) + ".name");
    std::string due;
    if (!isFinal(r.status) && !hasDue(r))
        due = ui.tr("receipt.due.none");
    else if (!isFinal(r.status))
        due = ui.deadlineLabel(r) + ": " + ui.date(r.due) +
              (m_report->overdue ? ". " + ui.tr("check.overdue_label") : std::string());
    return spokenText({ui.tr("check.kind") + ": " + kind, ui.tr("check.status") + ": " + ui.tr(statusKey(r)),
                       ui.tr(statusKey(r) + ".explain"), due});
}

void StatusScreen::drawInput(UiContext& ui, Navigator& nav) {
    const Palette& c = ui.theme.colors;
    if (topBar(ui, ui.tr("check.title"), true)) {
        nav.endSession();
        return;
    }
    ImGuiWindow* window = ImGui::GetCurrentWindow();
    const float margin = ui.px(ui.theme.metrics.margin);
    const float width = window->Size.x - 2 * margin;
    const float gap = ui.px(40);
    const float codeW = width * 0.58f;
    const float last4W = width - codeW - gap;
    const bool blocked = m_throttle.blocked(typedCode(), ui.now);

    const float top = ImGui::GetCursorPosY();
    ImGui::BeginGroup();
    const std::string display = m_letters ? m_codeLetters.text() : grouped(m_code.text());
    FieldSpec code;
    code.label = ui.tr(m_letters ? "check.official_code" : "check.code");
    code.hint = ui.tr("check.code.hint");
    code.focused = m_focus == Focus::Code;
    code.width = codeW;
    code.display = &display;
    if (textField(ui, "status.code", m_letters ? m_codeLetters : m_code, code)) m_focus = Focus::Code;
    ImGui::EndGroup();
    ImGui::SameLine(0, gap);
    ImGui::SetCursorPosY(top);
    ImGui::BeginGroup();
    FieldSpec last4;
    last4.label = ui.tr("check.phone4");
    last4.hint = ui.tr("check.phone4.hint");
    last4.focused = m_focus == Focus::Last4;
    last4.width = last4W;
    if (textField(ui, "status.last4", m_last4, last4)) m_focus = Focus::Last4;
    ImGui::EndGroup();

    vspace(ui, 8);
    ButtonSpec go;
    go.size = ImVec2(ui.px(520), ui.px(ui.theme.metrics.buttonHeight));
    go.enabled = !blocked;
    if (button(ui, "status.submit", ui.tr("check.submit"), go)) submit(ui);
    ImGui::SameLine(0, gap);
    ButtonSpec mode;
    mode.size = ImVec2(ui.px(560), ui.px(ui.theme.metrics.buttonHeight));
    mode.kind = ButtonKind::Secondary;
    if (button(ui, "status.mode", ui.tr(m_letters ? "check.use_digits" : "check.use_letters"), mode)) {
        m_letters = !m_letters;
        m_focus = Focus::Code;
        m_error.reset();
    }
    vspace(ui, 4);
    if (blocked) {
        const int seconds = int(std::ceil(m_throttle.blockedUntil - ui.now));
        text(ui, ui.trf("check.cooldown", {ui.trf("time.seconds", {std::to_string(seconds)})}),
             ui.fonts().bold, c.danger);
    } else if (m_error) {
        std::string message = ui.text(*m_error);
        if (m_showTriesLeft && typedCode() == m_throttle.code)
            message += " " + ui.trf("check.tries_left", {std::to_string(m_throttle.triesLeft())});
        text(ui, message, ui.fonts().bold, c.danger);
    }

    TextField& field = m_focus == Focus::Last4 ? m_last4 : (m_letters ? m_codeLetters : m_code);
    if (m_focus == Focus::None) m_focus = Focus::Code;
    if (m_focus == Focus::Code && m_letters) {
        if (m_keyboard.draw(ui, field, false)) m_focus = Focus::Last4;
    } else {
        const PadResult r =
            numericPad(ui, field, m_focus == Focus::Code ? ui.tr("check.use_letters") : std::string());
        if (r == PadResult::Extra) {
            m_letters = true;
            m_error.reset();
        } else if (r == PadResult::Done) {
            if (m_focus == Focus::Code)
                m_focus = Focus::Last4;
            else
                submit(ui);
        }
    }
}

void StatusScreen::drawResult(UiContext& ui, Navigator& nav) {
    const Palette& c = ui.theme.colors;
    if (topBar(ui, ui.tr("check.result.title"), true)) {
        wipe();
        return;
    }
    const StatusReport& report = *m_report;
    const Record& r = report.record;
    ImGuiWindow* window = ImGui::GetCurrentWindow();
    const float margin = ui.px(ui.theme.metrics.margin);
    const ImVec2 bodyPos = ImGui::GetCursorScreenPos();
    const ImVec2 bodySize(
        window->Size.x - 2 * margin,
        window->Pos.y + window->Size.y - ui.px(ui.theme.metrics.bottomBar) - bodyPos.y - ui.px(16));
    if (m_scroll.begin(ui, "status.body", bodySize)) {
        ImGui::PushTextWrapPos(bodySize.x - ui.px(24));
        text(ui, ui.tr("receipt.code") + ": " + formatReceiptCode(r.code), ui.fonts().heading);
        if (!r.officialCode.empty())
            text(ui, ui.tr("check.official_code") + ": " + r.officialCode, ui.fonts().bold);
        std::string kind;
        if (r.kind == RecordKind::Dossier) {
            kind = ui.tr("kind.dossier");
            if (const Procedure* p = ui.controller.reference().procedure(r.procedureCode))
                kind += " — " + p->name;
        } else {
            kind = ui.tr("petition.kind." + std::string(toSlug(r.petitionKind)) + ".name");
        }
        text(ui, ui.tr("check.kind") + ": " + kind, ui.fonts().body);
        vspace(ui, 4);
        noteBox(ui, ui.tr(statusKey(r) + ".explain"), c.noteBackground, c.primary, nullptr,
                ui.tr("check.status") + ": " + ui.tr(statusKey(r)));
        if (isFinal(r.status)) m_rating.draw(ui, r.code, RatingStage::Finished);
        text(ui, ui.tr("check.received_on") + ": " + ui.date(r.receivedOn), ui.fonts().body);
        // Passed on, or a suspended khiếu nại: this unit's clock is stopped, so no date is shown as running.
        const bool clockStopped = r.status == RecordStatus::Transferred ||
                                  (r.kind == RecordKind::Petition && r.status == RecordStatus::Suspended);
        if (!clockStopped && !isFinal(r.status) && !hasDue(r)) {
            text(ui, ui.tr("receipt.due.none"), ui.fonts().bold);
        } else if (!clockStopped && !isFinal(r.status)) {
            const Date today = localFromUnix(ui.controller.nowUnix()).date;
            std::string due = ui.deadlineLabel(r) + ": " + ui.date(r.due) + "  —  ";
            ImU32 color = c.success;
            if (report.overdue) {
                const int days = int(today.toDays() - r.due.toDays());
                due += ui.trf("check.overdue", {ui.limitText(Limit{days, false})});
                color = c.danger;
            } else if (r.due == today) {
                due += ui.tr("check.due_today");
                color = c.warning;
            } else {
                due += ui.tr("check.on_time");
            }
            text(ui, due, ui.fonts().bold, color);
            if (report.overdue) text(ui, ui.tr("check.overdue_note"), ui.fonts().body);
            if (isDenunciation(r) && r.extensions > 0)
                text(ui,
                     ui.trf("check.extended", {std::to_string(r.extensions),
                                               ui.tr("complexity." + std::string(toSlug(complexity(r))))}),
                     ui.fonts().body);
        }
        if (!r.resultNote.empty()) {
            const bool result = r.status == RecordStatus::Resolved || r.status == RecordStatus::ResultReady ||
                                r.status == RecordStatus::Delivered;
            text(ui, ui.tr(result ? "check.result_note" : "check.reason") + ": " + r.resultNote,
                 ui.fonts().bold);
        }
        if (r.status == RecordStatus::Transferred)
            text(ui,
                 ui.trf("check.transferred_to",
                        {agencyName(report.agencies, r.transferAgency, ui.lang == Lang::En)}),
                 ui.fonts().bold);
        if (r.status == RecordStatus::Suspended && r.kind == RecordKind::Petition)
            text(ui, ui.tr("check.suspended_note"), ui.fonts().body);
        if (!r.withdrawnParts.empty())
            text(ui, ui.tr("check.withdrawn_parts") + ": " + r.withdrawnParts, ui.fonts().body);
        if (r.kind == RecordKind::Dossier)
            text(ui, ui.tr(r.delivery == Delivery::Post ? "check.delivery.post" : "check.delivery.counter"),
                 ui.fonts().body);
        vspace(ui, 8);
        text(ui, ui.tr("check.history"), ui.fonts().heading);
        for (const HistoryLine& h : report.history) {
            Record at = r;
            at.status = h.status;
            text(ui, ui.dateTime(h.at) + "  —  " + ui.tr(statusKey(at)), ui.fonts().bold);
            if (!h.note.empty()) text(ui, h.note, ui.fonts().body, c.mutedText);
        }
        vspace(ui, 8);
        if (report.syncedAt > 0)
            text(ui, ui.trf("check.as_of", {ui.dateTime(report.syncedAt)}), ui.fonts().bold);
        else
            text(ui, ui.tr("check.as_of_offline"), ui.fonts().body, c.mutedText);
        ImGui::PopTextWrapPos();
    }
    m_scroll.end(ui);
    const BarChoice choice =
        bottomBar(ui, "status.home", ui.tr("common.home"), "status.again", ui.tr("check.new_search"));
    if (choice == BarChoice::Left) nav.endSession();
    if (choice == BarChoice::Right) wipe();
}

void StatusScreen::draw(UiContext& ui, Navigator& nav) {
    if (m_report)
        drawResult(ui, nav);
    else
        drawInput(ui, nav);
}

}  // namespace kiosk::ui
