//! One ATA channel (cable): two drive slots, the channel-wide device/head and device control latches, and
//! the PIO transfer engine that moves `buffer` through the data port. The task file registers are in
//! task_file.rs, command decoding for each drive kind in ata.rs and atapi.rs.

use crate::drive::{DiskDrive, DriveRegs};
use crate::regs::{DeviceControl, DeviceHead, ErrorReg, Status};

/// What the bus reads as when nobody drives it.
pub const FLOATING_BUS: u32 = 0xffff_ffff;

/// ATA command that introduces an ATAPI command packet.
pub const PACKET: u8 = 0xa0;

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum ChannelState {
    #[default]
    Idle,
    /// PIO data-in: `buffer` holds the current block, `remaining` more follow from `next_lba`.
    DataIn {
        drive: usize,
        next_lba: u32,
        remaining: u32,
    },
    /// PIO data-out: the guest fills `buffer`, which is committed to block `lba`.
    DataOut { drive: usize, lba: u32, remaining: u32 },
    /// ATAPI: waiting for the 12-byte command packet in `buffer`.
    Packet { drive: usize, dma: bool },
    /// READ DMA (or an ATAPI READ(10) with the DMA feature): waiting for the bus master.
    DmaIn { drive: usize, lba: u32, blocks: u32 },
}

/// Latches shared by both drives of the channel.
#[derive(Clone, Copy, Debug, Default)]
pub struct ChannelRegs {
    pub device_head: DeviceHead,
    pub device_control: DeviceControl,
}

#[derive(Debug)]
pub struct Channel {
    pub(crate) index: u8,
    pub(crate) drives: [Option<DiskDrive>; 2],
    pub(crate) state: ChannelState,
    pub(crate) regs: ChannelRegs,
    pub(crate) buffer: Vec<u8>,
    pub(crate) pos: usize,
    pub(crate) interrupt: bool,
}

impl Channel {
    pub fn new(index: u8, drives: [Option<DiskDrive>; 2]) -> Self {
        let mut channel = Self {
            index,
            drives,
            state: ChannelState::Idle,
            regs: ChannelRegs::default(),
            buffer: Vec::new(),
            pos: 0,
            interrupt: false,
        };
        channel.reset();
        channel
    }

    /// Hardware reset: every drive shows its signature, no transfer, no pending interrupt.
    pub fn reset(&mut self) {
        for drive in self.drives.iter_mut().flatten() {
            drive.reset();
        }
        self.state = ChannelState::Idle;
        self.regs = ChannelRegs::default();
        self.buffer.clear();
        self.pos = 0;
        self.interrupt = false;
    }

    pub fn interrupt_line(&self) -> bool {
        self.interrupt && !self.regs.device_control.contains(DeviceControl::NIEN)
    }

    pub(crate) fn has_drives(&self) -> bool {
        self.drives.iter().any(Option::is_some)
    }

    pub(crate) fn selected(&self) -> usize {
        usize::from(self.regs.device_head.contains(DeviceHead::DEV))
    }

    pub(crate) fn drive_regs_mut(&mut self, drive: usize) -> Option<&mut DriveRegs> {
        self.drives.get_mut(drive)?.as_mut().map(|d| &mut d.state_mut().regs)
    }

    pub(crate) fn write_command(&mut self, command: u8) {
        // Nothing on the cable latches the command; while SRST is held the drives ignore it.
        if !self.has_drives() || self.regs.device_control.contains(DeviceControl::SRST) {
            return;
        }
        self.execute_command(command);
    }

    /// Starts `command` on the selected drive.
    #[inline(never)]
    pub fn execute_command(&mut self, command: u8) {
        let sel = self.selected();
        // PLANTED BUG RS-02: only "is anything on this cable" was checked; with one drive attached and
        // the other slot selected, the empty slot is unwrapped.
        if crate::planted::fixed("RS-02") && self.drives[sel].is_none() {
            return;
        }
        let drive = self.drives[sel].as_mut().unwrap();
        let optical = drive.is_optical();
        let regs = &mut drive.state_mut().regs;
        if regs.status.contains(Status::BSY) {
            return;
        }
        regs.status.remove(Status::ERR | Status::DRQ | Status::DF);
        regs.error = ErrorReg(0);
        // A new command abandons whatever transfer the guest left unfinished.
        self.state = ChannelState::Idle;
        if command == PACKET {
            if !optical && crate::planted::fixed("RS-03") {
                return self.abort(sel, ErrorReg::ABRT);
            }
            if !optical {
                // PLANTED BUG RS-03: PACKET was assumed unreachable for hard drives (the guest should
                // have seen the ATA signature), so it panics instead of aborting with ABRT.
                panic!(
                    "PACKET command {:#04x} sent to ATA hard drive {} on channel {}",
                    command, sel, self.index
                );
            }
            return self.begin_packet(sel);
        }
        if optical {
            self.atapi_command(sel, command);
        } else {
            self.ata_command(sel, command);
        }
    }

    /// PIO read of the data port: the next `width` bytes of the staged block.
    #[inline(never)]
    pub fn read_data(&mut self, width: usize) -> u32 {
        // During data-out and the command packet the host drives the bus; before any transfer there is
        // nothing staged.
        if matches!(self.state, ChannelState::DataOut { .. } | ChannelState::Packet { .. }) || self.buffer.is_empty() {
            return FLOATING_BUS;
        }
        let mut value = 0u32;
        for i in 0..width {
            // PLANTED BUG RS-01: ending a PIO transfer (the last data-in block, or the command packet of
            // a no-data ATAPI command) drops DRQ but leaves the drained buffer and `pos` behind; this
            // path never checks DRQ, so a read after the last byte (or straddling it) runs past the end.
            if crate::planted::fixed("RS-01") && self.pos >= self.buffer.len() {
                break;
            }
            value |= u32::from(self.buffer[self.pos]) << (8 * i);
            self.pos += 1;
            if self.pos == self.buffer.len() {
                self.data_in_block_done();
            }
        }
        value
    }

