//! Build script: fingerprints the bundled fonts once at compile time, so incremental
//! builds can include them in each output's hash without reading them (tens of MB) per run.

use std::io::Read;

fn main() {
    println!("cargo:rerun-if-changed=fonts");
    let mut names: Vec<_> = std::fs::read_dir("fonts")
        .expect("fonts/ exists")
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "otf" || e == "ttf"))
        .collect();
    names.sort();
    // FNV-1a over names and bytes: a fingerprint, not a security measure.
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    let mut feed = |bytes: &[u8]| {
        for b in bytes {
            hash ^= u64::from(*b);
            hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
        }
    };
    for path in &names {
        feed(path.file_name().unwrap_or_default().as_encoded_bytes());
        let mut data = Vec::new();
        std::fs::File::open(path)
            .and_then(|mut f| f.read_to_end(&mut data))
            .expect("font readable");
        feed(&data);
    }
    println!("cargo:rustc-env=JIANBAO_FONTS_DIGEST={hash:016x}");
}
