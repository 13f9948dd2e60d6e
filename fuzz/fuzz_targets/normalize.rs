//! Fuzz target `normalize`: see `fuzz/README.md` and `jianbao_fuzz::check_normalize`.

#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    jianbao_fuzz::check_normalize(data);
});
