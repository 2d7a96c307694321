//! Bearer secrets (session cookies, API tokens, recovery codes): random, shown once, stored only
//! as SHA-256, compared by hash lookup so no timing depends on the secret's content.

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use rand::Rng as _;
use rand::rand_core::UnwrapErr;
use rand::rngs::SysRng;
use sha2::{Digest, Sha256};

pub const TOKEN_PREFIX: &str = "irnet_";

/// 256 random bits, base64url.
pub fn random_secret() -> String {
    let mut bytes = [0u8; 32];
    UnwrapErr(SysRng).fill_bytes(&mut bytes);
    URL_SAFE_NO_PAD.encode(bytes)
}

pub fn sha256_hex(s: &str) -> String {
    hex::encode(Sha256::digest(s.as_bytes()))
}

/// A new API token and its stored hash.
pub fn new_api_token() -> (String, String) {
    let raw = format!("{TOKEN_PREFIX}{}", random_secret());
    let hash = sha256_hex(&raw);
    (raw, hash)
}

/// Ten recovery codes of the form `abcd-efgh-ijkl` (lowercase letters and digits without
/// look-alikes), about 60 bits each.
pub fn new_recovery_codes() -> Vec<String> {
    const ALPHABET: &[u8] = b"abcdefghjkmnpqrstuvwxyz23456789";
    let mut rng = UnwrapErr(SysRng);
    (0..10)
        .map(|_| {
            let chars: Vec<char> = (0..12)
                .map(|_| char::from(ALPHABET[(rng.next_u32() as usize) % ALPHABET.len()]))
                .collect();
            let groups: Vec<String> = chars.chunks(4).map(|c| c.iter().collect()).collect();
            groups.join("-")
        })
        .collect()
}

/// Recovery codes are compared case- and separator-insensitively, as people type them.
pub fn normalise_recovery_code(code: &str) -> String {
    code.chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_prefixed_unique_and_hashed() {
        let (a, ha) = new_api_token();
        let (b, hb) = new_api_token();
        assert!(a.starts_with(TOKEN_PREFIX));
        assert_ne!(a, b);
        assert_ne!(ha, hb);
        assert_eq!(ha, sha256_hex(&a));
        assert_eq!(ha.len(), 64);
    }

    #[test]
    fn recovery_codes_normalise_as_typed() {
        let codes = new_recovery_codes();
        assert_eq!(codes.len(), 10);
        let c = &codes[0];
        assert_eq!(c.len(), 14);
        assert_eq!(
            normalise_recovery_code(&c.to_uppercase().replace('-', " ")),
            c.replace('-', "")
        );
    }
}
