#include "tfcore/io/file_io.h"

#include "tfcore/core/threadpool.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <glob.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstring>
#include <random>
#include <thread>

namespace tfcore {
namespace io {

Status IOError(const std::string& context, int err) {
  std::string msg = context + "; " + std::strerror(err);
  switch (err) {
    case ENOENT:
    case ENOTDIR:
      return Status(Code::NOT_FOUND, msg);
    case EACCES:
    case EPERM:
    case EROFS:
      return Status(Code::PERMISSION_DENIED, msg);
    case ENOSPC:
    case EDQUOT:
    case ENOMEM:
    case EMFILE:
    case ENFILE:
      return Status(Code::RESOURCE_EXHAUSTED, msg);
    case EEXIST:
      return Status(Code::ALREADY_EXISTS, msg);
    case EISDIR:
    case ENAMETOOLONG:
    case EINVAL:
      return Status(Code::FAILED_PRECONDITION, msg);
    default:
      return Status(Code::UNKNOWN, msg);
  }
}

// ---------------------------------------------------------------- paths

std::string JoinPath(std::string_view a, std::string_view b) {
  if (a.empty()) return std::string(b);
  if (b.empty()) return std::string(a);
  if (!b.empty() && b[0] == '/') b.remove_prefix(1);
  std::string r(a);
  if (r.back() != '/') r += '/';
  r.append(b.data(), b.size());
  return r;
}

std::string Dirname(std::string_view path) {
  size_t pos = path.rfind('/');
  if (pos == std::string_view::npos) return "";
  if (pos == 0) return "/";
  return std::string(path.substr(0, pos));
}

std::string Basename(std::string_view path) {
  size_t pos = path.rfind('/');
  if (pos == std::string_view::npos) return std::string(path);
  return std::string(path.substr(pos + 1));
}

bool IsAbsolutePath(std::string_view path) { return !path.empty() && path[0] == '/'; }

// ---------------------------------------------------------------- queries

bool FileExists(const std::string& path) {
  struct stat st;
  return ::stat(path.c_str(), &st) == 0;
}

bool IsDirectory(const std::string& path) {
  struct stat st;
  return ::stat(path.c_str(), &st) == 0 && S_ISDIR(st.st_mode);
}

Status GetFileSize(const std::string& path, uint64_t* size) {
  struct stat st;
  if (::stat(path.c_str(), &st) != 0) return IOError(path, errno);
  *size = static_cast<uint64_t>(st.st_size);
  return Status::OK();
}

Status GetChildren(const std::string& dir, std::vector<std::string>* names) {
  names->clear();
  DIR* d = ::opendir(dir.c_str());
  if (!d) return IOError(dir, errno);
  while (struct dirent* e = ::readdir(d)) {
    if (std::strcmp(e->d_name, ".") == 0 || std::strcmp(e->d_name, "..") == 0) continue;
    names->emplace_back(e->d_name);
  }
  ::closedir(d);
  std::sort(names->begin(), names->end());
  return Status::OK();
}

Status GetMatchingPaths(const std::string& pattern, std::vector<std::string>* paths) {
  paths->clear();
  glob_t g;
  std::memset(&g, 0, sizeof(g));
  int rc = ::glob(pattern.c_str(), 0, nullptr, &g);
  if (rc == 0) {
    for (size_t i = 0; i < g.gl_pathc; ++i) paths->emplace_back(g.gl_pathv[i]);
  }
  ::globfree(&g);
  if (rc != 0 && rc != GLOB_NOMATCH) return errors::Unknown("glob failed for pattern ", pattern);
  std::sort(paths->begin(), paths->end());
  return Status::OK();
}

// ---------------------------------------------------------------- mutations

Status RenameFile(const std::string& from, const std::string& to) {
  if (::rename(from.c_str(), to.c_str()) != 0) return IOError("rename " + from + " to " + to, errno);
  return Status::OK();
}

Status DeleteFile(const std::string& path) {
  if (::unlink(path.c_str()) != 0) return IOError(path, errno);
  return Status::OK();
}

Status CreateDir(const std::string& dir) {
  if (::mkdir(dir.c_str(), 0777) != 0) return IOError(dir, errno);
  return Status::OK();
}

Status RecursivelyCreateDir(const std::string& dir) {
  if (dir.empty()) return Status::OK();
  if (IsDirectory(dir)) return Status::OK();
  std::string parent = Dirname(dir);
  if (!parent.empty() && parent != dir) TF_RETURN_IF_ERROR(RecursivelyCreateDir(parent));
  if (::mkdir(dir.c_str(), 0777) != 0 && errno != EEXIST) return IOError(dir, errno);
  if (!IsDirectory(dir)) return errors::FailedPrecondition(dir, " exists and is not a directory");
  return Status::OK();
}

Status DeleteRecursively(const std::string& path) {
  struct stat st;
  if (::lstat(path.c_str(), &st) != 0) return IOError(path, errno);
  if (S_ISDIR(st.st_mode)) {
    std::vector<std::string> kids;
    TF_RETURN_IF_ERROR(GetChildren(path, &kids));
    for (const auto& k : kids) TF_RETURN_IF_ERROR(DeleteRecursively(JoinPath(path, k)));
    if (::rmdir(path.c_str()) != 0) return IOError(path, errno);
    return Status::OK();
  }
  return DeleteFile(path);
}

Status SyncDir(const std::string& dir) {
  int fd = ::open(dir.empty() ? "." : dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return IOError(dir, errno);
  int rc = ::fsync(fd);
  int err = errno;
  ::close(fd);
  if (rc != 0) return IOError("fsync " + dir, err);
  return Status::OK();
}

std::string TempSuffix() {
  static std::atomic<uint64_t> counter{0};
  thread_local std::mt19937_64 rng(
      std::random_device{}() ^
      static_cast<uint64_t>(std::chrono::steady_clock::now().time_since_epoch().count()) ^
      (static_cast<uint64_t>(::getpid()) << 32) ^
      std::hash<std::thread::id>()(std::this_thread::get_id()));
  uint64_t v = rng() ^ (counter.fetch_add(1) * 0x9E3779B97F4A7C15ull);
  return ".tempstate" + std::to_string(v);
}

// ---------------------------------------------------------------- whole files

Status ReadFileToString(const std::string& path, std::string* out) {
  std::unique_ptr<RandomAccessFile> f;
  TF_RETURN_IF_ERROR(RandomAccessFile::Open(path, &f));
  out->resize(f->size());
  if (f->size() == 0) return Status::OK();
  return f->Read(0, f->size(), &(*out)[0]);
}

Status WriteStringToFile(const std::string& path, std::string_view data) {
  std::unique_ptr<WritableFile> f;
  TF_RETURN_IF_ERROR(WritableFile::Create(path, &f));
  TF_RETURN_IF_ERROR(f->Append(data));
  return f->Close();
}

Status WriteStringToFileAtomic(const std::string& path, std::string_view data, bool sync) {
  const std::string tmp = path + TempSuffix();
  Status s;
  {
    std::unique_ptr<WritableFile> f;
    s = WritableFile::Create(tmp, &f);
    if (!s.ok()) return s;
    s = f->Append(data);
    if (s.ok() && sync) s = f->Sync();
    if (s.ok()) s = f->Close();
  }
  if (s.ok()) s = RenameFile(tmp, path);
  if (!s.ok()) {
    ::unlink(tmp.c_str());
    return s;
  }
  if (sync) SyncDir(Dirname(path));  // best effort
  return Status::OK();
}

// ---------------------------------------------------------------- RandomAccessFile

Status RandomAccessFile::Open(const std::string& path, std::unique_ptr<RandomAccessFile>* out) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return IOError(path, errno);
  struct stat st;
  if (::fstat(fd, &st) != 0) {
    int err = errno;
    ::close(fd);
    return IOError(path, err);
  }
  if (S_ISDIR(st.st_mode)) {
    ::close(fd);
    return errors::FailedPrecondition(path, " is a directory");
  }
  out->reset(new RandomAccessFile(path, fd, static_cast<uint64_t>(st.st_size)));
  return Status::OK();
}

RandomAccessFile::~RandomAccessFile() {
  if (fd_ >= 0) ::close(fd_);
}

Status RandomAccessFile::Read(uint64_t offset, size_t n, char* dst, size_t* got) const {
  size_t done = 0;
  while (done < n) {
    size_t chunk = std::min<size_t>(n - done, size_t{1} << 30);
    ssize_t r = ::pread(fd_, dst + done, chunk, static_cast<off_t>(offset + done));
    if (r < 0) {
      if (errno == EINTR) continue;
      if (got) *got = done;
      return IOError("read " + path_, errno);
    }
    if (r == 0) break;
    done += static_cast<size_t>(r);
  }
  if (got) *got = done;
  if (done < n) {
    return errors::OutOfRange("read of ", n, " bytes at offset ", offset, " in ", path_,
                              " returned only ", done, " bytes");
  }
  return Status::OK();
}

// ---------------------------------------------------------------- WritableFile

namespace {
constexpr size_t kWriteBuffer = 1 << 20;  // 1 MiB; larger appends go straight to write(2)
}

WritableFile::WritableFile(std::string path, int fd, uint64_t pos, bool append)
    : path_(std::move(path)), fd_(fd), pos_(pos), append_(append) {
  buf_.reserve(kWriteBuffer);
}

Status WritableFile::Create(const std::string& path, std::unique_ptr<WritableFile>* out,
                            bool append) {
  int flags = O_WRONLY | O_CREAT | O_CLOEXEC | (append ? O_APPEND : O_TRUNC);
  int fd = ::open(path.c_str(), flags, 0666);
  if (fd < 0) return IOError(path, errno);
  uint64_t pos = 0;
  if (append) {
    struct stat st;
    if (::fstat(fd, &st) == 0) pos = static_cast<uint64_t>(st.st_size);
  }
  out->reset(new WritableFile(path, fd, pos, append));
  return Status::OK();
}

WritableFile::~WritableFile() {
  if (fd_ >= 0) {
    Flush();
    ::close(fd_);
  }
}

Status WritableFile::WriteRaw(const char* p, size_t n) {
  while (n > 0) {
    ssize_t w = ::write(fd_, p, std::min<size_t>(n, size_t{1} << 30));
    if (w < 0) {
      if (errno == EINTR) continue;
      sticky_ = IOError("write " + path_, errno);
      return sticky_;
    }
    p += w;
    n -= static_cast<size_t>(w);
  }
  return Status::OK();
}

Status WritableFile::WriteAt(const char* p, size_t n, uint64_t offset) {
  while (n > 0) {
    ssize_t w = ::pwrite(fd_, p, std::min<size_t>(n, size_t{1} << 30), static_cast<off_t>(offset));
    if (w < 0) {
      if (errno == EINTR) continue;
      return IOError("write " + path_, errno);
    }
    p += w;
    n -= static_cast<size_t>(w);
    offset += static_cast<uint64_t>(w);
  }
  return Status::OK();
}

Status WritableFile::AppendParallel(
    const char* p, size_t n, size_t piece,
    const std::function<void(int64_t, const char*, size_t)>& on_piece) {
  if (!sticky_.ok()) return sticky_;
  if (fd_ < 0) return errors::FailedPrecondition("append to closed file ", path_);
  piece = std::max<size_t>(piece, 1);
  const int64_t pieces = static_cast<int64_t>((n + piece - 1) / piece);
  if (append_ || pieces < 2) {
    for (int64_t i = 0; i < pieces; ++i) {
      const size_t off = static_cast<size_t>(i) * piece;
      on_piece(i, p + off, std::min(piece, n - off));
    }
    return Append(p, n);
  }
  TF_RETURN_IF_ERROR(Flush());
  const uint64_t base = pos_;
  std::vector<Status> errs(static_cast<size_t>(pieces));
  ParallelFor(pieces, int64_t{1} << 24, [&](int64_t b, int64_t e) {
    for (int64_t i = b; i < e; ++i) {
      const size_t off = static_cast<size_t>(i) * piece;
      const size_t len = std::min(piece, n - off);
      on_piece(i, p + off, len);
      errs[static_cast<size_t>(i)] = WriteAt(p + off, len, base + off);
    }
  });
  for (const Status& s : errs) {
    if (!s.ok()) {
      sticky_ = s;
      return s;
    }
  }
  pos_ += n;
  // Later buffered appends use write(2) at the file offset: move it too.
  if (::lseek(fd_, static_cast<off_t>(pos_), SEEK_SET) < 0) {
    sticky_ = IOError("seek " + path_, errno);
    return sticky_;
  }
  return Status::OK();
}

Status WritableFile::Append(std::string_view data) {
  if (!sticky_.ok()) return sticky_;
  if (fd_ < 0) return errors::FailedPrecondition("append to closed file ", path_);
  pos_ += data.size();
  if (buf_.size() + data.size() <= kWriteBuffer) {
    buf_.append(data.data(), data.size());
    return Status::OK();
  }
  TF_RETURN_IF_ERROR(Flush());
  if (data.size() >= kWriteBuffer / 2) return WriteRaw(data.data(), data.size());
  buf_.append(data.data(), data.size());
  return Status::OK();
}

Status WritableFile::Flush() {
  if (!sticky_.ok()) return sticky_;
  if (buf_.empty()) return Status::OK();
  Status s = WriteRaw(buf_.data(), buf_.size());
  buf_.clear();
  return s;
}

Status WritableFile::Sync() {
  TF_RETURN_IF_ERROR(Flush());
  if (fd_ >= 0 && ::fdatasync(fd_) != 0) return IOError("fsync " + path_, errno);
  return Status::OK();
}

Status WritableFile::Close() {
  if (fd_ < 0) return sticky_;
  Status s = Flush();
  if (::close(fd_) != 0 && s.ok()) s = IOError("close " + path_, errno);
  fd_ = -1;
  return s;
}

}  // namespace io
}  // namespace tfcore
