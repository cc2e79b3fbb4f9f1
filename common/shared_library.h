#pragma once
// A system library loaded at its first use rather than at the program's start.
//
// Why: the kiosk draws its first frame before anyone prints or asks it to speak, yet every library
// a program links is mapped and relocated before main(), and each one also slows the graphics
// driver's own loading (its symbols are looked up through every library already loaded). Cairo,
// Pango, CUPS, espeak-ng and ALSA bring about 55 libraries with them; loaded on first use, the
// window opens without them (docs/benchmarks.md, kiosk.first_frame_ms).
//
// How: a folder that calls such a library declares, in its own namespace, one function pointer per
// function it calls, named as the function (KIOSK_LIBRARY_POINTER). Its code calls them unchanged:
// inside that namespace the pointer hides the library's declaration, so a call that is missed
// fails to link (the library is not linked) instead of silently going around the loader. Before
// the first call it loads the library once (loadSharedLibrary); the pointers are set then, all or
// none, and never change again.
// It is not a plug-in system: the libraries are Debian's, named by the soname the package ships.
#include <initializer_list>
#include <mutex>

#include "common/result.h"

namespace kiosk::common {

// One function to look up: its name and where its address goes.
struct LibrarySymbol {
    const char* name;
    void (*store)(void* address);
};

// Loads `soname` (dlopen, symbols resolved now, kept local to it) and stores every symbol; the
// library stays loaded for the life of the process. Error "library.missing" (naming the library,
// in Vietnamese and English) when it cannot be loaded or lacks a symbol: nothing is stored then.
Outcome loadSharedLibrary(const char* soname, std::initializer_list<LibrarySymbol> symbols);

// Runs `load` once for all threads and answers its outcome to every caller after it.
class LoadOnce {
public:
    template <typename Load>
    Outcome operator()(Load&& load) {
        std::call_once(m_once, [&] { m_outcome = load(); });
        return m_outcome;
    }

private:
    std::once_flag m_once;
    Outcome m_outcome;
};

}  // namespace kiosk::common

// In a namespace: `name` becomes a pointer to the library function ::name, null until loaded.
#define KIOSK_LIBRARY_POINTER(name) inline decltype(&::name) name = nullptr;
// In loadSharedLibrary's list: looks ::name up and stores it into the pointer of that name.
#define KIOSK_LIBRARY_SYMBOL(name) \
    ::kiosk::common::LibrarySymbol{#name, [](void* a) { name = reinterpret_cast<decltype(name)>(a); }},
