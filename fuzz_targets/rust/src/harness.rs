//! Turns decoded actions into device calls. The port table is the controller's whole I/O surface, so
//! every `port_index` (taken modulo its length) reaches a real register.

use crate::actions::Action;
use crate::device::{
    IdeDevice, SlotConfig, BUS_MASTER, PRIMARY_COMMAND, PRIMARY_CONTROL, SECONDARY_COMMAND, SECONDARY_CONTROL,
};

const fn port_table() -> [u16; 34] {
    let mut ports = [0u16; 34];
    let mut i = 0;
    while i < 8 {
        ports[i] = PRIMARY_COMMAND + i as u16;
        ports[9 + i] = SECONDARY_COMMAND + i as u16;
        i += 1;
    }
    ports[8] = PRIMARY_CONTROL;
    ports[17] = SECONDARY_CONTROL;
    let mut j = 0;
    while j < 16 {
        ports[18 + j] = BUS_MASTER + j as u16;
        j += 1;
    }
    ports
}

/// 0x1F0-0x1F7, 0x3F6, 0x170-0x177, 0x376, 0xC000-0xC00F.
pub const PORTS: [u16; 34] = port_table();

/// The first input byte: two bits per slot, primary master in the low bits.
pub fn slots_from_byte(config: u8) -> [SlotConfig; 4] {
    [0, 2, 4, 6].map(|shift| SlotConfig::from_bits(config >> shift))
}

pub fn apply(device: &mut IdeDevice, action: Action) {
    let port = |index: u8| PORTS[usize::from(index) % PORTS.len()];
    match action {
        Action::Read { port_index, width } => {
            // The value is the guest's business; reading is what has side effects.
            let _ = device.io_read(port(port_index), width);
        }
        Action::Write {
            port_index,
            width,
            value,
        } => device.io_write(port(port_index), width, value),
        Action::Reset => device.reset(),
        Action::Tick { ticks } => device.tick(u64::from(ticks)),
        Action::MemoryWrite { offset, value } => device.memory_write(offset as usize, value),
    }
}
