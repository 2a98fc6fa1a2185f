//! ATAPI (packet) commands of the optical drive: the ATA commands it accepts, then the SCSI command
//! packet it receives through the data port: TEST UNIT READY, REQUEST SENSE, INQUIRY, READ CAPACITY and
//! READ(10), by PIO or DMA.

use crate::channel::{Channel, ChannelState};
use crate::drive::{DiskDrive, ATAPI_SIGNATURE};
use crate::identify;
use crate::regs::{ErrorReg, Status};

/// Interrupt reason (the sector count register of an ATAPI device).
pub const REASON_COD: u8 = 1 << 0;
pub const REASON_IO: u8 = 1 << 1;

pub const DEVICE_RESET: u8 = 0x08;
pub const IDENTIFY_PACKET_DEVICE: u8 = 0xa1;

/// The "DMA" bit of the features register for PACKET.
const FEATURE_DMA: u8 = 1 << 0;

pub mod scsi {
    pub const TEST_UNIT_READY: u8 = 0x00;
    pub const REQUEST_SENSE: u8 = 0x03;
    pub const INQUIRY: u8 = 0x12;
    pub const READ_CAPACITY: u8 = 0x25;
    pub const READ_10: u8 = 0x28;

    pub const SENSE_NOT_READY: u8 = 0x02;
    pub const SENSE_ILLEGAL_REQUEST: u8 = 0x05;
    pub const ASC_INVALID_COMMAND: u8 = 0x20;
    pub const ASC_LBA_OUT_OF_RANGE: u8 = 0x21;
    pub const ASC_MEDIUM_NOT_PRESENT: u8 = 0x3a;
}

const INQUIRY_DATA: [u8; 36] = *b"\x05\x80\x00\x21\x1f\x00\x00\x00TRIAGE  FUZZ CDROM      1.0 ";

impl Channel {
    /// The ATA commands a packet device accepts besides PACKET itself.
    pub(crate) fn atapi_command(&mut self, drive: usize, command: u8) {
        match command {
            IDENTIFY_PACKET_DEVICE => {
                self.buffer = identify::atapi_identify();
                self.state = ChannelState::DataIn {
                    drive,
                    next_lba: 0,
                    remaining: 0,
                };
                self.present_data_block(drive);
            }
            DEVICE_RESET => {
                if let Some(Some(d)) = self.drives.get_mut(drive) {
                    d.reset();
                }
                self.state = ChannelState::Idle;
            }
            _ => {
                // Other ATA commands abort and leave the packet signature for the guest to find.
                self.abort(drive, ErrorReg::ABRT);
                if let Some(regs) = self.drive_regs_mut(drive) {
                    regs.sector_count = 1;
                    regs.lba_low = 1;
                    (regs.lba_mid, regs.lba_high) = ATAPI_SIGNATURE;
                }
            }
        }
    }

    /// PACKET: request the 12-byte command packet through the data port.
    pub(crate) fn begin_packet(&mut self, drive: usize) {
        let dma = self
            .drive_regs_mut(drive)
            .is_some_and(|r| r.features & FEATURE_DMA != 0);
        self.buffer.clear();
        self.buffer.resize(12, 0);
        self.state = ChannelState::Packet { drive, dma };
        self.present_data_block(drive);
        // The packet itself is requested without an interrupt.
        self.interrupt = false;
    }