    /// The guest drained the staged block: stage the next one or finish the command.
    fn data_in_block_done(&mut self) {
        let ChannelState::DataIn {
            drive,
            next_lba,
            remaining,
        } = self.state
        else {
            return;
        };
        if remaining == 0 {
            self.complete(drive);
            return;
        }
        let loaded = match self
            .drives
            .get(drive)
            .and_then(Option::as_ref)
            .and_then(DiskDrive::medium)
        {
            Some(medium) => medium.read(next_lba, 1, &mut self.buffer),
            None => false,
        };
        if !loaded {
            self.abort(drive, ErrorReg::ABRT | ErrorReg::IDNF);
            return;
        }
        self.state = ChannelState::DataIn {
            drive,
            next_lba: next_lba.wrapping_add(1),
            remaining: remaining - 1,
        };
        self.present_data_block(drive);
    }

    /// PIO write of the data port, filling the block for WRITE SECTORS or the ATAPI packet.
    pub fn write_data(&mut self, width: usize, value: u32) {
        if !matches!(self.state, ChannelState::DataOut { .. } | ChannelState::Packet { .. }) {
            return;
        }
        for i in 0..width {
            let Some(slot) = self.buffer.get_mut(self.pos) else {
                return;
            };
            *slot = (value >> (8 * i)) as u8;
            self.pos += 1;
            if self.pos == self.buffer.len() {
                // Bytes of a wide access past the block end are dropped, as on a real 16-bit bus.
                self.data_out_block_done();
                return;
            }
        }
    }

    fn data_out_block_done(&mut self) {
        match self.state {
            ChannelState::DataOut { drive, lba, remaining } => {
                let written = match self.drives.get_mut(drive) {
                    Some(Some(DiskDrive::Hard(hard))) => hard.disk.write(lba, &self.buffer),
                    _ => false,
                };
                if !written {
                    self.abort(drive, ErrorReg::ABRT | ErrorReg::IDNF);
                } else if remaining <= 1 {
                    self.complete(drive);
                } else {
                    self.state = ChannelState::DataOut {
                        drive,
                        lba: lba.wrapping_add(1),
                        remaining: remaining - 1,
                    };
                    self.buffer.fill(0);
                    self.present_data_block(drive);
                }
            }
            ChannelState::Packet { drive, dma } => {
                let mut cdb = [0u8; 12];
                cdb.copy_from_slice(&self.buffer[..12]);
                self.execute_packet(drive, dma, &cdb);
            }
            _ => {}
        }
    }

    /// Puts the block in `buffer` on the bus: DRQ up, and for ATAPI the byte count and IO reason.
    pub(crate) fn present_data_block(&mut self, drive: usize) {
        self.pos = 0;
        let len = self.buffer.len();
        let data_in = matches!(self.state, ChannelState::DataIn { .. });
        let optical = matches!(self.drives.get(drive), Some(Some(d)) if d.is_optical());
        if let Some(regs) = self.drive_regs_mut(drive) {
            regs.status = Status(Status::DRDY | Status::DSC | Status::DRQ);
            if optical {
                regs.sector_count = if data_in {
                    crate::atapi::REASON_IO
                } else {
                    crate::atapi::REASON_COD
                };
                regs.lba_mid = len as u8;
                regs.lba_high = (len >> 8) as u8;
            }
        }
        self.interrupt = true;
    }

    /// Successful end of a command.
    pub(crate) fn complete(&mut self, drive: usize) {
        let optical = matches!(self.drives.get(drive), Some(Some(d)) if d.is_optical());
        if let Some(regs) = self.drive_regs_mut(drive) {
            regs.status = Status(Status::DRDY | Status::DSC);
            if optical {
                regs.sector_count = crate::atapi::REASON_IO | crate::atapi::REASON_COD;
            }
        }
        self.state = ChannelState::Idle;
        self.interrupt = true;
    }

    /// Failed end of a command with `error` in the error register.
    pub(crate) fn abort(&mut self, drive: usize, error: u8) {
        self.complete(drive);
        if let Some(regs) = self.drive_regs_mut(drive) {
            regs.status.insert(Status::ERR);
            regs.error = ErrorReg(error);
        }
    }

    /// The DMA read the channel is waiting to push: (drive, lba, blocks).
    pub fn dma_request(&self) -> Option<(usize, u32, u32)> {
        match self.state {
            ChannelState::DmaIn { drive, lba, blocks } => Some((drive, lba, blocks)),
            _ => None,
        }
    }

    /// Reads the blocks of the pending DMA request into `out`.
    pub fn read_dma_data(&self, out: &mut Vec<u8>) -> bool {
        let Some((drive, lba, blocks)) = self.dma_request() else {
            return false;
        };
        match self
            .drives
            .get(drive)
            .and_then(Option::as_ref)
            .and_then(DiskDrive::medium)
        {
            Some(medium) => medium.read(lba, blocks, out),
            None => false,
        }
    }

    /// The bus master finished (or failed) the pending DMA request.
    pub fn finish_dma(&mut self, ok: bool) {
        let Some((drive, _, _)) = self.dma_request() else {
            return;
        };
        if ok {
            self.complete(drive);
        } else {
            self.abort(drive, ErrorReg::ABRT);
        }
    }
}
