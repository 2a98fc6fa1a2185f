//! IDENTIFY DEVICE / IDENTIFY PACKET DEVICE data: 256 little-endian words, strings byte-swapped per word.

use crate::drive::Geometry;

const WORDS: usize = 256;

struct IdentifyWords([u16; WORDS]);

impl IdentifyWords {
    fn new() -> Self {
        Self([0; WORDS])
    }

    fn set(&mut self, word: usize, value: u16) {
        self.0[word] = value;
    }

    /// ATA strings: space padded, two characters per word, first character in the high byte.
    fn set_string(&mut self, first_word: usize, words: usize, text: &str) {
        let mut bytes = text.bytes().chain(std::iter::repeat(b' '));
        for word in &mut self.0[first_word..first_word + words] {
            let hi = bytes.next().unwrap_or(b' ');
            let lo = bytes.next().unwrap_or(b' ');
            *word = u16::from_be_bytes([hi, lo]);
        }
    }

    fn into_bytes(self) -> Vec<u8> {
        self.0.iter().flat_map(|w| w.to_le_bytes()).collect()
    }
}

fn common_strings(words: &mut IdentifyWords, model: &str) {
    words.set_string(10, 10, "TRIAGE-0001");
    words.set_string(23, 4, "1.0");
    words.set_string(27, 20, model);
}

pub fn ata_identify(geometry: &Geometry, sectors: u32) -> Vec<u8> {
    let mut words = IdentifyWords::new();
    words.set(0, 0x0040); // fixed, non-removable ATA device
    words.set(1, geometry.cylinders);
    words.set(3, u16::from(geometry.heads));
    words.set(6, u16::from(geometry.sectors_per_track));
    common_strings(&mut words, "TRIAGE FUZZ DISK");
    words.set(49, 0x0300); // LBA and DMA supported
    words.set(53, 0x0006); // words 64-70 and 88 valid
    words.set(54, geometry.cylinders);
    words.set(55, u16::from(geometry.heads));
    words.set(56, u16::from(geometry.sectors_per_track));
    words.set(60, sectors as u16);
    words.set(61, (sectors >> 16) as u16);
    words.set(63, 0x0007); // multiword DMA 0-2
    words.set(80, 0x0070); // ATA-4..6
    words.set(88, 0x003f); // UDMA 0-5
    words.into_bytes()
}

pub fn atapi_identify() -> Vec<u8> {
    let mut words = IdentifyWords::new();
    words.set(0, 0x85c0); // ATAPI, CD-ROM, removable, 12-byte packets
    common_strings(&mut words, "TRIAGE FUZZ CDROM");
    words.set(49, 0x0300);
    words.set(53, 0x0006);
    words.set(63, 0x0007);
    words.set(80, 0x0070);
    words.set(88, 0x003f);
    words.into_bytes()
}
