#pragma once
// A disc in an optical drive: a small image of 2048-byte sectors.
#include <cstdint>
#include <cstring>
#include <memory>
#include <vector>

namespace devices::ide {

struct Media {
  static constexpr uint32_t k_sector_size = 2048;

  /// Capacity in sectors, as READ CAPACITY would report it.
  uint32_t block_count = 0;
  std::vector<uint8_t> image;

  /// A deterministic 16-sector (32 KiB) test disc: each sector filled with 0xc0 + its LBA.
  static std::unique_ptr<Media> make_test_disc() {
    auto media = std::make_unique<Media>();
    media->block_count = 16;
    media->image.resize(size_t{media->block_count} * k_sector_size);
    for (uint32_t lba = 0; lba < media->block_count; ++lba) {
      std::memset(media->image.data() + size_t{lba} * k_sector_size, static_cast<int>(0xc0 + lba),
                  k_sector_size);
    }
    return media;
  }
};

}  // namespace devices::ide
