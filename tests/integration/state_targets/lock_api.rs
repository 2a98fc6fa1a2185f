// A std-only stand-in for the lock_api crate (crates.io is not reachable here): the same crate, module
// and type names and the same field layout as lock_api 0.4, which OpenVMM links through parking_lot, so
// that the debug info of a target using it reads as a real one does ("lock_api::mutex::Mutex<
// parking_lot::raw_mutex::RawMutex, T>" with `raw` and `data`). Only what the test target calls.
#![no_std]

pub mod mutex {
    use core::cell::UnsafeCell;

    /// # Safety
    /// As lock_api's: lock() excludes other lockers until unlock().
    pub unsafe trait RawMutex {
        const INIT: Self;
        fn lock(&self);
        /// # Safety
        /// The caller holds the lock.
        unsafe fn unlock(&self);
    }

    pub struct Mutex<R, T: ?Sized> {
        raw: R,
        data: UnsafeCell<T>,
    }

    unsafe impl<R: RawMutex + Send, T: ?Sized + Send> Sync for Mutex<R, T> {}

    impl<R: RawMutex, T> Mutex<R, T> {
        pub const fn new(val: T) -> Self {
            Mutex { raw: R::INIT, data: UnsafeCell::new(val) }
        }
    }

    impl<R: RawMutex, T: ?Sized> Mutex<R, T> {
        pub fn lock(&self) -> MutexGuard<'_, R, T> {
            self.raw.lock();
            MutexGuard { mutex: self }
        }
    }

    pub struct MutexGuard<'a, R: RawMutex, T: ?Sized> {
        mutex: &'a Mutex<R, T>,
    }

    impl<R: RawMutex, T: ?Sized> core::ops::Deref for MutexGuard<'_, R, T> {
        type Target = T;
        fn deref(&self) -> &T {
            unsafe { &*self.mutex.data.get() }
        }
    }

    impl<R: RawMutex, T: ?Sized> core::ops::DerefMut for MutexGuard<'_, R, T> {
        fn deref_mut(&mut self) -> &mut T {
            unsafe { &mut *self.mutex.data.get() }
        }
    }

    impl<R: RawMutex, T: ?Sized> Drop for MutexGuard<'_, R, T> {
        fn drop(&mut self) {
            unsafe { self.mutex.raw.unlock() }
        }
    }
}

pub mod rwlock {
    use core::cell::UnsafeCell;

    /// # Safety
    /// As lock_api's RawRwLock.
    pub unsafe trait RawRwLock {
        const INIT: Self;
        fn lock_shared(&self);
        /// # Safety
        /// The caller holds a shared lock.
        unsafe fn unlock_shared(&self);
    }

    pub struct RwLock<R, T: ?Sized> {
        raw: R,
        data: UnsafeCell<T>,
    }

    unsafe impl<R: RawRwLock + Send + Sync, T: ?Sized + Send + Sync> Sync for RwLock<R, T> {}

    impl<R: RawRwLock, T> RwLock<R, T> {
        pub const fn new(val: T) -> Self {
            RwLock { raw: R::INIT, data: UnsafeCell::new(val) }
        }
    }

    impl<R: RawRwLock, T: ?Sized> RwLock<R, T> {
        pub fn read_with<U>(&self, f: impl FnOnce(&T) -> U) -> U {
            self.raw.lock_shared();
            let out = f(unsafe { &*self.data.get() });
            unsafe { self.raw.unlock_shared() };
            out
        }
    }
}

pub use mutex::{Mutex, MutexGuard, RawMutex};
pub use rwlock::{RawRwLock, RwLock};
