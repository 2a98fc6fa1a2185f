//! OpenVMM's `CloseableMutex<T>` shape: a `std::sync::Mutex<bool>` whose payload is the `closed` flag, and
//! the protected value in an `UnsafeCell` beside it. Devices are owned as `Arc<CloseableMutex<Device>>`,
//! which is exactly the wrapper chain the triage tool has to walk to reach device state.

use std::cell::UnsafeCell;
use std::ops::{Deref, DerefMut};
use std::sync::{Mutex, MutexGuard, PoisonError};

pub struct CloseableMutex<T: ?Sized> {
    /// Holds `closed`; locking it is what serialises access to `value`.
    mutex: Mutex<bool>,
    value: UnsafeCell<T>,
}

// SAFETY: `value` is only reached through a guard that holds `mutex`, as with `std::sync::Mutex<T>`.
unsafe impl<T: ?Sized + Send> Send for CloseableMutex<T> {}
// SAFETY: as above; shared references only ever hand out access while the lock is held.
unsafe impl<T: ?Sized + Send> Sync for CloseableMutex<T> {}

impl<T> CloseableMutex<T> {
    pub const fn new(value: T) -> Self {
        Self {
            mutex: Mutex::new(false),
            value: UnsafeCell::new(value),
        }
    }
}

impl<T: ?Sized> CloseableMutex<T> {
    /// Locks the value, or returns `None` once the owner has closed the device.
    pub fn lock(&self) -> Option<CloseableMutexGuard<'_, T>> {
        // With panic=abort nothing can poison the lock, but stay total anyway.
        let closed = self.mutex.lock().unwrap_or_else(PoisonError::into_inner);
        if *closed {
            return None;
        }
        Some(CloseableMutexGuard {
            _closed: closed,
            value: &self.value,
        })
    }

    /// Marks the device closed; later `lock()` calls return `None`.
    pub fn close(&self) {
        *self.mutex.lock().unwrap_or_else(PoisonError::into_inner) = true;
    }

    pub fn is_closed(&self) -> bool {
        *self.mutex.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// Access to the value while the mutex is held.
pub struct CloseableMutexGuard<'a, T: ?Sized> {
    _closed: MutexGuard<'a, bool>,
    value: &'a UnsafeCell<T>,
}

impl<T: ?Sized> Deref for CloseableMutexGuard<'_, T> {
    type Target = T;

    fn deref(&self) -> &T {
        // SAFETY: the guard holds the mutex, so no other reference to the value exists.
        unsafe { &*self.value.get() }
    }
}

impl<T: ?Sized> DerefMut for CloseableMutexGuard<'_, T> {
    fn deref_mut(&mut self) -> &mut T {
        // SAFETY: as in `deref`, and `&mut self` makes this the only access through the guard.
        unsafe { &mut *self.value.get() }
    }
}
