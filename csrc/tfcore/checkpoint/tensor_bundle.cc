#include "tfcore/checkpoint/tensor_bundle.h"

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <set>

#include "tfcore/core/crc32c.h"
#include "tfcore/core/threadpool.h"
#include "tfcore/io/proto_wire.h"
#include "tfcore/io/tensor_proto.h"

namespace tfcore {
namespace checkpoint {

namespace {
// BundleEntryProto
constexpr uint32_t kEntryDtype = 1, kEntryShape = 2, kEntryShardId = 3, kEntryOffset = 4,
                   kEntrySize = 5, kEntryCrc = 6, kEntrySlices = 7;
// BundleHeaderProto
constexpr uint32_t kHeaderNumShards = 1, kHeaderEndianness = 2, kHeaderVersion = 3;
// VersionDef
constexpr uint32_t kVersionProducer = 1, kVersionMinConsumer = 2, kVersionBadConsumers = 3;
// TensorSliceProto / Extent
constexpr uint32_t kSliceExtent = 1, kExtentStart = 1, kExtentLength = 2;

constexpr int32_t kTensorBundleVersion = 1;       // producer we write
constexpr int32_t kTensorBundleMinConsumer = 0;   // oldest reader that can read it

// Read granularity: the CRC of a chunk is computed right after it is read,
// while the bytes are still in cache.
constexpr size_t kReadChunk = size_t{8} << 20;
}  // namespace

std::string MetaFilename(std::string_view prefix) { return std::string(prefix) + ".index"; }

std::string DataFilename(std::string_view prefix, int shard_id, int num_shards) {
  char buf[64];
  std::snprintf(buf, sizeof(buf), ".data-%05d-of-%05d", shard_id, num_shards);
  return std::string(prefix) + buf;
}

// ---------------------------------------------------------------- protos

std::string EncodeBundleEntry(const BundleEntry& e) {
  proto::Writer w;
  w.Int32IfNonZero(kEntryDtype, static_cast<int32_t>(e.dtype));
  w.Nested(kEntryShape, [&](proto::Writer& s) { proto::EncodeTensorShape(PartialShape(e.shape), &s); });
  w.Int32IfNonZero(kEntryShardId, e.shard_id);
  w.Int64IfNonZero(kEntryOffset, e.offset);
  w.Int64IfNonZero(kEntrySize, e.size);
  w.Fixed32(kEntryCrc, e.crc32c);
  for (const auto& slice : e.slices) {
    w.Nested(kEntrySlices, [&](proto::Writer& sw) {
      for (const auto& ext : slice) {
        sw.Nested(kSliceExtent, [&](proto::Writer& xw) {
          xw.Int64IfNonZero(kExtentStart, ext.start);
          if (ext.length >= 0) xw.Int64(kExtentLength, ext.length);
        });
      }
    });
  }
  return w.Release();
}

Status DecodeBundleEntry(std::string_view bytes, BundleEntry* e) {
  *e = BundleEntry();
  proto::Reader r(bytes);
  proto::Field f;
  while (r.Next(&f)) {
    switch (f.number) {
      case kEntryDtype: {
        int32_t v;
        TF_RETURN_IF_ERROR(f.AsInt32(&v));
        e->dtype = static_cast<DataType>(v);
        break;
      }
      case kEntryShape: {
        std::string_view s;
        TF_RETURN_IF_ERROR(f.AsBytes(&s));
        TF_RETURN_IF_ERROR(proto::DecodeTensorShape(s, &e->shape));
        break;
      }
      case kEntryShardId: TF_RETURN_IF_ERROR(f.AsInt32(&e->shard_id)); break;
      case kEntryOffset: TF_RETURN_IF_ERROR(f.AsInt64(&e->offset)); break;
      case kEntrySize: TF_RETURN_IF_ERROR(f.AsInt64(&e->size)); break;
      case kEntryCrc: TF_RETURN_IF_ERROR(f.AsFixed32(&e->crc32c)); break;
      case kEntrySlices: {
        std::string_view s;
        TF_RETURN_IF_ERROR(f.AsBytes(&s));
        std::vector<TensorSliceExtent> slice;
        proto::Reader sr(s);
        proto::Field sf;
        while (sr.Next(&sf)) {
          if (sf.number != kSliceExtent) continue;
          std::string_view xs;
          TF_RETURN_IF_ERROR(sf.AsBytes(&xs));
          TensorSliceExtent ext;
          proto::Reader xr(xs);
          proto::Field xf;
          while (xr.Next(&xf)) {
            if (xf.number == kExtentStart) TF_RETURN_IF_ERROR(xf.AsInt64(&ext.start));
            if (xf.number == kExtentLength) TF_RETURN_IF_ERROR(xf.AsInt64(&ext.length));
          }
          TF_RETURN_IF_ERROR(xr.status());
          slice.push_back(ext);
        }
        TF_RETURN_IF_ERROR(sr.status());
        e->slices.push_back(std::move(slice));
        break;
      }
      default: break;
    }
  }
  return r.status();
}

std::string EncodeBundleHeader(const BundleHeader& h) {
  proto::Writer w;
  w.Int32IfNonZero(kHeaderNumShards, h.num_shards);
  w.Int32IfNonZero(kHeaderEndianness, h.endianness);
  w.Nested(kHeaderVersion, [&](proto::Writer& v) {
    v.Int32IfNonZero(kVersionProducer, h.producer);
    v.Int32IfNonZero(kVersionMinConsumer, h.min_consumer);
    v.PackedVarint(kVersionBadConsumers, h.bad_consumers);
  });
  return w.Release();
}

Status DecodeBundleHeader(std::string_view bytes, BundleHeader* h) {
  *h = BundleHeader();
  proto::Reader r(bytes);
  proto::Field f;
  while (r.Next(&f)) {
    switch (f.number) {
      case kHeaderNumShards: TF_RETURN_IF_ERROR(f.AsInt32(&h->num_shards)); break;
      case kHeaderEndianness: TF_RETURN_IF_ERROR(f.AsInt32(&h->endianness)); break;
      case kHeaderVersion: {
        std::string_view vb;
        TF_RETURN_IF_ERROR(f.AsBytes(&vb));
        proto::Reader vr(vb);
        proto::Field vf;
        while (vr.Next(&vf)) {
          if (vf.number == kVersionProducer) TF_RETURN_IF_ERROR(vf.AsInt32(&h->producer));
          if (vf.number == kVersionMinConsumer) TF_RETURN_IF_ERROR(vf.AsInt32(&h->min_consumer));
          if (vf.number == kVersionBadConsumers) TF_RETURN_IF_ERROR(vf.AppendInt32s(&h->bad_consumers));
        }
        TF_RETURN_IF_ERROR(vr.status());
        break;
      }
      default: break;
    }
  }
  return r.status();
}

// ---------------------------------------------------------------- writer

bool BundleWriter::Options::DefaultSync() {
  const char* env = std::getenv("TFCORE_CHECKPOINT_SYNC");
  return env != nullptr && env[0] != '\0' && env[0] != '0';
}

BundleWriter::BundleWriter(std::string prefix, Options options)
    : prefix_(std::move(prefix)), options_(options) {
  const std::string dir = io::Dirname(prefix_);
  if (!dir.empty() && !io::IsDirectory(dir)) {
    // TF creates the immediate parent only (not recursively); a missing
    // grandparent surfaces as the NOT_FOUND of the file creation below.
    io::CreateDir(dir).ok();
  }
  data_tmp_ = DataFilename(prefix_, 0, 1) + io::TempSuffix();
  status_ = io::WritableFile::Create(data_tmp_, &data_);
}

BundleWriter::~BundleWriter() {
  if (!finished_) Abort();
}

void BundleWriter::Abort() {
  if (data_) {
    data_->Close();
    data_.reset();
  }
  if (!data_tmp_.empty()) io::DeleteFile(data_tmp_);
}

Status BundleWriter::CheckKey(std::string_view key) {
  if (!status_.ok()) return status_;
  if (finished_) return errors::FailedPrecondition("BundleWriter: Add after Finish");
  if (key.empty()) return errors::InvalidArgument("Adding the empty key is not allowed in a tensor bundle");
  if (entries_.count(std::string(key))) return errors::InvalidArgument("Adding duplicate key: ", key);
  return Status::OK();
}

Status BundleWriter::AddEntry(std::string_view key, BundleEntry entry) {
  entries_.emplace(std::string(key), std::move(entry));
  return Status::OK();
}

Status BundleWriter::AddRaw(std::string_view key, DataType dtype, const TensorShape& shape,
                            const char* data, size_t bytes) {
  TF_RETURN_IF_ERROR(CheckKey(key));
  dtype = BaseType(dtype);
  if (!proto::IsRawDataType(dtype)) {
    return errors::InvalidArgument("Cannot save tensor '", key, "' of dtype ", DataTypeName(dtype));
  }
  const uint64_t expect = static_cast<uint64_t>(shape.num_elements()) * DataTypeSize(dtype);
  if (expect != bytes) {
    return errors::InvalidArgument("Tensor '", key, "': ", bytes, " bytes given for ",
                                   DataTypeName(dtype), " ", shape.DebugString());
  }
  BundleEntry e;
  e.dtype = dtype;
  e.shape = shape;
  e.offset = static_cast<int64_t>(data_->Tell());
  e.size = static_cast<int64_t>(bytes);
  // Large tensors: pieces checksummed and written concurrently straight
  // from the tensor's buffer (each piece checksummed just before it is
  // written, while it is in cache), the checksums combined in order.
  uint32_t crc = 0;
  constexpr size_t kPiece = size_t{4} << 20;
  Status s;
  if (bytes >= 2 * kPiece) {
    const int64_t pieces = static_cast<int64_t>((bytes + kPiece - 1) / kPiece);
    std::vector<uint32_t> crcs(pieces);
    s = data_->AppendParallel(data, bytes, kPiece, [&](int64_t i, const char* p, size_t len) {
      crcs[i] = crc32c::Value(p, len);
    });
    crc = crcs[0];
    for (int64_t i = 1; i < pieces; ++i) {
      size_t off = static_cast<size_t>(i) * kPiece;
      crc = crc32c::Combine(crc, crcs[i], std::min(kPiece, bytes - off));
    }
  } else {
    crc = crc32c::Value(data, bytes);
    s = data_->Append(data, bytes);
  }
  e.crc32c = crc32c::Mask(crc);
  if (!s.ok()) {
    status_ = s;
    return s;
  }
  return AddEntry(key, std::move(e));
}

Status BundleWriter::AddStrings(std::string_view key, const TensorShape& shape,
                                const std::string* strings) {
  TF_RETURN_IF_ERROR(CheckKey(key));
  const int64_t n = shape.num_elements();
  BundleEntry e;
  e.dtype = DT_STRING;
  e.shape = shape;
  e.offset = static_cast<int64_t>(data_->Tell());
  // Varint lengths, then the masked CRC of the lengths (each hashed as a
  // uint32, or uint64 when it does not fit), then the bytes.
  std::string header;
  uint32_t crc = 0;
  for (int64_t i = 0; i < n; ++i) {
    const uint64_t len = strings[i].size();
    proto::PutVarint(&header, len);
    if (len <= 0xffffffffu) {
      char b[4];
      uint32_t v32 = static_cast<uint32_t>(len);
      std::memcpy(b, &v32, 4);
      crc = crc32c::Extend(crc, b, 4);
    } else {
      char b[8];
      std::memcpy(b, &len, 8);
      crc = crc32c::Extend(crc, b, 8);
    }
  }
  const uint32_t lenck = crc32c::Mask(crc);
  char lenck_bytes[4];
  std::memcpy(lenck_bytes, &lenck, 4);
  crc = crc32c::Extend(crc, lenck_bytes, 4);
  header.append(lenck_bytes, 4);
  Status s = data_->Append(header);
  uint64_t total = header.size();
  for (int64_t i = 0; i < n && s.ok(); ++i) {
    crc = crc32c::Extend(crc, strings[i].data(), strings[i].size());
    s = data_->Append(strings[i]);
    total += strings[i].size();
  }
  if (!s.ok()) {
    status_ = s;
    return s;
  }
  e.size = static_cast<int64_t>(total);
  e.crc32c = crc32c::Mask(crc);
  return AddEntry(key, std::move(e));
}

Status BundleWriter::Add(std::string_view key, const Tensor& t) {
  if (t.dtype() == DT_STRING) return AddStrings(key, t.shape(), t.data<std::string>());
  return AddRaw(key, t.dtype(), t.shape(), static_cast<const char*>(t.raw_data()), t.TotalBytes());
}

Status BundleWriter::Finish() {
  if (finished_) return errors::FailedPrecondition("BundleWriter::Finish called twice");
  finished_ = true;
  if (!status_.ok()) {
    Abort();
    return status_;
  }
  Status s = options_.sync ? data_->Sync() : Status::OK();
  if (s.ok()) s = data_->Close();
  data_.reset();
  // The index: header entry "" first, then the tensors in key order. It is
  // written to its temporary file before anything is renamed, so the two
  // renames below follow each other immediately: a process killed at any
  // other moment leaves the previous files under this prefix untouched.
  BundleHeader h;
  h.num_shards = 1;
  h.producer = kTensorBundleVersion;
  h.min_consumer = kTensorBundleMinConsumer;
  table::TableBuilder tb;
  if (s.ok()) s = tb.Add("", EncodeBundleHeader(h));
  for (const auto& kv : entries_) {
    if (!s.ok()) break;
    s = tb.Add(kv.first, EncodeBundleEntry(kv.second));
  }
  if (s.ok()) s = tb.Finish();
  const std::string index_tmp = MetaFilename(prefix_) + io::TempSuffix();
  if (s.ok()) {
    std::unique_ptr<io::WritableFile> f;
    s = io::WritableFile::Create(index_tmp, &f);
    if (s.ok()) s = f->Append(tb.contents());
    if (s.ok() && options_.sync) s = f->Sync();
    if (s.ok()) s = f->Close();
  }
  if (s.ok()) s = io::RenameFile(data_tmp_, DataFilename(prefix_, 0, 1));
  if (s.ok()) {
    data_tmp_.clear();
    s = io::RenameFile(index_tmp, MetaFilename(prefix_));
  }
  if (!s.ok()) {
    if (!data_tmp_.empty()) io::DeleteFile(data_tmp_);
    io::DeleteFile(index_tmp);
    status_ = s;
    return s;
  }
  if (options_.sync) io::SyncDir(io::Dirname(prefix_));
  return Status::OK();
}

// ---------------------------------------------------------------- reader

Status BundleReader::Open(const std::string& prefix, std::unique_ptr<BundleReader>* out) {
  std::unique_ptr<BundleReader> r(new BundleReader());
  r->prefix_ = prefix;
  const std::string index = MetaFilename(prefix);
  auto contents = std::make_shared<std::string>();
  TF_RETURN_IF_ERROR(io::ReadFileToString(index, contents.get()));
  TF_RETURN_IF_ERROR(table::Table::Open(index, contents, &r->table_));
  std::string_view hv;
  if (r->table_->num_entries() == 0 || !r->table_->key(0).empty()) {
    return errors::DataLoss("Unable to read file (", index,
                            "): the tensor bundle has no header entry");
  }
  hv = r->table_->value(0);
  Status s = DecodeBundleHeader(hv, &r->header_);
  if (!s.ok()) {
    return errors::DataLoss("Unable to read file (", index, "): bad bundle header: ", s.message());
  }
  const BundleHeader& h = r->header_;
  if (h.num_shards <= 0 || h.num_shards > 100000) {
    return errors::DataLoss("Unable to read file (", index, "): bundle header has num_shards = ",
                            h.num_shards);
  }
  if (h.endianness != 0) {
    return errors::Unimplemented("Reading a big-endian tensor bundle (", index,
                                 ") is not supported");
  }
  if (h.producer < 0 || h.min_consumer > kTensorBundleVersion ||
      std::find(h.bad_consumers.begin(), h.bad_consumers.end(), kTensorBundleVersion) !=
          h.bad_consumers.end()) {
    return errors::DataLoss("Unable to read file (", index,
                            "): the checkpoint needs a newer reader (producer ", h.producer,
                            ", min_consumer ", h.min_consumer, ")");
  }
  r->data_files_.resize(h.num_shards);
  *out = std::move(r);
  return Status::OK();
}

std::vector<std::string> BundleReader::Keys() const {
  std::vector<std::string> keys;
  keys.reserve(table_->num_entries());
  for (size_t i = 0; i < table_->num_entries(); ++i) {
    if (!table_->key(i).empty()) keys.push_back(table_->key(i));
  }
  return keys;
}

bool BundleReader::Contains(std::string_view key) const {
  std::string_view v;
  return !key.empty() && table_->Get(key, &v);
}

Status BundleReader::LookupEntry(std::string_view key, BundleEntry* entry) const {
  std::string_view v;
  if (key.empty() || !table_->Get(key, &v)) {
    return errors::NotFound("Key ", key, " not found in checkpoint");
  }
  Status s = DecodeBundleEntry(v, entry);
  if (!s.ok()) {
    return errors::DataLoss("Unable to read file (", table_->filename(), "): bad entry for key '",
                            key, "': ", s.message());
  }
  return Status::OK();
}

Status BundleReader::LookupDtypeAndShape(std::string_view key, DataType* dtype,
                                         TensorShape* shape) const {
  BundleEntry e;
  TF_RETURN_IF_ERROR(LookupEntry(key, &e));
  *dtype = e.dtype;
  *shape = e.shape;
  return Status::OK();
}

Status BundleReader::DataLoss(std::string_view key, const BundleEntry& e,
                              const std::string& what) const {
  return errors::DataLoss("Checkpoint ", prefix_, ": tensor '", key, "' in ",
                          DataFilename(prefix_, e.shard_id, header_.num_shards), ": ", what);
}

Status BundleReader::DataFile(int shard, const io::RandomAccessFile** f) const {
  std::lock_guard<std::mutex> l(mu_);
  if (!data_files_[shard]) {
    TF_RETURN_IF_ERROR(io::RandomAccessFile::Open(DataFilename(prefix_, shard, header_.num_shards),
                                                  &data_files_[shard]));
  }
  *f = data_files_[shard].get();
  return Status::OK();
}

Status BundleReader::ReadNumeric(std::string_view key, const BundleEntry& e, char* dst) const {
  const io::RandomAccessFile* f;
  TF_RETURN_IF_ERROR(DataFile(e.shard_id, &f));
  const uint64_t size = static_cast<uint64_t>(e.size);
  const uint64_t offset = static_cast<uint64_t>(e.offset);
  if (offset > f->size() || size > f->size() - offset) {
    return DataLoss(key, e, "the file is truncated (needs bytes [" + std::to_string(offset) + ", " +
                                std::to_string(offset + size) + "), has " +
                                std::to_string(f->size()) + ")");
  }
  // Read in chunks, in parallel for big tensors; each chunk is checksummed
  // right after it is read and the pieces' CRCs are combined.
  const int64_t chunks = static_cast<int64_t>((size + kReadChunk - 1) / kReadChunk);
  std::vector<uint32_t> crcs(std::max<int64_t>(chunks, 1), 0);
  std::vector<Status> errs(std::max<int64_t>(chunks, 1));
  auto work = [&](int64_t b, int64_t end) {
    for (int64_t i = b; i < end; ++i) {
      const uint64_t off = static_cast<uint64_t>(i) * kReadChunk;
      const size_t len = static_cast<size_t>(std::min<uint64_t>(kReadChunk, size - off));
      errs[i] = f->Read(offset + off, len, dst + off);
      if (errs[i].ok()) crcs[i] = crc32c::Value(dst + off, len);
    }
  };
  if (chunks <= 1) {
    work(0, chunks);
  } else {
    ParallelFor(chunks, 1 << 22, work);
  }
  for (const Status& s : errs) {
    if (s.code() == Code::OUT_OF_RANGE) return DataLoss(key, e, "the file is truncated");
    TF_RETURN_IF_ERROR(s);
  }
  uint32_t crc = chunks > 0 ? crcs[0] : crc32c::Value(nullptr, 0);
  for (int64_t i = 1; i < chunks; ++i) {
    const uint64_t off = static_cast<uint64_t>(i) * kReadChunk;
    crc = crc32c::Combine(crc, crcs[i], static_cast<size_t>(std::min<uint64_t>(kReadChunk, size - off)));
  }
  if (crc32c::Mask(crc) != e.crc32c) {
    return DataLoss(key, e,
                    "Checksum does not match: stored " + std::to_string(crc32c::Unmask(e.crc32c)) +
                        " vs. calculated on the restored bytes " + std::to_string(crc));
  }
  return Status::OK();
}

Status BundleReader::ReadStrings(std::string_view key, const BundleEntry& e, std::string* dst) const {
  const io::RandomAccessFile* f;
  TF_RETURN_IF_ERROR(DataFile(e.shard_id, &f));
  const uint64_t size = static_cast<uint64_t>(e.size);
  const uint64_t offset = static_cast<uint64_t>(e.offset);
  if (offset > f->size() || size > f->size() - offset) {
    return DataLoss(key, e, "the file is truncated");
  }
  std::string buf(static_cast<size_t>(size), '\0');
  Status s = f->Read(offset, size, buf.empty() ? nullptr : &buf[0]);
  if (s.code() == Code::OUT_OF_RANGE) return DataLoss(key, e, "the file is truncated");
  TF_RETURN_IF_ERROR(s);
  const int64_t n = e.shape.num_elements();
  const char* p = buf.data();
  const char* end = buf.data() + buf.size();
  std::vector<uint64_t> lens(static_cast<size_t>(std::min<int64_t>(n, static_cast<int64_t>(size))));
  if (n > static_cast<int64_t>(size)) return DataLoss(key, e, "string tensor entry is too small");
  uint32_t crc = 0;
  uint64_t total = 0;
  for (int64_t i = 0; i < n; ++i) {
    uint64_t len;
    if (!proto::GetVarint(&p, end, &len)) return DataLoss(key, e, "corrupt string lengths");
    lens[i] = len;
    if (len <= 0xffffffffu) {
      char b[4];
      uint32_t v32 = static_cast<uint32_t>(len);
      std::memcpy(b, &v32, 4);
      crc = crc32c::Extend(crc, b, 4);
    } else {
      char b[8];
      std::memcpy(b, &len, 8);
      crc = crc32c::Extend(crc, b, 8);
    }
    total += len;
    if (total > size) return DataLoss(key, e, "corrupt string lengths");
  }
  if (end - p < 4) return DataLoss(key, e, "string tensor entry is truncated");
  const uint32_t lenck = proto::DecodeFixed32(p);
  if (lenck != crc32c::Mask(crc)) return DataLoss(key, e, "checksum of the string lengths does not match");
  crc = crc32c::Extend(crc, p, 4);
  p += 4;
  if (static_cast<uint64_t>(end - p) != total) {
    return DataLoss(key, e, "string tensor bytes do not match the recorded lengths");
  }
  crc = crc32c::Extend(crc, p, static_cast<size_t>(total));
  if (crc32c::Mask(crc) != e.crc32c) {
    return DataLoss(key, e,
                    "Checksum does not match: stored " + std::to_string(crc32c::Unmask(e.crc32c)) +
                        " vs. calculated on the restored bytes " + std::to_string(crc));
  }
  for (int64_t i = 0; i < n; ++i) {
    dst[i].assign(p, static_cast<size_t>(lens[i]));
    p += lens[i];
  }
  return Status::OK();
}

Status BundleReader::ReadEntry(std::string_view key, const BundleEntry& e, Tensor* out) const {
  if (!e.slices.empty()) {
    return errors::Unimplemented("Tensor '", key, "' in checkpoint ", prefix_,
                                 " is a partitioned variable (stored as slices), which is not supported");
  }
  if (e.shard_id < 0 || e.shard_id >= header_.num_shards) {
    return errors::DataLoss("Unable to read file (", table_->filename(), "): tensor '", key,
                            "' names shard ", e.shard_id, " of ", header_.num_shards);
  }
  if (e.offset < 0 || e.size < 0) return DataLoss(key, e, "negative offset or size in the index");
  const DataType dt = e.dtype;
  if (dt != DT_STRING && !proto::IsRawDataType(dt)) {
    return errors::Unimplemented("Tensor '", key, "' in checkpoint ", prefix_, " has dtype ",
                                 DataTypeName(dt), ", which tfcore cannot read");
  }
  if (dt != DT_STRING) {
    const uint64_t n = static_cast<uint64_t>(e.shape.num_elements());
    if (n > static_cast<uint64_t>(e.size) || n * DataTypeSize(dt) != static_cast<uint64_t>(e.size)) {
      return DataLoss(key, e, "the index records " + std::to_string(e.size) + " bytes for " +
                                  DataTypeName(dt) + " " + e.shape.DebugString());
    }
  } else if (static_cast<uint64_t>(e.shape.num_elements()) > static_cast<uint64_t>(e.size)) {
    return DataLoss(key, e, "string tensor entry is too small for its shape");
  }
  // Bounds before allocation: a corrupt index must not make us allocate
  // more than the data file could hold.
  {
    const io::RandomAccessFile* f;
    TF_RETURN_IF_ERROR(DataFile(e.shard_id, &f));
    if (static_cast<uint64_t>(e.offset) > f->size() ||
        static_cast<uint64_t>(e.size) > f->size() - static_cast<uint64_t>(e.offset)) {
      return DataLoss(key, e, "the file is truncated (needs " + std::to_string(e.size) +
                                  " bytes at offset " + std::to_string(e.offset) + ", has " +
                                  std::to_string(f->size()) + ")");
    }
  }
  const bool reuse = out->IsInitialized() && out->dtype() == dt && out->shape() == e.shape &&
                     out->buffer() != nullptr;
  Tensor t;
  if (reuse) {
    t = *out;
  } else {
    try {
      t = Tensor(dt, e.shape);
    } catch (const std::bad_alloc&) {
      return errors::ResourceExhausted("OOM when allocating tensor '", key, "' with shape ",
                                       e.shape.DebugString(), " and type ", DataTypeName(dt));
    }
  }
  if (dt == DT_STRING) {
    TF_RETURN_IF_ERROR(ReadStrings(key, e, t.data<std::string>()));
  } else {
    TF_RETURN_IF_ERROR(ReadNumeric(key, e, static_cast<char*>(t.raw_data())));
  }
  *out = std::move(t);
  return Status::OK();
}

Status BundleReader::Lookup(std::string_view key, Tensor* out) const {
  BundleEntry e;
  TF_RETURN_IF_ERROR(LookupEntry(key, &e));
  *out = Tensor();
  return ReadEntry(key, e, out);
}

Status BundleReader::LookupInto(std::string_view key, Tensor* out) const {
  BundleEntry e;
  TF_RETURN_IF_ERROR(LookupEntry(key, &e));
  if (out->dtype() != e.dtype || out->shape() != e.shape) {
    return errors::InvalidArgument("Tensor '", key, "' in checkpoint is ", DataTypeName(e.dtype), " ",
                                   e.shape.DebugString(), ", but the destination is ", out->DebugString());
  }
  return ReadEntry(key, e, out);
}

// ---------------------------------------------------------------- merge

Status MergeBundles(const std::vector<std::string>& prefixes, const std::string& merged_prefix,
                    bool delete_old_dirs, bool allow_missing_files) {
  struct Src {
    std::string data_file;
    int new_shard;
  };
  std::vector<Src> data_files;
  std::map<std::string, BundleEntry> merged;
  std::vector<std::string> used_prefixes;
  int num_shards = 0;
  for (const std::string& prefix : prefixes) {
    if (allow_missing_files && !io::FileExists(MetaFilename(prefix))) continue;
    std::unique_ptr<BundleReader> reader;
    TF_RETURN_IF_ERROR(BundleReader::Open(prefix, &reader));
    used_prefixes.push_back(prefix);
    const int n = reader->num_shards();
    const int base = num_shards;
    for (int i = 0; i < n; ++i) data_files.push_back({DataFilename(prefix, i, n), base + i});
    num_shards += n;
    for (const std::string& key : reader->Keys()) {
      BundleEntry e;
      TF_RETURN_IF_ERROR(reader->LookupEntry(key, &e));
      if (e.shard_id < 0 || e.shard_id >= n) {
        return errors::DataLoss("Unable to read file (", MetaFilename(prefix), "): tensor '", key,
                                "' names shard ", e.shard_id, " of ", n);
      }
      e.shard_id += base;
      if (!merged.emplace(key, std::move(e)).second) {
        return errors::InvalidArgument("Duplicate tensor keyed by ", key,
                                       " encountered, when merging prefix: ", prefix);
      }
    }
  }
  if (used_prefixes.empty()) {
    return errors::InvalidArgument("MergeV2Checkpoints: none of the input checkpoints exist");
  }
  for (const Src& s : data_files) {
    const std::string dst = DataFilename(merged_prefix, s.new_shard, num_shards);
    if (!io::FileExists(s.data_file)) {
      // A shard with no tensors still has an (empty) data file in TF; tolerate
      // its absence by creating an empty one.
      TF_RETURN_IF_ERROR(io::WriteStringToFile(dst, ""));
      continue;
    }
    TF_RETURN_IF_ERROR(io::RenameFile(s.data_file, dst));
  }
  BundleHeader h;
  h.num_shards = num_shards;
  h.producer = kTensorBundleVersion;
  h.min_consumer = kTensorBundleMinConsumer;
  table::TableBuilder tb;
  TF_RETURN_IF_ERROR(tb.Add("", EncodeBundleHeader(h)));
  for (const auto& kv : merged) TF_RETURN_IF_ERROR(tb.Add(kv.first, EncodeBundleEntry(kv.second)));
  TF_RETURN_IF_ERROR(tb.Finish());
  TF_RETURN_IF_ERROR(io::WriteStringToFileAtomic(MetaFilename(merged_prefix), tb.contents(), false));
  // Cleanup is best effort, as in TF.
  std::set<std::string> dirs;
  for (const std::string& p : used_prefixes) {
    io::DeleteFile(MetaFilename(p));
    if (delete_old_dirs) dirs.insert(io::Dirname(p));
  }
  const std::string merged_dir = io::Dirname(merged_prefix);
  for (const std::string& d : dirs) {
    if (d.empty() || d == merged_dir) continue;
    std::vector<std::string> kids;
    if (io::GetChildren(d, &kids).ok() && kids.empty()) io::DeleteRecursively(d);
  }
  return Status::OK();
}

}  // namespace checkpoint
}  // namespace tfcore
