// Local file helpers for checkpoints, graphs and event files.
//
// Errors follow TensorFlow's file-system conventions: a missing file is
// NOT_FOUND ("<path>; No such file or directory"), a permission problem
// PERMISSION_DENIED, a full disk RESOURCE_EXHAUSTED, anything else UNKNOWN.
// Short reads of a byte range are OUT_OF_RANGE so callers can turn them into
// DATA_LOSS naming their file format.
//
// Thread safety: RandomAccessFile::Read may be called concurrently (pread).
// A WritableFile is used by one thread at a time.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "tfcore/core/status.h"

namespace tfcore {
namespace io {

// ---------------------------------------------------------------- paths
std::string JoinPath(std::string_view a, std::string_view b);
// "a/b/c" -> "a/b"; "c" -> ""; "/c" -> "/".
std::string Dirname(std::string_view path);
// "a/b/c" -> "c".
std::string Basename(std::string_view path);
bool IsAbsolutePath(std::string_view path);

// ---------------------------------------------------------------- queries
bool FileExists(const std::string& path);
bool IsDirectory(const std::string& path);
Status GetFileSize(const std::string& path, uint64_t* size);
// Names (not paths) of the entries of `dir`, excluding "." and "..", sorted.
Status GetChildren(const std::string& dir, std::vector<std::string>* names);
// Shell-style glob (`*`, `?`, `[...]`) over files; sorted; empty if none.
Status GetMatchingPaths(const std::string& pattern, std::vector<std::string>* paths);

// ---------------------------------------------------------------- mutations
Status RenameFile(const std::string& from, const std::string& to);
// NOT_FOUND if missing.
Status DeleteFile(const std::string& path);
// mkdir (one level). ALREADY_EXISTS if it exists.
Status CreateDir(const std::string& dir);
// mkdir -p. OK if it already exists as a directory.
Status RecursivelyCreateDir(const std::string& dir);
// rm -r; NOT_FOUND if missing.
Status DeleteRecursively(const std::string& path);
// fsyncs a directory (makes a rename durable); errors are ignored by callers
// on file systems that do not support it.
Status SyncDir(const std::string& dir);

// A suffix unique to this process and call: ".tempstate<random decimal>".
std::string TempSuffix();

// ---------------------------------------------------------------- whole files
Status ReadFileToString(const std::string& path, std::string* out);
// Writes `data` to `<path>.tempstate<random>`, optionally fsyncs it, renames it
// to `path` (atomic on POSIX file systems) and fsyncs the directory when
// `sync` is set. On failure the temporary file is removed and `path` is left
// as it was.
Status WriteStringToFileAtomic(const std::string& path, std::string_view data, bool sync = true);
// Plain (non-atomic) write, truncating.
Status WriteStringToFile(const std::string& path, std::string_view data);

// ---------------------------------------------------------------- streams
class RandomAccessFile {
 public:
  static Status Open(const std::string& path, std::unique_ptr<RandomAccessFile>* out);
  ~RandomAccessFile();
  RandomAccessFile(const RandomAccessFile&) = delete;
  RandomAccessFile& operator=(const RandomAccessFile&) = delete;

  // Reads exactly n bytes at `offset` into dst. OUT_OF_RANGE (with the number
  // of bytes actually available in *got, when non-null) if the file ends first.
  Status Read(uint64_t offset, size_t n, char* dst, size_t* got = nullptr) const;
  uint64_t size() const { return size_; }
  const std::string& path() const { return path_; }

 private:
  RandomAccessFile(std::string path, int fd, uint64_t size) : path_(std::move(path)), fd_(fd), size_(size) {}
  std::string path_;
  int fd_;
  uint64_t size_;
};

class WritableFile {
 public:
  // Creates or truncates `path`.
  static Status Create(const std::string& path, std::unique_ptr<WritableFile>* out,
                       bool append = false);
  ~WritableFile();  // closes without reporting errors (call Close to see them)
  WritableFile(const WritableFile&) = delete;
  WritableFile& operator=(const WritableFile&) = delete;

  // Buffered append; large chunks bypass the buffer (no extra copy).
  Status Append(std::string_view data);
  Status Append(const char* p, size_t n) { return Append(std::string_view(p, n)); }
  // Appends n bytes as `piece`-sized pieces written concurrently with
  // pwrite(2) from the thread pool (a file being filled into a cold page
  // cache is written about twice as fast by two threads). `on_piece(i, p, len)`
  // runs on piece i just before it is written (while it is in cache), e.g. to
  // checksum it. Sequential in append mode, where pwrite cannot place data.
  Status AppendParallel(const char* p, size_t n, size_t piece,
                        const std::function<void(int64_t, const char*, size_t)>& on_piece);
  Status Flush();
  Status Sync();   // Flush + fdatasync
  Status Close();  // Flush + close; idempotent
  uint64_t Tell() const { return pos_; }
  const std::string& path() const { return path_; }

 private:
  WritableFile(std::string path, int fd, uint64_t pos, bool append);
  Status WriteRaw(const char* p, size_t n);
  Status WriteAt(const char* p, size_t n, uint64_t offset);
  std::string path_;
  int fd_;
  uint64_t pos_;
  bool append_;
  std::string buf_;
  Status sticky_;  // first write error: every later call returns it
};

// Maps errno to a Status: "<context>; <strerror>".
Status IOError(const std::string& context, int err);

}  // namespace io
}  // namespace tfcore
