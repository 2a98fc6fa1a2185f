//! One-byte register newtypes, in the style of OpenVMM's bitfield structs: the raw bits live in a plain
//! `u8` (so a debugger sees only a number) and the code tests them with the associated mask constants.
//! The triage tool decodes these types by name through devices/schemas/ide.toml, so the bit positions
//! here must stay the standard ATA / SFF-8038i ones.

// Every bit of each register is named, including ones the model never sets, so the table reads like the
// data sheet; unused names are not a sign of dead code.
#![allow(dead_code)]

macro_rules! bit_register {
    ($(#[$doc:meta])* $name:ident { $($(#[$bit_doc:meta])* $bit:ident = $mask:expr;)* }) => {
        $(#[$doc])*
        #[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
        #[repr(transparent)]
        pub struct $name(pub u8);

        impl $name {
            $($(#[$bit_doc])* pub const $bit: u8 = $mask;)*

            /// True when every bit of `mask` is set.
            pub fn contains(self, mask: u8) -> bool {
                self.0 & mask == mask
            }

            pub fn insert(&mut self, mask: u8) {
                self.0 |= mask;
            }

            pub fn remove(&mut self, mask: u8) {
                self.0 &= !mask;
            }
        }
    };
}

bit_register! {
    /// ATA status register (command block offset 7 on read, and the alternate status at 0x3F6).
    Status {
        /// Error: the error register holds the reason.
        ERR = 1 << 0;
        IDX = 1 << 1;
        CORR = 1 << 2;
        /// Data request: the data port is ready for the next PIO access.
        DRQ = 1 << 3;
        DSC = 1 << 4;
        DF = 1 << 5;
        DRDY = 1 << 6;
        BSY = 1 << 7;
    }
}

bit_register! {
    /// ATA error register (offset 1 on read). ATAPI drives put the SCSI sense key in bits 7:4.
    ErrorReg {
        AMNF = 1 << 0;
        TK0NF = 1 << 1;
        /// Command aborted.
        ABRT = 1 << 2;
        MCR = 1 << 3;
        /// Sector address not found (out of range).
        IDNF = 1 << 4;
        MC = 1 << 5;
        UNC = 1 << 6;
        BBK = 1 << 7;
    }
}

impl ErrorReg {
    /// Where an ATAPI drive reports the sense key of a CHECK CONDITION.
    pub const SENSE_KEY_SHIFT: u32 = 4;
}

bit_register! {
    /// Device/head register (offset 6): drive select, addressing mode and LBA bits 27:24 or the head.
    DeviceHead {
        /// Head number (CHS) or LBA bits 27:24.
        HEAD = 0x0f;
        /// Selects device 1 (the "slave").
        DEV = 1 << 4;
        /// LBA addressing instead of CHS.
        LBA = 1 << 6;
    }
}

bit_register! {
    /// Device control register (0x3F6 / 0x376 on write).
    DeviceControl {
        /// Interrupts disabled (nIEN).
        NIEN = 1 << 1;
        /// Software reset of both drives on the channel.
        SRST = 1 << 2;
        HOB = 1 << 7;
    }
}

bit_register! {
    /// Bus master IDE command register (SFF-8038i, base + 0 / + 8).
    BusMasterCommand {
        /// Start/stop the bus master.
        START = 1 << 0;
        /// Direction: set when the device is read and guest memory written.
        READ = 1 << 3;
    }
}

bit_register! {
    /// Bus master IDE status register (base + 2 / + 10).
    BusMasterStatus {
        ACTIVE = 1 << 0;
        /// Write 1 to clear.
        ERROR = 1 << 1;
        /// Write 1 to clear.
        INTERRUPT = 1 << 2;
        DRIVE0_DMA = 1 << 5;
        DRIVE1_DMA = 1 << 6;
        SIMPLEX = 1 << 7;
    }
}
