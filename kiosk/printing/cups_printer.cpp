#include "kiosk/printing/cups_printer.h"

#include <cups/cups.h>
#include <cups/ipp.h>

#include "common/shared_library.h"

namespace kiosk::printing {
namespace {

// libcups is loaded at the first paper printed, not at the kiosk's start
// (common/shared_library.h): each function this file calls is a pointer of the same name.
// clang-format off
#define KIOSK_CUPS_FUNCTIONS(X)                                                                    \
    X(cupsCancelJob2) X(cupsCreateJob) X(cupsDoRequest) X(cupsEncryption) X(cupsFinishDocument)    \
    X(cupsFreeDests) X(cupsGetNamedDest) X(cupsGetOption) X(cupsLastError)                         \
    X(cupsLastErrorString) X(cupsServer) X(cupsStartDocument) X(cupsUser)                          \
    X(cupsWriteRequestData) X(httpAssembleURIf) X(httpClose) X(httpConnect2) X(ippAddString)       \
    X(ippDelete) X(ippFindAttribute) X(ippGetCount) X(ippGetInteger) X(ippGetString)               \
    X(ippNewRequest) X(ippPort)
// clang-format on
KIOSK_CUPS_FUNCTIONS(KIOSK_LIBRARY_POINTER)

Outcome loadCups() {
    static common::LoadOnce once;
    return once([] {
        return common::loadSharedLibrary("libcups.so.2", {KIOSK_CUPS_FUNCTIONS(KIOSK_LIBRARY_SYMBOL)});
    });
}

Error unreachable() {
    return makeError("printer.unreachable", "Không kết nối được dịch vụ in (CUPS) của máy.",
                     "The kiosk's print service (CUPS) does not answer.");
}

bool serverDown() {
    const ipp_status_t status = cupsLastError();
    if (status == IPP_STATUS_ERROR_SERVICE_UNAVAILABLE || status == IPP_STATUS_ERROR_INTERNAL ||
        status == IPP_STATUS_ERROR_DEVICE)
        return true;
    // libcups answers "not found" for a named queue when no scheduler answered at all: ask it.
    http_t* http =
        httpConnect2(cupsServer(), ippPort(), nullptr, AF_UNSPEC, cupsEncryption(), 1, 3000, nullptr);
    if (!http) return true;
    httpClose(http);
    return false;
}

std::string option(const cups_dest_t* dest, const char* name) {
    const char* value = cupsGetOption(name, dest->num_options, dest->options);
    return value ? value : "";
}

bool paperOut(const std::string& reasons) {
    return reasons.find("media-empty") != std::string::npos ||
           reasons.find("media-needed") != std::string::npos;
}

Error paperOutError(const std::string& printer) {
    return makeError("printer.paper-out", "Máy in " + printer + " hết giấy.",
                     "Printer " + printer + " is out of paper.");
}

}  // namespace

Result<std::string> readyPrinter(const std::string& name) {
    if (auto loaded = loadCups(); !loaded) return loaded.error();
    cups_dest_t* dest = cupsGetNamedDest(CUPS_HTTP_DEFAULT, name.empty() ? nullptr : name.c_str(), nullptr);
    if (!dest) {
        if (serverDown()) return unreachable();
        if (name.empty())
            return makeError("printer.none", "Chưa đặt máy in mặc định (kioskctl init --printer TÊN).",
                             "No default printer is set (kioskctl init --printer NAME).");
        return makeError("printer.unknown", "Không có máy in tên “" + name + "”.",
                         "No printer named “" + name + "”.");
    }
    const std::string queue = dest->name;
    const std::string state = option(dest, "printer-state");
    const std::string accepting = option(dest, "printer-is-accepting-jobs");
    const std::string reasons = option(dest, "printer-state-reasons");
    const std::string message = option(dest, "printer-state-message");
    cupsFreeDests(1, dest);
    if (paperOut(reasons)) return paperOutError(queue);
    if (state == "5") {  // IPP_PSTATE_STOPPED
        const std::string why = message.empty() ? reasons : message;
        return makeError("printer.stopped", "Máy in " + queue + " đang dừng (" + why + ").",
                         "Printer " + queue + " is stopped (" + why + ").");
    }
    if (accepting == "false")
        return makeError("printer.rejecting", "Máy in " + queue + " đang không nhận lệnh in.",
                         "Printer " + queue + " is not accepting jobs.");
    return queue;
}

Result<int> submitPdf(const std::string& printer, const std::string& title, const std::string& pdf) {
    if (auto loaded = loadCups(); !loaded) return loaded.error();
    const int job = cupsCreateJob(CUPS_HTTP_DEFAULT, printer.c_str(), title.c_str(), 0, nullptr);
    if (job <= 0) {
        if (serverDown()) return unreachable();
        const std::string why = cupsLastErrorString();
        return makeError("printer.job-refused", "Máy in không nhận lệnh in: " + why,
                         "The printer refused the job: " + why);
    }
    http_status_t status =
        cupsStartDocument(CUPS_HTTP_DEFAULT, printer.c_str(), job, title.c_str(), CUPS_FORMAT_PDF, 1);
    if (status == HTTP_STATUS_CONTINUE)
        status = cupsWriteRequestData(CUPS_HTTP_DEFAULT, pdf.data(), pdf.size());
    const ipp_status_t finished = cupsFinishDocument(CUPS_HTTP_DEFAULT, printer.c_str());
    if (status != HTTP_STATUS_CONTINUE || finished > IPP_STATUS_OK_CONFLICTING) {
        const std::string why = cupsLastErrorString();
        cupsCancelJob2(CUPS_HTTP_DEFAULT, printer.c_str(), job, 0);
        if (serverDown()) return unreachable();
        return makeError("printer.job-refused", "Máy in không nhận lệnh in: " + why,
                         "The printer refused the job: " + why);
    }
    return job;
}

JobState jobState(const std::string& printer, int job) {
    if (!loadCups()) return {};  // nothing known; submitPdf said why
    ipp_t* request = ippNewRequest(IPP_OP_GET_JOB_ATTRIBUTES);
    char uri[1024];
    httpAssembleURIf(HTTP_URI_CODING_ALL, uri, sizeof uri, "ipp", nullptr, "localhost", 0, "/jobs/%d", job);
    ippAddString(request, IPP_TAG_OPERATION, IPP_TAG_URI, "job-uri", nullptr, uri);
    ippAddString(request, IPP_TAG_OPERATION, IPP_TAG_NAME, "requesting-user-name", nullptr, cupsUser());
    ipp_t* response = cupsDoRequest(CUPS_HTTP_DEFAULT, request, "/");
    JobState out;
    if (!response) return out;  // CUPS went away: nothing known yet, the caller asks again
    ipp_attribute_t* state = ippFindAttribute(response, "job-state", IPP_TAG_ENUM);
    ipp_attribute_t* reasons = ippFindAttribute(response, "job-state-reasons", IPP_TAG_KEYWORD);
    ipp_attribute_t* message = ippFindAttribute(response, "job-printer-state-message", IPP_TAG_TEXT);
    std::string why;
    for (int i = 0; reasons && i < ippGetCount(reasons); ++i)
        why += std::string(i ? "," : "") + ippGetString(reasons, i, nullptr);
    const std::string text =
        message && ippGetString(message, 0, nullptr) ? ippGetString(message, 0, nullptr) : why;
    const int value = state ? ippGetInteger(state, 0) : IPP_JSTATE_PENDING;
    ippDelete(response);
    if (value == IPP_JSTATE_COMPLETED) {
        out.kind = JobState::Kind::Done;
    } else if (value == IPP_JSTATE_ABORTED || value == IPP_JSTATE_CANCELED || value == IPP_JSTATE_STOPPED) {
        out.kind = JobState::Kind::Failed;
        out.fault = makeError("printer.job-failed", "Máy in " + printer + " không in được: " + text,
                              "Printer " + printer + " could not print: " + text);
    } else if (paperOut(why)) {
        out.kind = JobState::Kind::Failed;
        out.fault = paperOutError(printer);
    }
    return out;
}

}  // namespace kiosk::printing
