//! fuzz_ide_rs: a std-only libFuzzer target for an OpenVMM-style IDE controller model, built by CMake
//! with plain rustc (fuzz_targets/rust/CMakeLists.txt). The same crate built with `--cfg replay` gets a
//! `main` that runs each file argument once, without libFuzzer.
//!
//! Input: first byte = drive configuration (2 bits per slot), then actions decoded exactly as
//! fuzz_targets/common/action_stream.hpp does for the C++ IDE harness.

#![cfg_attr(not(replay), no_main)]

pub mod actions;
pub mod ata;
pub mod atapi;
pub mod bus_master;
pub mod channel;
pub mod closeable_mutex;
pub mod device;
pub mod drive;
pub mod harness;
pub mod identify;
pub mod planted;
pub mod regs;
#[cfg(replay)]
mod replay;
pub mod task_file;

use std::sync::{Arc, Mutex, PoisonError};

use actions::ActionStream;
use closeable_mutex::CloseableMutex;
use device::IdeDevice;

/// The current input's device, so a debugger finds a root even when the -O1 build has optimised the
/// entry point's local away. Replaced at the start of every input.
pub static IDE_DEVICE: Mutex<Option<Arc<CloseableMutex<IdeDevice>>>> = Mutex::new(None);

/// libFuzzer entry point: a fresh device per input, then every action in order.
#[no_mangle]
pub extern "C" fn LLVMFuzzerTestOneInput(data: *const u8, size: usize) -> i32 {
    let input: &[u8] = if data.is_null() || size == 0 {
        &[]
    } else {
        // SAFETY: libFuzzer (and the replay main) pass a valid buffer of `size` bytes.
        unsafe { std::slice::from_raw_parts(data, size) }
    };
    let mut stream = ActionStream::new(input);
    let slots = harness::slots_from_byte(stream.take_byte());

    let mut global = IDE_DEVICE.lock().unwrap_or_else(PoisonError::into_inner);
    // Drop the previous input's device before building the next one.
    *global = None;
    let ide_device = Arc::new(CloseableMutex::new(IdeDevice::new(slots)));
    *global = Some(Arc::clone(&ide_device));
    drop(global);

    // `while let` keeps `stream` a named local (triage reads its action count; see wrappers.toml).
    while let Some(action) = stream.next() {
        let Some(mut device) = ide_device.lock() else { break };
        harness::apply(&mut device, action);
    }
    0
}

#[cfg(replay)]
fn main() -> std::process::ExitCode {
    replay::run()
}
