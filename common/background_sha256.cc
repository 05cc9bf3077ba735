#include "common/background_sha256.h"

#include <algorithm>
#include <cstring>

namespace macula {

namespace {

// Four buffers of 256 KiB: enough to ride out a slow read or write (hashing 256 KiB takes
// about 4 ms under TCG), and 1 MiB in all against the upgrader's memory budget.
constexpr size_t kBuffers = 4;
constexpr size_t kBufferSize = 256 << 10;

}  // namespace

BackgroundSha256::BackgroundSha256() : buffers_(kBuffers) {
  for (Buffer& b : buffers_) {
    b.bytes.resize(kBufferSize);
    free_.push_back(&b);
  }
  thread_ = std::thread([this] { hash_queued(); });
}

BackgroundSha256::~BackgroundSha256() {
  {
    std::lock_guard lock(mutex_);
    queued_.clear();
  }
  stop();
}

void BackgroundSha256::hash_queued() {
  for (;;) {
    Buffer* b;
    {
      std::unique_lock lock(mutex_);
      changed_.wait(lock, [this] { return !queued_.empty() || closing_; });
      if (queued_.empty()) return;  // closing, and everything queued is hashed
      b = queued_.front();
      queued_.pop_front();
    }
    hash_.update(std::span(b->bytes.data(), b->size));
    {
      std::lock_guard lock(mutex_);
      b->size = 0;
      free_.push_back(b);
    }
    changed_.notify_all();
  }
}

void BackgroundSha256::update(std::span<const std::byte> data) {
  while (!data.empty()) {
    if (filling_ == nullptr) {
      std::unique_lock lock(mutex_);
      changed_.wait(lock, [this] { return !free_.empty(); });
      filling_ = free_.front();
      free_.pop_front();
    }
    const size_t n = std::min(data.size(), filling_->bytes.size() - filling_->size);
    std::memcpy(filling_->bytes.data() + filling_->size, data.data(), n);
    filling_->size += n;
    data = data.subspan(n);
    if (filling_->size == filling_->bytes.size()) queue_filling();
  }
}

void BackgroundSha256::queue_filling() {
  {
    std::lock_guard lock(mutex_);
    queued_.push_back(filling_);
  }
  filling_ = nullptr;
  changed_.notify_all();
}

void BackgroundSha256::stop() {
  if (!thread_.joinable()) return;
  {
    std::lock_guard lock(mutex_);
    closing_ = true;
  }
  changed_.notify_all();
  thread_.join();
}

std::string BackgroundSha256::hex() {
  if (filling_ != nullptr && filling_->size > 0) queue_filling();
  stop();
  return hash_.hex();
}

}  // namespace macula
