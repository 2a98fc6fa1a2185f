#pragma once
// IDENTIFY (PACKET) DEVICE data: 256 little-endian words, strings stored with the two bytes of each word
// swapped (ATA-8 "ATA string convention").
#include <array>
#include <cstddef>
#include <cstdint>
#include <string_view>

namespace devices::ide {

using IdentifyData = std::array<uint16_t, 256>;
using IdentifyBytes = std::array<uint8_t, 512>;

/// Word indices the drives fill in.
namespace identify_word {
inline constexpr size_t k_general_config = 0;
inline constexpr size_t k_cylinders = 1;
inline constexpr size_t k_heads = 3;
inline constexpr size_t k_sectors_per_track = 6;
inline constexpr size_t k_serial_number = 10;      ///< 10 words
inline constexpr size_t k_firmware_revision = 23;  ///< 4 words
inline constexpr size_t k_model_number = 27;       ///< 20 words
inline constexpr size_t k_capabilities = 49;
inline constexpr size_t k_field_validity = 53;
inline constexpr size_t k_current_cylinders = 54;
inline constexpr size_t k_current_heads = 55;
inline constexpr size_t k_current_sectors_per_track = 56;
inline constexpr size_t k_current_capacity = 57;     ///< 2 words
inline constexpr size_t k_total_lba28_sectors = 60;  ///< 2 words
inline constexpr size_t k_multiword_dma = 63;
inline constexpr size_t k_pio_modes = 64;
inline constexpr size_t k_major_version = 80;
inline constexpr size_t k_ultra_dma = 88;
}  // namespace identify_word

/// Writes `text` space-padded into `word_count` words starting at `first_word`.
void put_ata_string(IdentifyData& data, size_t first_word, size_t word_count, std::string_view text);

/// Stores a 32-bit value as two words, low word first.
void put_dword(IdentifyData& data, size_t first_word, uint32_t value);

/// The bytes as they leave the data port.
IdentifyBytes to_bytes(const IdentifyData& data);

}  // namespace devices::ide
