//! SFF-8038i bus master IDE, one register block per channel: command, status and the physical address of
//! the PRD table. A DMA read scatters the drive's data into guest memory along the PRD entries.

use crate::regs::{BusMasterCommand, BusMasterStatus};

/// Register offsets inside a channel's 8-byte block.
pub mod offset {
    pub const COMMAND: u16 = 0;
    pub const STATUS: u16 = 2;
    pub const PRD_TABLE: u16 = 4;
}

/// A PRD table lives in one 64 KiB page: at most 8192 entries, which also bounds the walk.
const MAX_PRD_ENTRIES: usize = 0x10000 / 8;

const PRD_END_OF_TABLE: u64 = 1 << 63;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DmaError {
    /// A PRD entry or its buffer lies outside guest memory.
    OutOfMemory,
    /// The table ended before the transfer did.
    PrdTooShort,
}

#[derive(Clone, Copy, Debug, Default)]
pub struct BusMasterChannel {
    pub command: BusMasterCommand,
    pub status: BusMasterStatus,
    pub prd_table: u32,
}

impl BusMasterChannel {
    pub fn reset(&mut self) {
        *self = Self::default();
    }

    pub fn read_byte(&self, reg: u16) -> u8 {
        match reg {
            offset::COMMAND => self.command.0,
            offset::STATUS => self.status.0,
            4..=7 => self.prd_table.to_le_bytes()[usize::from(reg - offset::PRD_TABLE)],
            _ => 0,
        }
    }

    pub fn write_byte(&mut self, reg: u16, value: u8) {
        match reg {
            offset::COMMAND => {
                let was_started = self.command.contains(BusMasterCommand::START);
                self.command = BusMasterCommand(value & (BusMasterCommand::START | BusMasterCommand::READ));
                let started = self.command.contains(BusMasterCommand::START);
                if started && !was_started {
                    self.status.insert(BusMasterStatus::ACTIVE);
                } else if !started {
                    // Clearing START aborts whatever the engine was doing.
                    self.status.remove(BusMasterStatus::ACTIVE);
                }
            }
            offset::STATUS => {
                let write_one_to_clear = BusMasterStatus::ERROR | BusMasterStatus::INTERRUPT;
                let read_write = BusMasterStatus::DRIVE0_DMA | BusMasterStatus::DRIVE1_DMA;
                self.status.remove(value & write_one_to_clear);
                self.status.0 = (self.status.0 & !read_write) | (value & read_write);
            }
            4..=7 => {
                let mut bytes = self.prd_table.to_le_bytes();
                bytes[usize::from(reg - offset::PRD_TABLE)] = value;
                // The table is dword aligned; the low two bits are reserved.
                self.prd_table = u32::from_le_bytes(bytes) & !3;
            }
            _ => {}
        }
    }

    /// Started, active and pointed device-to-memory: ready to take a drive's read data.
    pub fn ready_for_read(&self) -> bool {
        self.command.contains(BusMasterCommand::START | BusMasterCommand::READ)
            && self.status.contains(BusMasterStatus::ACTIVE)
    }

    /// Copies `data` into `memory` along the PRD table.
    pub fn scatter(&self, data: &[u8], memory: &mut [u8]) -> Result<(), DmaError> {
        let mut done = 0usize;
        let mut entry_addr = self.prd_table as usize;
        for _ in 0..MAX_PRD_ENTRIES {
            if done == data.len() {
                return Ok(());
            }
            let entry_bytes = entry_addr
                .checked_add(8)
                .and_then(|end| memory.get(entry_addr..end))
                .ok_or(DmaError::OutOfMemory)?;
            let entry = u64::from_le_bytes(entry_bytes.try_into().map_err(|_| DmaError::OutOfMemory)?);
            let base = (entry as u32 & !1) as usize;
            // A byte count of 0 means 64 KiB.
            let count = match (entry >> 32) as u16 {
                0 => 0x10000,
                n => usize::from(n),
            };
            let n = count.min(data.len() - done);
            let dst = base
                .checked_add(n)
                .and_then(|end| memory.get_mut(base..end))
                .ok_or(DmaError::OutOfMemory)?;
            dst.copy_from_slice(&data[done..done + n]);
            done += n;
            if done < data.len() && entry & PRD_END_OF_TABLE != 0 {
                return Err(DmaError::PrdTooShort);
            }
            entry_addr += 8;
        }
        if done == data.len() {
            Ok(())
        } else {
            Err(DmaError::PrdTooShort)
        }
    }

    /// Records the end of a transfer: the engine stops and raises its interrupt.
    pub fn finish(&mut self, ok: bool) {
        self.status.remove(BusMasterStatus::ACTIVE);
        self.status.insert(BusMasterStatus::INTERRUPT);
        if !ok {
            self.status.insert(BusMasterStatus::ERROR);
        }
    }
}