    /// Runs a complete 12-byte command packet.
    pub(crate) fn execute_packet(&mut self, drive: usize, dma: bool, cdb: &[u8; 12]) {
        let Some(Some(DiskDrive::Optical(optical))) = self.drives.get_mut(drive) else {
            return self.complete(drive);
        };
        let blocks = optical.media.as_ref().map(|m| m.blocks());
        match cdb[0] {
            scsi::TEST_UNIT_READY => match blocks {
                Some(_) => self.complete(drive),
                None => self.check_condition(drive, scsi::SENSE_NOT_READY, scsi::ASC_MEDIUM_NOT_PRESENT),
            },
            scsi::REQUEST_SENSE => {
                let sense = std::mem::take(&mut optical.sense);
                let mut data = [0u8; 18];
                data[0] = 0x70;
                data[2] = sense.key;
                data[7] = 10;
                data[12] = sense.asc;
                data[13] = sense.ascq;
                let len = usize::from(cdb[4]).min(data.len());
                self.data_in_reply(drive, &data[..len]);
            }
            scsi::INQUIRY => {
                let len = usize::from(u16::from_be_bytes([cdb[3], cdb[4]])).min(INQUIRY_DATA.len());
                self.data_in_reply(drive, &INQUIRY_DATA[..len]);
            }
            scsi::READ_CAPACITY => match blocks {
                Some(blocks) => {
                    let mut data = [0u8; 8];
                    data[..4].copy_from_slice(&blocks.saturating_sub(1).to_be_bytes());
                    data[4..].copy_from_slice(&(crate::drive::CD_BLOCK_SIZE as u32).to_be_bytes());
                    self.data_in_reply(drive, &data);
                }
                None => self.check_condition(drive, scsi::SENSE_NOT_READY, scsi::ASC_MEDIUM_NOT_PRESENT),
            },
            scsi::READ_10 => self.read_10(drive, dma, blocks, cdb),
            _ => self.check_condition(drive, scsi::SENSE_ILLEGAL_REQUEST, scsi::ASC_INVALID_COMMAND),
        }
    }

    fn read_10(&mut self, drive: usize, dma: bool, blocks: Option<u32>, cdb: &[u8; 12]) {
        let Some(disc_blocks) = blocks else {
            return self.check_condition(drive, scsi::SENSE_NOT_READY, scsi::ASC_MEDIUM_NOT_PRESENT);
        };
        let lba = u32::from_be_bytes([cdb[2], cdb[3], cdb[4], cdb[5]]);
        let count = u32::from(u16::from_be_bytes([cdb[7], cdb[8]]));
        if u64::from(lba) + u64::from(count) > u64::from(disc_blocks) {
            return self.check_condition(drive, scsi::SENSE_ILLEGAL_REQUEST, scsi::ASC_LBA_OUT_OF_RANGE);
        }
        if count == 0 {
            return self.complete(drive);
        }
        if dma {
            self.state = ChannelState::DmaIn {
                drive,
                lba,
                blocks: count,
            };
            if let Some(regs) = self.drive_regs_mut(drive) {
                regs.status = Status(Status::DRDY | Status::DRQ);
                regs.sector_count = REASON_IO;
            }
            return;
        }
        let loaded = match self
            .drives
            .get(drive)
            .and_then(Option::as_ref)
            .and_then(DiskDrive::medium)
        {
            Some(medium) => medium.read(lba, 1, &mut self.buffer),
            None => false,
        };
        if !loaded {
            return self.check_condition(drive, scsi::SENSE_ILLEGAL_REQUEST, scsi::ASC_LBA_OUT_OF_RANGE);
        }
        self.state = ChannelState::DataIn {
            drive,
            next_lba: lba.wrapping_add(1),
            remaining: count - 1,
        };
        self.present_data_block(drive);
    }

    /// A single-block PIO reply; an empty one completes the command at once.
    fn data_in_reply(&mut self, drive: usize, data: &[u8]) {
        if data.is_empty() {
            return self.complete(drive);
        }
        self.buffer.clear();
        self.buffer.extend_from_slice(data);
        self.state = ChannelState::DataIn {
            drive,
            next_lba: 0,
            remaining: 0,
        };
        self.present_data_block(drive);
    }

    /// CHECK CONDITION: the sense key goes to the error register and is kept for REQUEST SENSE.
    fn check_condition(&mut self, drive: usize, key: u8, asc: u8) {
        if let Some(Some(DiskDrive::Optical(optical))) = self.drives.get_mut(drive) {
            optical.sense = crate::drive::SenseData { key, asc, ascq: 0 };
        }
        self.abort(drive, key << ErrorReg::SENSE_KEY_SHIFT | ErrorReg::ABRT);
    }
}
