//! Content digests: SHA-256 as lower-case hex, for the build record's hashes and the
//! photos' identity. A leaf: it knows nothing of manifests, outputs or photos.

use sha2::{Digest, Sha256};

/// SHA-256 of bytes, as hex.
pub fn sha256(bytes: &[u8]) -> String {
    hex(&Sha256::digest(bytes))
}

/// Bytes (a finished digest) as lower-case hex.
pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}
