// A Rust libFuzzer target built as cargo-fuzz builds one without a sanitizer: `-C panic=abort`,
// libFuzzer's own main (no Rust runtime, so no Rust stack-overflow handler), no ASan. An input that
// starts with 'r' recurses without a limit: the stack overflows into its guard page (SIGSEGV).
#![no_main]

use std::hint::black_box;

#[inline(never)]
fn descend(depth: u64, data: &[u8]) -> u64 {
    let mut frame = [0u8; 128];
    frame[(depth % 128) as usize] = data[0];
    if data[0] == b'r' {
        return black_box(descend(depth + 1, black_box(data))) + u64::from(black_box(&frame)[3]);
    }
    depth
}

#[no_mangle]
pub extern "C" fn LLVMFuzzerTestOneInput(data: *const u8, size: usize) -> i32 {
    if size == 0 {
        return 0;
    }
    let input = unsafe { std::slice::from_raw_parts(data, size) };
    black_box(descend(0, input));
    0
}
