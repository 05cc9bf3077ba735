// SHA-256 on a thread of its own. update() copies the bytes into one of a few buffers and
// returns while the thread hashes the buffers filled before, so hashing overlaps the caller's
// reads and writes, where Sha256 on the caller's thread made the two add up (bench/
// install_bench.py: the slot write ran at the sum of dd's time and the hash's). It pays most
// with a second core (fetch --sha256 went from 0.74 to 1.27 of curl's throughput); with one
// emulated CPU the slot write gained less (0.58 -> 0.69 of dd's, noisy: docs/results.md).
#pragma once

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <mutex>
#include <span>
#include <string>
#include <thread>
#include <vector>

#include "common/sha256.h"

namespace macula {

class BackgroundSha256 {
 public:
  BackgroundSha256();
  ~BackgroundSha256();  // stops the thread; what it had not hashed is dropped
  BackgroundSha256(const BackgroundSha256&) = delete;
  BackgroundSha256& operator=(const BackgroundSha256&) = delete;

  void update(std::span<const std::byte> data);  // waits only while every buffer is queued
  std::string hex();                             // finishes: call once

 private:
  struct Buffer {
    std::vector<std::byte> bytes;
    size_t size = 0;
  };
  void hash_queued();       // the thread's loop
  void queue_filling();     // hands the buffer being filled to the thread
  void stop();

  Sha256 hash_;  // the thread's until stop() has joined it
  std::vector<Buffer> buffers_;
  Buffer* filling_ = nullptr;  // the caller's
  std::deque<Buffer*> free_, queued_;
  bool closing_ = false;
  std::mutex mutex_;  // guards free_, queued_ and closing_
  std::condition_variable changed_;
  std::thread thread_;
};

}  // namespace macula
