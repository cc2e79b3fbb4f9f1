#include "kiosk/printing/print_queue.h"

#include <ctime>

#include "kiosk/printing/cups_printer.h"

namespace kiosk::printing {

PrintQueue::PrintQueue(std::string dbPath, std::shared_ptr<const PaperResources> resources,
                       std::function<void()> onChange, Options options)
    : m_dbPath(std::move(dbPath)),
      m_resources(std::move(resources)),
      m_onChange(std::move(onChange)),
      m_options(options),
      m_thread([this] { run(); }) {}

PrintQueue::~PrintQueue() {
    {
        std::lock_guard lock(m_mutex);
        m_stopping = true;
    }
    m_wake.notify_all();
    m_thread.join();
}

void PrintQueue::enqueue(int64_t id, PaperRequest request) {
    {
        std::lock_guard lock(m_mutex);
        m_waiting.emplace_back(id, std::move(request));
        m_progress[id] = PaperProgress{PaperProgress::State::Printing, {}};
    }
    m_wake.notify_all();
}

PaperProgress PrintQueue::progress(int64_t id) const {
    std::lock_guard lock(m_mutex);
    auto it = m_progress.find(id);
    return it == m_progress.end() ? PaperProgress{} : it->second;
}

void PrintQueue::setProgress(int64_t id, PaperProgress progress) {
    {
        std::lock_guard lock(m_mutex);
        m_progress[id] = std::move(progress);
    }
    if (m_onChange) m_onChange();
}

void PrintQueue::run() {
    std::unique_ptr<store::KioskStore> store;
    while (true) {
        std::pair<int64_t, PaperRequest> item;
        {
            std::unique_lock lock(m_mutex);
            m_wake.wait(lock, [&] { return m_stopping || !m_waiting.empty(); });
            if (m_waiting.empty()) return;  // stopping with nothing left
            item = std::move(m_waiting.front());
            m_waiting.pop_front();
        }
        if (!store) {
            auto opened = store::KioskStore::open(m_dbPath);
            if (!opened) {
                // The row stays pending in the journal: the officers' list shows it for a retry.
                setProgress(item.first, PaperProgress{PaperProgress::State::Failed, opened.error()});
                continue;
            }
            store = std::move(*opened);
        }
        printOne(*store, item.first, item.second);
    }
}

void PrintQueue::printOne(store::KioskStore& store, int64_t id, const PaperRequest& request) {
    auto entry = printEntry(store, *m_resources, id, request, std::time(nullptr));
    if (!entry) {
        setProgress(id, PaperProgress{PaperProgress::State::Failed, entry.error()});
        return;
    }
    if (entry->status == store::PaperStatus::Failed) {
        setProgress(
            id, PaperProgress{PaperProgress::State::Failed,
                              makeError(entry->reasonCode, entry->reasonMessage, entry->reasonMessageEn)});
        return;
    }
    watchJob(store, id, entry->printer, static_cast<int>(entry->job));
}

void PrintQueue::watchJob(store::KioskStore& store, int64_t id, const std::string& printer, int job) {
    const auto deadline = std::chrono::steady_clock::now() + m_options.watch;
    while (std::chrono::steady_clock::now() < deadline) {
        const JobState state = jobState(printer, job);
        Error fault = state.fault;
        bool failed = state.kind == JobState::Kind::Failed;
        if (state.kind == JobState::Kind::Done) break;
        if (!failed)
            if (auto ready = readyPrinter(printer); !ready && ready.error().code != "printer.unreachable") {
                fault = ready.error();
                failed = true;
            }
        if (failed) {
            // A journal write that fails here leaves the paper marked printed; the screen still shows
            // the fault, and the officer who is told reprints it.
            (void)store::markPaperFailed(store, id, printer, fault, std::time(nullptr));
            setProgress(id, PaperProgress{PaperProgress::State::Failed, fault});
            return;
        }
        std::unique_lock lock(m_mutex);
        if (m_wake.wait_for(lock, m_options.poll, [&] { return m_stopping; })) break;
    }
    setProgress(id, PaperProgress{PaperProgress::State::Printed, {}});
}

}  // namespace kiosk::printing
