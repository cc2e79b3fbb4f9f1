#include "common/private_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>

namespace kiosk::common {
namespace {

Error fileError(const char* code, const std::string& path, const char* vi, const char* en, int err) {
    return makeError(code, std::string(vi) + " " + path + ": " + std::strerror(err) + ".",
                     std::string(en) + " " + path + ": " + std::strerror(err) + ".");
}

}  // namespace

Outcome writePrivateFile(const std::string& path, const std::string& content) {
    const std::string temp = path + ".new";
    ::unlink(temp.c_str());
    const int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    auto failed = [&](int err) {
        return fileError("file.write", path, "Không ghi được tệp", "Cannot write the file", err);
    };
    if (fd < 0) return failed(errno);
    size_t done = 0;
    while (done < content.size()) {
        const ssize_t n = ::write(fd, content.data() + done, content.size() - done);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) {
            const int err = n < 0 ? errno : EIO;
            ::close(fd);
            ::unlink(temp.c_str());
            return failed(err);
        }
        done += size_t(n);
    }
    if (::fchmod(fd, 0600) != 0 || ::fsync(fd) != 0) {
        const int err = errno;
        ::close(fd);
        ::unlink(temp.c_str());
        return failed(err);
    }
    ::close(fd);
    if (::rename(temp.c_str(), path.c_str()) != 0) {
        const int err = errno;
        ::unlink(temp.c_str());
        return failed(err);
    }
    // The rename itself must reach the disk before anything relies on the new content.
    const auto parent = std::filesystem::path(path).parent_path();
    const int dir = ::open(parent.empty() ? "." : parent.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dir >= 0) {
        (void)::fsync(dir);
        ::close(dir);
    }
    return {};
}

Result<std::optional<std::string>> readCredential(const std::string& name) {
    const char* dir = std::getenv("CREDENTIALS_DIRECTORY");
    if (!dir || !*dir) return std::optional<std::string>();
    return readPrivateFile(std::string(dir) + "/" + name);
}

std::string withoutLineEnd(std::string text) {
    while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) text.pop_back();
    return text;
}

Result<std::optional<std::string>> readPrivateFile(const std::string& path) {
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        if (errno == ENOENT) return std::optional<std::string>();
        return fileError("file.read", path, "Không đọc được tệp", "Cannot read the file", errno);
    }
    struct stat st {};
    if (::fstat(fd, &st) != 0) {
        const int err = errno;
        ::close(fd);
        return fileError("file.read", path, "Không đọc được tệp", "Cannot read the file", err);
    }
    if (st.st_mode & (S_IRWXG | S_IRWXO)) {
        ::close(fd);
        return makeError("file.mode",
                         "Tệp bí mật " + path + " để người khác trên máy đọc được; hãy chạy “chmod 600 " +
                             path + "” rồi thử lại.",
                         "The secret file " + path +
                             " can be read by others on this machine; run “chmod 600 " + path +
                             "” and try again.");
    }
    std::string content;
    char buffer[4096];
    for (;;) {
        const ssize_t n = ::read(fd, buffer, sizeof buffer);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) {
            const int err = errno;
            ::close(fd);
            return fileError("file.read", path, "Không đọc được tệp", "Cannot read the file", err);
        }
        if (n == 0) break;
        content.append(buffer, size_t(n));
    }
    ::close(fd);
    return std::optional<std::string>(std::move(content));
}

}  // namespace kiosk::common
