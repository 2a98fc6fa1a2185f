//! Planted-bug switches for artifact regeneration: `TRIAGE_FIXED_BUGS=RS-02,...` makes the named planted
//! bugs behave as fixed, so a campaign that keeps finding a shallow bug can go on to the deeper ones,
//! as a real campaign does once its first findings are fixed (fuzz_targets/regenerate_artifacts.py).
//! Unset (always, outside that script), every planted bug is live.

use std::sync::OnceLock;

/// True when `id` is listed in TRIAGE_FIXED_BUGS.
pub fn fixed(id: &str) -> bool {
    static FIXED: OnceLock<Vec<String>> = OnceLock::new();
    FIXED
        .get_or_init(|| {
            std::env::var("TRIAGE_FIXED_BUGS")
                .map(|v| v.split(',').map(|s| s.trim().to_string()).filter(|s| !s.is_empty()).collect())
                .unwrap_or_default()
        })
        .iter()
        .any(|f| f == id)
}
