//! Random tokens and their hashes. Tokens carry ≥ 128 random bits, so a fast hash
//! (SHA-256) is enough to store them; passwords are argon2id (see `auth`).

use sha2::{Digest, Sha256};
use tirkeu_core::person::AccessCode;

/// SHA-256 of `s`, hex.
pub fn sha256_hex(s: &str) -> String {
    hex::encode(Sha256::digest(s.as_bytes()))
}

/// 256 random bits as hex, with a prefix naming what it is (`tks_` session, `tka_` API key).
pub fn token(prefix: &str) -> String {
    format!("{prefix}{}", hex::encode(rand::random::<[u8; 32]>()))
}

/// A new applicant's access code: 26 Crockford symbols (130 bits) in groups of 4.
pub fn access_code() -> String {
    AccessCode::generate().to_string()
}

/// The stored hash of an access code as typed (case, spaces, hyphens and Crockford's
/// look-alikes forgiven). Text that is no access code hashes to something no code matches.
pub fn access_code_hash(code: &str) -> String {
    AccessCode::parse(code).map_or_else(
        |_| sha256_hex(&format!("tirkeu-not-an-access-code:{code}")),
        |c| c.sha256_hex(),
    )
}

/// Constant-time comparison of two hex digests.
pub fn same(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .fold(0u8, |acc, (x, y)| acc | (x ^ y))
            == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn access_codes_are_long_and_forgiving() {
        let c = access_code();
        assert_eq!(c.len(), 26 + 6);
        assert_eq!(
            access_code_hash(&c),
            access_code_hash(&c.to_lowercase().replace('-', " "))
        );
        assert_ne!(access_code_hash(&c), access_code_hash(&access_code()));
        assert!(same("ab", "ab") && !same("ab", "ac") && !same("ab", "abc"));
    }
}
