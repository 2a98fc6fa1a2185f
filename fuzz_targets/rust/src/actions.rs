//! Decodes a fuzz input into device actions exactly as fuzz_targets/common/action_stream.hpp does for the
//! C++ targets (same opcodes, operand sizes and modulo rules), so one input means the same thing to both
//! IDE harnesses. Every byte drives behaviour; running out of bytes ends the stream.

/// Port access width in bytes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AccessWidth {
    Byte = 1,
    Word = 2,
    Dword = 4,
}

impl AccessWidth {
    pub fn bytes(self) -> usize {
        self as usize
    }

    /// Maps any byte to a width: 0 byte, 1 word, 2 dword (modulo 3).
    pub fn from_byte(b: u8) -> Self {
        match b % 3 {
            0 => AccessWidth::Byte,
            1 => AccessWidth::Word,
            _ => AccessWidth::Dword,
        }
    }

    /// Keeps the bits a bus of this width carries.
    pub fn mask(self, value: u32) -> u32 {
        match self {
            AccessWidth::Byte => value & 0xff,
            AccessWidth::Word => value & 0xffff,
            AccessWidth::Dword => value,
        }
    }
}

/// Opcode byte modulo 5, in the C++ `ActionKind` order.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Action {
    /// `[op][port index][width]`
    Read { port_index: u8, width: AccessWidth },
    /// `[op][port index][width][value: width bytes, little endian]`
    Write {
        port_index: u8,
        width: AccessWidth,
        value: u32,
    },
    /// `[op]`
    Reset,
    /// `[op][ticks: 2 bytes]`, microseconds
    Tick { ticks: u32 },
    /// `[op][offset: 2 bytes][value: 4 bytes]`, offset taken modulo the guest memory size
    MemoryWrite { offset: u32, value: u32 },
}

const ACTION_KIND_COUNT: u8 = 5;

pub struct ActionStream<'a> {
    data: &'a [u8],
    pos: usize,
    /// Actions decoded so far, the one being run included: triage reports "action #N" from it.
    decoded: usize,
}

impl<'a> ActionStream<'a> {
    pub fn new(data: &'a [u8]) -> Self {
        Self { data, pos: 0, decoded: 0 }
    }

    pub fn is_empty(&self) -> bool {
        self.pos >= self.data.len()
    }

    /// Takes one byte (0 when exhausted).
    pub fn take_byte(&mut self) -> u8 {
        match self.data.get(self.pos) {
            Some(&b) => {
                self.pos += 1;
                b
            }
            None => 0,
        }
    }

    /// Takes `n` (<= 4) bytes as a little-endian value; missing bytes read as zero.
    pub fn take_le(&mut self, n: usize) -> u32 {
        (0..n.min(4)).fold(0, |v, i| v | u32::from(self.take_byte()) << (8 * i))
    }
}

impl Iterator for ActionStream<'_> {
    type Item = Action;

    fn next(&mut self) -> Option<Action> {
        if self.is_empty() {
            return None;
        }
        self.decoded += 1;
        let action = match self.take_byte() % ACTION_KIND_COUNT {
            0 => {
                let port_index = self.take_byte();
                Action::Read {
                    port_index,
                    width: AccessWidth::from_byte(self.take_byte()),
                }
            }
            1 => {
                let port_index = self.take_byte();
                let width = AccessWidth::from_byte(self.take_byte());
                Action::Write {
                    port_index,
                    width,
                    value: self.take_le(width.bytes()),
                }
            }
            2 => Action::Reset,
            3 => Action::Tick { ticks: self.take_le(2) },
            _ => {
                let offset = self.take_le(2);
                Action::MemoryWrite {
                    offset,
                    value: self.take_le(4),
                }
            }
        };
        Some(action)
    }
}
