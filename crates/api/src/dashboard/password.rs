//! Passwords: Argon2id hashes in PHC form, and one-time passwords for new users.

use argon2::Argon2;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use std::sync::OnceLock;

/// Shortest password accepted.
pub const MIN_LEN: usize = 12;
/// Longest password accepted (hashing cost grows with length).
pub const MAX_LEN: usize = 256;

/// Why a password is refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Weak {
    /// Fewer than [`MIN_LEN`] characters.
    TooShort,
    /// More than [`MAX_LEN`] characters.
    TooLong,
}

/// Whether `password` is acceptable, and why not.
pub fn weakness(password: &str) -> Option<Weak> {
    let n = password.chars().count();
    if n < MIN_LEN {
        Some(Weak::TooShort)
    } else if n > MAX_LEN {
        Some(Weak::TooLong)
    } else {
        None
    }
}

/// Why a password is refused, in words (for the CLI and the provisioning errors).
pub fn check_strength(password: &str) -> Result<(), String> {
    match weakness(password) {
        None => Ok(()),
        Some(Weak::TooShort) => Err(format!(
            "the password must have at least {MIN_LEN} characters"
        )),
        Some(Weak::TooLong) => Err(format!(
            "the password must have at most {MAX_LEN} characters"
        )),
    }
}

/// The PHC string of `password` under a fresh salt.
pub fn hash(password: &str) -> Result<String, argon2::password_hash::Error> {
    let mut raw = [0u8; 16];
    rand::Rng::fill(&mut rand::rng(), &mut raw);
    let salt = SaltString::encode_b64(&raw)?;
    Ok(Argon2::default()
        .hash_password(password.as_bytes(), &salt)?
        .to_string())
}

/// Whether `password` matches the stored hash; false for a malformed hash.
pub fn verify(password: &str, phc: &str) -> bool {
    PasswordHash::new(phc).is_ok_and(|h| {
        Argon2::default()
            .verify_password(password.as_bytes(), &h)
            .is_ok()
    })
}

/// Spends the time of one verification, for sign-ins with an unknown email, so that
/// timing does not tell which emails have accounts.
pub fn verify_nothing(password: &str) {
    static DUMMY: OnceLock<String> = OnceLock::new();
    let phc = DUMMY.get_or_init(|| hash("talentd-dummy-password").unwrap_or_default());
    let _ = verify(password, phc);
}

/// A one-time password: 20 characters from an alphabet without look-alikes.
pub fn generate() -> String {
    use rand::Rng;
    const ALPHABET: &[u8] = b"abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    let mut rng = rand::rng();
    (0..20)
        .map(|_| ALPHABET[rng.random_range(0..ALPHABET.len())] as char)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_hash_verifies_its_password_only() {
        let h = hash("correct horse battery").unwrap();
        assert!(h.starts_with("$argon2id$"));
        assert!(verify("correct horse battery", &h));
        assert!(!verify("correct horse batterY", &h));
        assert!(!verify("correct horse battery", "not a hash"));
        assert_ne!(hash("correct horse battery").unwrap(), h, "salted");
    }

    #[test]
    fn generated_passwords_are_strong_and_differ() {
        let a = generate();
        assert_eq!(a.len(), 20);
        assert!(check_strength(&a).is_ok());
        assert_ne!(a, generate());
        assert!(check_strength("short").is_err());
        assert_eq!(weakness("short"), Some(Weak::TooShort));
        assert_eq!(weakness(&"x".repeat(MAX_LEN + 1)), Some(Weak::TooLong));
    }
}
