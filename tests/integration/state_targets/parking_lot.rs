// A std-only stand-in for parking_lot (see lock_api.rs): RawMutex { state: AtomicU8 } and
// RawRwLock { state: AtomicUsize } with parking_lot's lock bits, spinning instead of parking.
#![no_std]

pub mod raw_mutex {
    use core::sync::atomic::{AtomicU8, Ordering};

    pub const LOCKED_BIT: u8 = 0b01;

    pub struct RawMutex {
        state: AtomicU8,
    }

    unsafe impl lock_api::RawMutex for RawMutex {
        const INIT: RawMutex = RawMutex { state: AtomicU8::new(0) };
        fn lock(&self) {
            while self.state.compare_exchange_weak(0, LOCKED_BIT, Ordering::Acquire, Ordering::Relaxed).is_err() {
                core::hint::spin_loop();
            }
        }
        unsafe fn unlock(&self) {
            self.state.store(0, Ordering::Release);
        }
    }
}

pub mod raw_rwlock {
    use core::sync::atomic::{AtomicUsize, Ordering};

    /// One reader adds ONE_READER to the state, as parking_lot counts them.
    pub const ONE_READER: usize = 0b10000;

    pub struct RawRwLock {
        state: AtomicUsize,
    }

    unsafe impl lock_api::RawRwLock for RawRwLock {
        const INIT: RawRwLock = RawRwLock { state: AtomicUsize::new(0) };
        fn lock_shared(&self) {
            self.state.fetch_add(ONE_READER, Ordering::Acquire);
        }
        unsafe fn unlock_shared(&self) {
            self.state.fetch_sub(ONE_READER, Ordering::Release);
        }
    }
}

pub type Mutex<T> = lock_api::Mutex<raw_mutex::RawMutex, T>;
pub type RwLock<T> = lock_api::RwLock<raw_rwlock::RawRwLock, T>;
