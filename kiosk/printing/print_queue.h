#pragma once
// The window's printer thread: papers the UI thread journaled (kiosk/store/print_journal.h) are
// drawn, sent to CUPS and watched here, so a slow or absent printer never holds a frame. After CUPS
// accepts a job the queue watches it for a while (`watch`): a job CUPS then aborts, or a printer
// that stops or runs out of paper meanwhile, turns the paper failed with the reason.
// It is not: the journal (the UI thread writes the pending row before enqueue, so a crash loses
// nothing), nor the screens (they poll progress()).
// Threads: enqueue() and progress() from any thread; the work runs on the queue's own thread with
// its own connection to the kiosk database; onChange is called on that thread.
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "kiosk/printing/paper_service.h"

namespace kiosk::printing {

struct PaperProgress {
    enum class State {
        Unknown,   // not a paper of this queue
        Printing,  // waiting for the printer, or CUPS has it and has not finished
        Printed,   // CUPS finished the job, or kept it through the watch without a fault
        Failed,    // see fault; the journal has it as failed
    };
    State state = State::Unknown;
    Error fault;
};

class PrintQueue {
public:
    struct Options {
        std::chrono::milliseconds watch{20000};  // how long a job is watched after CUPS accepted it
        std::chrono::milliseconds poll{150};     // how often CUPS is asked meanwhile
    };
    PrintQueue(std::string dbPath, std::shared_ptr<const PaperResources> resources,
               std::function<void()> onChange, Options options);
    PrintQueue(std::string dbPath, std::shared_ptr<const PaperResources> resources,
               std::function<void()> onChange)
        : PrintQueue(std::move(dbPath), std::move(resources), std::move(onChange), Options{}) {}
    ~PrintQueue();  // finishes the paper in hand (its watch cut short), then stops
    PrintQueue(const PrintQueue&) = delete;
    PrintQueue& operator=(const PrintQueue&) = delete;

    // Prints journal entry `id` (already pending) on the queue's thread.
    void enqueue(int64_t id, PaperRequest request);
    PaperProgress progress(int64_t id) const;

private:
    void run();
    void printOne(store::KioskStore& store, int64_t id, const PaperRequest& request);
    void watchJob(store::KioskStore& store, int64_t id, const std::string& printer, int job);
    void setProgress(int64_t id, PaperProgress progress);

    const std::string m_dbPath;
    const std::shared_ptr<const PaperResources> m_resources;
    const std::function<void()> m_onChange;
    const Options m_options;
    mutable std::mutex m_mutex;
    std::condition_variable m_wake;
    std::deque<std::pair<int64_t, PaperRequest>> m_waiting;
    std::map<int64_t, PaperProgress> m_progress;
    bool m_stopping = false;
    std::thread m_thread;  // last: started once everything above exists
};

}  // namespace kiosk::printing
