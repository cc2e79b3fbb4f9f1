// kioskctl say and config: the kiosk's voice without a window (scripts, the installer's check of
// the loudspeaker, tests that measure the sound) and the settings an officer keeps in the database.
#include <cstdio>
#include <iostream>
#include <string>

#include <nlohmann/json.hpp>

#include "kiosk/cli/cli.h"
#include "kiosk/voice/speech.h"

namespace kiosk::cli {
namespace {

// --volume N: a whole number 0-100, or nullopt with an error printed.
std::optional<int> volumeOption(Context& ctx, int& exitCode) {
    const auto given = ctx.args.get("volume");
    if (!given) return std::nullopt;
    const auto parsed = store::parseMetaInteger(*given);
    if (!parsed || *parsed < 0 || *parsed > 100) {
        exitCode =
            ctx.fail("--volume phải là một số từ 0 đến 100.", "--volume must be a number from 0 to 100.");
        return std::nullopt;
    }
    return int(*parsed);
}

}  // namespace

int cmdSay(Context& ctx) {
    if (ctx.args.positional.size() != 1)
        return ctx.fail("Cần đúng một đoạn văn bản để đọc: kioskctl say \"VĂN BẢN\".",
                        "Give exactly one text to speak: kioskctl say \"TEXT\".");
    int bad = kOk;
    voice::SpeechOptions options;
    if (auto volume = volumeOption(ctx, bad))
        options.volume = *volume;
    else if (bad != kOk)
        return bad;
    else if (auto service = ctx.openService())
        options.volume = (*service)->voiceVolume();  // the officer's setting, when the kiosk has one
    const std::string& text = ctx.args.positional[0];
    const auto wav = ctx.args.get("wav");
    Outcome spoken;
    if (wav) {
        spoken = voice::speakToWav(text, options, *wav);
    } else {
        const std::atomic<bool> never{false};
        auto sink = voice::deviceSink();
        spoken = voice::speak(text, options, *sink, never);
    }
    // No voice data or no loudspeaker is the machine's state, not a bad command: try later.
    if (!spoken)
        return ctx.fail(spoken.error(), spoken.error().code == "voice.failed" ? kInternal : kTryLater);
    if (ctx.json)
        std::cout << nlohmann::json{{"volume", options.volume}, {"wav", wav ? nlohmann::json(*wav) : nullptr}}
                  << "\n";
    return kOk;
}

int cmdConfig(Context& ctx) {
    int bad = kOk;
    const std::optional<int> volume = volumeOption(ctx, bad);
    if (bad != kOk) return bad;
    auto service = ctx.openService();
    if (!service) return ctx.fail(service.error(), exitFor(service.error()));
    if (volume) {
        if (auto saved = (*service)->saveVoiceVolume(*volume); !saved)
            return ctx.fail(saved.error(), exitFor(saved.error()));
    }
    const int now = (*service)->voiceVolume();
    if (ctx.json)
        std::cout << nlohmann::json{{"volume", now}} << "\n";
    else
        std::printf("volume\t%d\n", now);
    return kOk;
}

}  // namespace kiosk::cli
