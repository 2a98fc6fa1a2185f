//! ATA commands of the hard drive: IDENTIFY, PIO READ/WRITE SECTORS, READ DMA and the no-data commands.

use crate::channel::{Channel, ChannelState};
use crate::drive::{DiskDrive, SECTOR_SIZE};
use crate::identify;
use crate::regs::{DeviceHead, ErrorReg};

pub const READ_SECTORS: u8 = 0x20;
pub const READ_SECTORS_NO_RETRY: u8 = 0x21;
pub const WRITE_SECTORS: u8 = 0x30;
pub const WRITE_SECTORS_NO_RETRY: u8 = 0x31;
pub const READ_VERIFY: u8 = 0x40;
pub const SEEK: u8 = 0x70;
pub const INITIALIZE_DEVICE_PARAMETERS: u8 = 0x91;
pub const READ_DMA: u8 = 0xc8;
pub const READ_DMA_NO_RETRY: u8 = 0xc9;
pub const FLUSH_CACHE: u8 = 0xe7;
pub const IDENTIFY_DEVICE: u8 = 0xec;
pub const SET_FEATURES: u8 = 0xef;

/// RECALIBRATE is 0x10 with a step rate in the low nibble.
fn is_recalibrate(command: u8) -> bool {
    command & 0xf0 == 0x10
}

impl Channel {
    pub(crate) fn ata_command(&mut self, drive: usize, command: u8) {
        match command {
            IDENTIFY_DEVICE => {
                let Some(Some(DiskDrive::Hard(hard))) = self.drives.get(drive) else {
                    return;
                };
                self.buffer = identify::ata_identify(&hard.geometry, hard.disk.blocks());
                self.state = ChannelState::DataIn {
                    drive,
                    next_lba: 0,
                    remaining: 0,
                };
                self.present_data_block(drive);
            }
            READ_SECTORS | READ_SECTORS_NO_RETRY => {
                let Some((lba, count)) = self.ata_range(drive) else {
                    return self.abort(drive, ErrorReg::ABRT | ErrorReg::IDNF);
                };
                let loaded = match self.drives.get(drive) {
                    Some(Some(DiskDrive::Hard(hard))) => hard.disk.read(lba, 1, &mut self.buffer),
                    _ => false,
                };
                if !loaded {
                    return self.abort(drive, ErrorReg::ABRT | ErrorReg::IDNF);
                }
                self.state = ChannelState::DataIn {
                    drive,
                    next_lba: lba.wrapping_add(1),
                    remaining: count - 1,
                };
                self.present_data_block(drive);
            }
            WRITE_SECTORS | WRITE_SECTORS_NO_RETRY => {
                let Some((lba, count)) = self.ata_range(drive) else {
                    return self.abort(drive, ErrorReg::ABRT | ErrorReg::IDNF);
                };
                self.buffer.clear();
                self.buffer.resize(SECTOR_SIZE, 0);
                self.state = ChannelState::DataOut {
                    drive,
                    lba,
                    remaining: count,
                };
                self.present_data_block(drive);
                // The first data-out block is requested without an interrupt.
                self.interrupt = false;
            }
            READ_DMA | READ_DMA_NO_RETRY => {
                let Some((lba, blocks)) = self.ata_range(drive) else {
                    return self.abort(drive, ErrorReg::ABRT | ErrorReg::IDNF);
                };
                self.state = ChannelState::DmaIn { drive, lba, blocks };
                if let Some(regs) = self.drive_regs_mut(drive) {
                    regs.status.insert(crate::regs::Status::DRQ);
                }
            }
            READ_VERIFY | SEEK => match self.ata_range(drive) {
                Some(_) => self.complete(drive),
                None => self.abort(drive, ErrorReg::ABRT | ErrorReg::IDNF),
            },
            INITIALIZE_DEVICE_PARAMETERS | FLUSH_CACHE | SET_FEATURES => self.complete(drive),
            c if is_recalibrate(c) => self.complete(drive),
            _ => self.abort(drive, ErrorReg::ABRT),
        }
    }

    /// The (lba, sector count) the task file addresses on a hard drive, if it lies on the disk.
    fn ata_range(&self, drive: usize) -> Option<(u32, u32)> {
        let Some(Some(DiskDrive::Hard(hard))) = self.drives.get(drive) else {
            return None;
        };
        let regs = &hard.state.regs;
        let device_head = self.regs.device_head;
        let head = device_head.0 & DeviceHead::HEAD;
        let lba = if device_head.contains(DeviceHead::LBA) {
            u32::from_be_bytes([head, regs.lba_high, regs.lba_mid, regs.lba_low])
        } else {
            let cylinder = u16::from_le_bytes([regs.lba_mid, regs.lba_high]);
            hard.geometry.chs_to_lba(cylinder, head, regs.lba_low)?
        };
        // A sector count of 0 means 256 sectors.
        let count = if regs.sector_count == 0 {
            256
        } else {
            u32::from(regs.sector_count)
        };
        let end = u64::from(lba) + u64::from(count);
        (end <= u64::from(hard.disk.blocks())).then_some((lba, count))
    }
}
