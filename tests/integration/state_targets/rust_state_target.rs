// A Rust libFuzzer target whose device state sits behind what OpenVMM's devices use: parking_lot
// locks (std-only stand-ins with the real crate and type names), Box, Arc/Weak, VecDeque, BTreeMap,
// HashMap, OnceCell, OnceLock and atomics. Any input whose first byte is 'p' holds the locks and
// panics in StateDevice::check with the state in `self`; the state test reads it back
// (accuracy_test.cpp, schema state_target.toml).
#![no_main]

use std::cell::OnceCell;
use std::collections::{BTreeMap, HashMap, VecDeque};
use std::sync::atomic::{AtomicBool, AtomicU32, Ordering};
use std::sync::{Arc, OnceLock, Weak};

#[derive(Clone, Copy, Debug)]
pub struct Status(pub u8);

pub struct Regs {
    pub status: Status,
}

pub struct StateDevice {
    pub regs: Regs,
    pub locked: parking_lot::Mutex<Regs>,
    pub shared: parking_lot::RwLock<Regs>,
    pub boxed: Box<Regs>,
    pub strong: Arc<parking_lot::Mutex<Regs>>,
    pub weak: Weak<parking_lot::Mutex<Regs>>,
    pub queue: VecDeque<u32>,
    pub tree: BTreeMap<u32, u32>,
    pub table: HashMap<u32, u32>,
    pub cell: OnceCell<Regs>,
    pub lazy: OnceLock<Regs>,
    pub counter: AtomicU32,
    pub flag: AtomicBool,
}

impl StateDevice {
    fn new() -> Self {
        let strong = Arc::new(parking_lot::Mutex::new(Regs { status: Status(0x44) }));
        let weak = Arc::downgrade(&strong);
        let mut queue = VecDeque::new();
        for v in [7, 8, 9] {
            queue.push_back(v);
        }
        let cell = OnceCell::new();
        let _ = cell.set(Regs { status: Status(0x66) });
        let lazy = OnceLock::new();
        let _ = lazy.set(Regs { status: Status(0x77) });
        StateDevice {
            regs: Regs { status: Status(0x11) },
            locked: parking_lot::Mutex::new(Regs { status: Status(0x22) }),
            shared: parking_lot::RwLock::new(Regs { status: Status(0x33) }),
            boxed: Box::new(Regs { status: Status(0x55) }),
            strong,
            weak,
            queue,
            tree: (1..=4).map(|k| (k, k * 10)).collect(),
            table: (1..=5).map(|k| (k, k * 100)).collect(),
            cell,
            lazy,
            counter: AtomicU32::new(42),
            flag: AtomicBool::new(true),
        }
    }

    #[inline(never)]
    fn check(&self, input: &[u8]) {
        let guard = self.locked.lock();
        self.counter.fetch_add(u32::from(input[0] == b'p'), Ordering::Relaxed);
        if input[0] == b'p' {
            panic!("state check failed with status {:#x}", guard.status.0);
        }
    }
}

#[no_mangle]
pub extern "C" fn LLVMFuzzerTestOneInput(data: *const u8, size: usize) -> i32 {
    if size == 0 {
        return 0;
    }
    let input = unsafe { std::slice::from_raw_parts(data, size) };
    let device = StateDevice::new();
    device.shared.read_with(|_| device.check(input));
    0
}
