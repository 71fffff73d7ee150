//! API-key material. A key reads `tk_live_` + 30 random base62 characters + a 6-character
//! base62 CRC32 checksum of the random part: recognisable by secret scanners, checkable
//! offline for typos, and about 178 bits of entropy. Only its SHA-256 and a short display
//! prefix are stored; the key itself is shown once.

use crate::id::random_token;
use sha2::{Digest, Sha256};

pub const KEY_PREFIX: &str = "tk_live_";
const RANDOM_LEN: usize = 30;
const CHECKSUM_LEN: usize = 6;
const BASE62: &[u8] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

/// A freshly generated key: the secret to hand out once, and what may be stored.
#[derive(Debug, Clone)]
pub struct NewKey {
    pub secret: String,
    pub hash: String,
    pub display_prefix: String,
}

fn checksum(random: &str) -> String {
    let mut n = crc32fast::hash(random.as_bytes()) as u64;
    let mut out = [b'0'; CHECKSUM_LEN];
    for slot in out.iter_mut().rev() {
        *slot = BASE62[(n % 62) as usize];
        n /= 62;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Generates a new key.
pub fn generate() -> NewKey {
    let random = random_token(RANDOM_LEN);
    let secret = format!("{KEY_PREFIX}{random}{}", checksum(&random));
    NewKey {
        hash: hash(&secret),
        display_prefix: display_prefix(&secret),
        secret,
    }
}

/// True when `s` has the shape of a talentd key and its checksum matches.
pub fn is_well_formed(s: &str) -> bool {
    let Some(rest) = s.strip_prefix(KEY_PREFIX) else {
        return false;
    };
    if rest.len() != RANDOM_LEN + CHECKSUM_LEN || !rest.bytes().all(|b| b.is_ascii_alphanumeric()) {
        return false;
    }
    let (random, sum) = rest.split_at(RANDOM_LEN);
    checksum(random) == sum
}

/// The stored form of a key: hex SHA-256. Keys carry enough entropy that a fast hash
/// cannot be brute-forced, and lookups stay one indexed equality.
pub fn hash(secret: &str) -> String {
    hex::encode(Sha256::digest(secret.as_bytes()))
}

/// What the API shows of a key after creation: `tk_live_AbCd`.
pub fn display_prefix(secret: &str) -> String {
    secret.chars().take(KEY_PREFIX.len() + 4).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generated_keys_are_well_formed_and_distinct() {
        let a = generate();
        let b = generate();
        assert!(is_well_formed(&a.secret));
        assert_eq!(a.secret.len(), KEY_PREFIX.len() + 36);
        assert_ne!(a.secret, b.secret);
        assert_eq!(a.hash, hash(&a.secret));
        assert!(a.secret.starts_with(&a.display_prefix));
    }

    #[test]
    fn a_single_typo_breaks_the_checksum() {
        let k = generate().secret;
        let mut chars: Vec<char> = k.chars().collect();
        let i = KEY_PREFIX.len() + 3;
        chars[i] = if chars[i] == 'a' { 'b' } else { 'a' };
        let typo: String = chars.into_iter().collect();
        assert!(!is_well_formed(&typo));
        assert!(!is_well_formed("tk_live_short"));
        assert!(!is_well_formed(&k.replace("tk_live_", "tk_test_")));
    }
}
