//! The command block and control registers of a channel as the guest's port accesses see them. Task file
//! writes latch into both drives; reads come from the selected one.

use crate::channel::{Channel, ChannelState, FLOATING_BUS};
use crate::regs::{DeviceControl, DeviceHead, Status};

/// Command block register offsets (base + n).
pub mod offset {
    pub const DATA: u16 = 0;
    pub const ERROR_FEATURES: u16 = 1;
    pub const SECTOR_COUNT: u16 = 2;
    pub const LBA_LOW: u16 = 3;
    pub const LBA_MID: u16 = 4;
    pub const LBA_HIGH: u16 = 5;
    pub const DEVICE_HEAD: u16 = 6;
    pub const STATUS_COMMAND: u16 = 7;
}

impl Channel {
    /// Status as the guest sees it: an absent device 1 reads as zeros (device 0 answers for it), an
    /// empty cable floats high.
    pub fn status(&self) -> u8 {
        match &self.drives[self.selected()] {
            Some(drive) => drive.state().regs.status.0,
            None if self.has_drives() => 0,
            None => 0xff,
        }
    }

    pub fn read_register(&mut self, reg: u16, width: usize) -> u32 {
        if reg == offset::DATA {
            return self.read_data(width);
        }
        if !self.has_drives() {
            return FLOATING_BUS;
        }
        let value = match reg {
            offset::DEVICE_HEAD => self.regs.device_head.0,
            offset::STATUS_COMMAND => {
                // Reading status acknowledges the interrupt; the alternate status does not.
                self.interrupt = false;
                self.status()
            }
            _ => match &self.drives[self.selected()] {
                Some(drive) => {
                    let regs = &drive.state().regs;
                    match reg {
                        offset::ERROR_FEATURES => regs.error.0,
                        offset::SECTOR_COUNT => regs.sector_count,
                        offset::LBA_LOW => regs.lba_low,
                        offset::LBA_MID => regs.lba_mid,
                        _ => regs.lba_high,
                    }
                }
                None => 0,
            },
        };
        u32::from(value)
    }

    pub fn write_register(&mut self, reg: u16, width: usize, value: u32) {
        let byte = value as u8;
        match reg {
            offset::DATA => self.write_data(width, value),
            offset::DEVICE_HEAD => self.regs.device_head = DeviceHead(byte),
            offset::STATUS_COMMAND => self.write_command(byte),
            _ => {
                // Both devices latch task file writes, whichever one is selected.
                for drive in self.drives.iter_mut().flatten() {
                    let regs = &mut drive.state_mut().regs;
                    match reg {
                        offset::ERROR_FEATURES => regs.features = byte,
                        offset::SECTOR_COUNT => regs.sector_count = byte,
                        offset::LBA_LOW => regs.lba_low = byte,
                        offset::LBA_MID => regs.lba_mid = byte,
                        _ => regs.lba_high = byte,
                    }
                }
            }
        }
    }

    /// Device control: SRST going high holds both drives busy, going low completes the reset.
    pub fn write_device_control(&mut self, value: u8) {
        let was_resetting = self.regs.device_control.contains(DeviceControl::SRST);
        self.regs.device_control = DeviceControl(value);
        let resetting = self.regs.device_control.contains(DeviceControl::SRST);
        if resetting && !was_resetting {
            for drive in self.drives.iter_mut().flatten() {
                drive.state_mut().regs.status = Status(Status::BSY);
            }
            self.state = ChannelState::Idle;
            self.buffer.clear();
            self.pos = 0;
            self.interrupt = false;
        } else if !resetting && was_resetting {
            for drive in self.drives.iter_mut().flatten() {
                drive.reset();
            }
            self.regs.device_head = DeviceHead::default();
        }
    }
}
