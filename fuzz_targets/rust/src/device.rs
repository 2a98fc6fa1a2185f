//! The PIIX-style IDE controller: two channels on the legacy ports, the bus master block, and the guest
//! memory DMA writes into. This is the device root the triage tool dumps.

use crate::actions::AccessWidth;
use crate::bus_master::BusMasterChannel;
use crate::channel::{Channel, FLOATING_BUS};
use crate::drive::DiskDrive;

pub const GUEST_MEMORY_SIZE: usize = 64 * 1024;

pub const PRIMARY_COMMAND: u16 = 0x1f0;
pub const PRIMARY_CONTROL: u16 = 0x3f6;
pub const SECONDARY_COMMAND: u16 = 0x170;
pub const SECONDARY_CONTROL: u16 = 0x376;
pub const BUS_MASTER: u16 = 0xc000;

/// What is plugged into one drive slot.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SlotConfig {
    Empty,
    HardDrive,
    OpticalWithDisc,
    OpticalEmpty,
}

impl SlotConfig {
    /// Two bits per slot: 0 none, 1 hard drive, 2 optical with disc, 3 optical without.
    pub fn from_bits(bits: u8) -> Self {
        match bits & 3 {
            0 => SlotConfig::Empty,
            1 => SlotConfig::HardDrive,
            2 => SlotConfig::OpticalWithDisc,
            _ => SlotConfig::OpticalEmpty,
        }
    }

    fn build(self, seed: u8) -> Option<DiskDrive> {
        match self {
            SlotConfig::Empty => None,
            SlotConfig::HardDrive => Some(DiskDrive::hard(seed)),
            SlotConfig::OpticalWithDisc => Some(DiskDrive::optical(true, seed)),
            SlotConfig::OpticalEmpty => Some(DiskDrive::optical(false, seed)),
        }
    }
}

/// Which register a port reaches.
#[derive(Clone, Copy, Debug)]
enum PortTarget {
    Command { channel: usize, reg: u16 },
    Control { channel: usize },
    BusMaster { channel: usize, reg: u16 },
}

fn decode_port(port: u16) -> Option<PortTarget> {
    let in_block = |base: u16, len: u16| port.checked_sub(base).filter(|&reg| reg < len);
    if let Some(reg) = in_block(PRIMARY_COMMAND, 8) {
        return Some(PortTarget::Command { channel: 0, reg });
    }
    if let Some(reg) = in_block(SECONDARY_COMMAND, 8) {
        return Some(PortTarget::Command { channel: 1, reg });
    }
    if let Some(reg) = in_block(BUS_MASTER, 16) {
        return Some(PortTarget::BusMaster {
            channel: usize::from(reg / 8),
            reg: reg % 8,
        });
    }
    match port {
        PRIMARY_CONTROL => Some(PortTarget::Control { channel: 0 }),
        SECONDARY_CONTROL => Some(PortTarget::Control { channel: 1 }),
        _ => None,
    }
}

#[derive(Debug)]
pub struct IdeDevice {
    channels: [Channel; 2],
    bus_master: [BusMasterChannel; 2],
    guest_memory: Vec<u8>,
}

impl IdeDevice {
    /// Slots in order primary master, primary slave, secondary master, secondary slave.
    pub fn new(slots: [SlotConfig; 4]) -> Self {
        let drive = |i: usize| slots[i].build(i as u8);
        Self {
            channels: [
                Channel::new(0, [drive(0), drive(1)]),
                Channel::new(1, [drive(2), drive(3)]),
            ],
            bus_master: [BusMasterChannel::default(); 2],
            guest_memory: vec![0; GUEST_MEMORY_SIZE],
        }
    }

    pub fn io_read(&mut self, port: u16, width: AccessWidth) -> u32 {
        let value = match decode_port(port) {
            Some(PortTarget::Command { channel, reg }) => self.channels[channel].read_register(reg, width.bytes()),
            Some(PortTarget::Control { channel }) => u32::from(self.channels[channel].status()),
            Some(PortTarget::BusMaster { channel, reg }) => {
                let bm = &self.bus_master[channel];
                (0..width.bytes() as u16).fold(0, |v, i| v | u32::from(bm.read_byte(reg + i)) << (8 * i))
            }
            None => FLOATING_BUS,
        };
        width.mask(value)
    }

    pub fn io_write(&mut self, port: u16, width: AccessWidth, value: u32) {
        let value = width.mask(value);
        match decode_port(port) {
            Some(PortTarget::Command { channel, reg }) => {
                self.channels[channel].write_register(reg, width.bytes(), value);
                self.poll_dma(channel);
            }
            Some(PortTarget::Control { channel }) => self.channels[channel].write_device_control(value as u8),
            Some(PortTarget::BusMaster { channel, reg }) => {
                for (i, byte) in value.to_le_bytes().into_iter().take(width.bytes()).enumerate() {
                    self.bus_master[channel].write_byte(reg + i as u16, byte);
                }
                self.poll_dma(channel);
            }
            None => {}
        }
    }

    /// Device reset: registers and transfers, not the disks' contents or guest memory.
    pub fn reset(&mut self) {
        for channel in &mut self.channels {
            channel.reset();
        }
        for bm in &mut self.bus_master {
            bm.reset();
        }
    }

    /// Time passing lets a bus master that was started before its drive was ready make progress.
    pub fn tick(&mut self, _micros: u64) {
        for channel in 0..self.channels.len() {
            self.poll_dma(channel);
        }
    }

    /// A guest store to memory (the PRD tables a DMA follows live there); offsets wrap.
    pub fn memory_write(&mut self, offset: usize, value: u32) {
        for (i, byte) in value.to_le_bytes().into_iter().enumerate() {
            let addr = offset.wrapping_add(i) % self.guest_memory.len();
            self.guest_memory[addr] = byte;
        }
    }

    /// Runs a pending DMA read once both the drive and the bus master are ready for it.
    fn poll_dma(&mut self, channel: usize) {
        if self.channels[channel].dma_request().is_none() || !self.bus_master[channel].ready_for_read() {
            return;
        }
        let mut data = Vec::new();
        let ok = self.channels[channel].read_dma_data(&mut data)
            && self.bus_master[channel].scatter(&data, &mut self.guest_memory).is_ok();
        self.bus_master[channel].finish(ok);
        self.channels[channel].finish_dma(ok);
    }

    pub fn interrupt_lines(&self) -> [bool; 2] {
        [self.channels[0].interrupt_line(), self.channels[1].interrupt_line()]
    }
}
