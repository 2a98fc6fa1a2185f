//! Replays libFuzzer inputs without libFuzzer, like fuzz_targets/common/replay_main.cpp: each file
//! argument is read and passed to the entry point once, in order. A planted bug panics, and with
//! panic=abort that ends the process with SIGABRT after the panic message.

use std::process::ExitCode;

pub fn run() -> ExitCode {
    let args: Vec<String> = std::env::args().collect();
    if args.len() < 2 {
        eprintln!(
            "usage: {} INPUT...",
            args.first().map_or("replay_ide_rs", String::as_str)
        );
        return ExitCode::from(2);
    }
    for path in &args[1..] {
        let bytes = match std::fs::read(path) {
            Ok(bytes) => bytes,
            Err(err) => {
                eprintln!("replay: cannot open {path}: {err}");
                return ExitCode::from(2);
            }
        };
        eprintln!("replay: running {path} ({} bytes)", bytes.len());
        crate::LLVMFuzzerTestOneInput(bytes.as_ptr(), bytes.len());
    }
    eprintln!("replay: done, no crash");
    ExitCode::SUCCESS
}
