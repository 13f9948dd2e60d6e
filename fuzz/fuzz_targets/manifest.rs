//! Fuzz target `manifest`: see `fuzz/README.md` and `jianbao_fuzz::check_manifest`.

#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    jianbao_fuzz::check_manifest(data);
});
