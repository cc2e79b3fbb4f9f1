#pragma once
// Small files that hold a secret of their own (the district's key file, a kiosk's token): mode
// 0600, written beside the target, fsynced and renamed over it, so a crash leaves the old file or
// the new one, never half of either. Any thread.
#include <optional>
#include <string>

#include "common/result.h"

namespace kiosk::common {

// Replaces `path` with `content` as described above; the rename is fsynced too. Error file.write.
Outcome writePrivateFile(const std::string& path, const std::string& content);

// The whole file; std::nullopt when it does not exist; an Error (file.read) when it exists and
// cannot be read, or when others than its owner may read it (file.mode: a secret that anyone on the
// machine could have copied is not treated as one).
Result<std::optional<std::string>> readPrivateFile(const std::string& path);

// A secret systemd gives a service (LoadCredential= / LoadCredentialEncrypted=NAME:…): the file
// $CREDENTIALS_DIRECTORY/NAME, read as readPrivateFile does; std::nullopt when the variable is not
// set or names no such file.
Result<std::optional<std::string>> readCredential(const std::string& name);

// `text` without the line end a file written by hand or by echo usually has ("\n", "\r\n").
std::string withoutLineEnd(std::string text);

}  // namespace kiosk::common
