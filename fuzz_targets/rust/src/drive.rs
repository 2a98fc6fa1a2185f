//! The drives that sit on a channel: an ATA hard disk and an ATAPI optical drive, each backed by a
//! 32 KiB RAM disk. Each drive latches its own copy of the task file (`state.regs`), as real ATA devices
//! do, which is why the triage tool finds the status register inside the drive rather than the channel.

use crate::regs::{ErrorReg, Status};

pub const SECTOR_SIZE: usize = 512;
pub const CD_BLOCK_SIZE: usize = 2048;
pub const DISK_BYTES: usize = 32 * 1024;

/// Signature an ATAPI device leaves in lba_mid/lba_high after reset or an aborted ATA command.
pub const ATAPI_SIGNATURE: (u8, u8) = (0x14, 0xeb);

/// The per-drive copy of the task file.
#[derive(Clone, Copy, Debug, Default)]
pub struct DriveRegs {
    pub status: Status,
    pub error: ErrorReg,
    pub features: u8,
    /// ATAPI reuses this as the interrupt reason (CoD/IO).
    pub sector_count: u8,
    pub lba_low: u8,
    /// ATAPI: byte count low.
    pub lba_mid: u8,
    /// ATAPI: byte count high.
    pub lba_high: u8,
}

#[derive(Clone, Debug, Default)]
pub struct DriveState {
    pub regs: DriveRegs,
}

const FILL_PATTERN: [u8; CD_BLOCK_SIZE] = {
    let mut pattern = [0u8; CD_BLOCK_SIZE];
    let mut i = 0;
    while i < pattern.len() {
        pattern[i] = (i as u8).wrapping_mul(31).wrapping_add(7);
        i += 1;
    }
    pattern
};

/// A fixed-size block device in memory, filled with a recognisable pattern.
#[derive(Clone, Debug)]
pub struct RamDisk {
    data: Vec<u8>,
    block_size: usize,
}

impl RamDisk {
    /// A "formatted" disk: one pattern block repeated, each copy stamped with its LBA and the drive's
    /// seed. Built from a compile-time pattern with bulk copies because it happens on every fuzz input.
    pub fn new(block_size: usize, seed: u8) -> Self {
        let block_size = block_size.clamp(8, FILL_PATTERN.len());
        let mut data = FILL_PATTERN[..block_size].repeat(DISK_BYTES / block_size);
        for (lba, block) in data.chunks_exact_mut(block_size).enumerate() {
            block[..4].copy_from_slice(&(lba as u32).to_le_bytes());
            block[4] = seed;
        }
        Self { data, block_size }
    }

    pub fn block_size(&self) -> usize {
        self.block_size
    }

    pub fn blocks(&self) -> u32 {
        (self.data.len() / self.block_size) as u32
    }

    /// The byte range of `count` blocks at `lba`, or `None` when any of it lies past the end.
    fn range(&self, lba: u32, count: u32) -> Option<std::ops::Range<usize>> {
        let end = u64::from(lba).checked_add(u64::from(count))?;
        if end > u64::from(self.blocks()) {
            return None;
        }
        let start = lba as usize * self.block_size;
        Some(start..start + count as usize * self.block_size)
    }

    /// Replaces `out` with `count` blocks from `lba`; leaves it untouched on a bad range.
    pub fn read(&self, lba: u32, count: u32, out: &mut Vec<u8>) -> bool {
        let Some(range) = self.range(lba, count) else {
            return false;
        };
        out.clear();
        out.extend_from_slice(&self.data[range]);
        true
    }

    /// Writes one block at `lba` from the first `block_size` bytes of `data`.
    pub fn write(&mut self, lba: u32, data: &[u8]) -> bool {
        let Some(range) = self.range(lba, 1) else { return false };
        let Some(src) = data.get(..self.block_size) else {
            return false;
        };
        self.data[range].copy_from_slice(src);
        true
    }
}

/// Classic CHS geometry of the hard disk: 2 cylinders x 2 heads x 16 sectors = 64 sectors = 32 KiB.
#[derive(Clone, Copy, Debug)]
pub struct Geometry {
    pub cylinders: u16,
    pub heads: u8,
    pub sectors_per_track: u8,
}

impl Geometry {
    /// Converts a CHS address (sector numbers start at 1) to an LBA, rejecting out-of-range parts.
    pub fn chs_to_lba(&self, cylinder: u16, head: u8, sector: u8) -> Option<u32> {
        if cylinder >= self.cylinders || head >= self.heads || sector == 0 || sector > self.sectors_per_track {
            return None;
        }
        let track = u32::from(cylinder) * u32::from(self.heads) + u32::from(head);
        Some(track * u32::from(self.sectors_per_track) + u32::from(sector) - 1)
    }
}

#[derive(Clone, Debug)]
pub struct HardDrive {
    pub state: DriveState,
    pub geometry: Geometry,
    pub disk: Box<RamDisk>,
}

/// SCSI sense data reported by REQUEST SENSE after a CHECK CONDITION.
#[derive(Clone, Copy, Debug, Default)]
pub struct SenseData {
    pub key: u8,
    pub asc: u8,
    pub ascq: u8,
}

#[derive(Clone, Debug)]
pub struct OpticalDrive {
    pub state: DriveState,
    /// `None` models an empty tray.
    pub media: Option<Box<RamDisk>>,
    pub sense: SenseData,
}

#[derive(Clone, Debug)]
pub enum DiskDrive {
    Hard(HardDrive),
    Optical(OpticalDrive),
}

impl DiskDrive {
    pub fn hard(seed: u8) -> Self {
        let geometry = Geometry {
            cylinders: 2,
            heads: 2,
            sectors_per_track: 16,
        };
        let mut drive = DiskDrive::Hard(HardDrive {
            state: DriveState::default(),
            geometry,
            disk: Box::new(RamDisk::new(SECTOR_SIZE, seed)),
        });
        drive.reset();
        drive
    }

    pub fn optical(with_disc: bool, seed: u8) -> Self {
        let media = with_disc.then(|| Box::new(RamDisk::new(CD_BLOCK_SIZE, seed)));
        let mut drive = DiskDrive::Optical(OpticalDrive {
            state: DriveState::default(),
            media,
            sense: SenseData::default(),
        });
        drive.reset();
        drive
    }

    pub fn is_optical(&self) -> bool {
        matches!(self, DiskDrive::Optical(_))
    }

    pub fn state(&self) -> &DriveState {
        match self {
            DiskDrive::Hard(d) => &d.state,
            DiskDrive::Optical(d) => &d.state,
        }
    }

    pub fn state_mut(&mut self) -> &mut DriveState {
        match self {
            DiskDrive::Hard(d) => &mut d.state,
            DiskDrive::Optical(d) => &mut d.state,
        }
    }

    /// Power-on / software reset: the device signature in the task file and the idle status.
    pub fn reset(&mut self) {
        let optical = self.is_optical();
        let regs = &mut self.state_mut().regs;
        *regs = DriveRegs {
            sector_count: 1,
            lba_low: 1,
            ..DriveRegs::default()
        };
        if optical {
            (regs.lba_mid, regs.lba_high) = ATAPI_SIGNATURE;
        } else {
            regs.status = Status(Status::DRDY | Status::DSC);
        }
        if let DiskDrive::Optical(d) = self {
            d.sense = SenseData::default();
        }
    }

    /// The medium blocks are read from, if one is loaded.
    pub fn medium(&self) -> Option<&RamDisk> {
        match self {
            DiskDrive::Hard(d) => Some(&d.disk),
            DiskDrive::Optical(d) => d.media.as_deref(),
        }
    }
}
