//! Argon2id password hashing, off the async threads. Unknown accounts are checked against a dummy
//! hash so that the answer takes as long for them as for real ones.

use std::sync::OnceLock;

use argon2::password_hash::phc::PasswordHash;
use argon2::password_hash::{PasswordHasher, PasswordVerifier};
use argon2::{Algorithm, Argon2, Params, Version};

use crate::AppError;

fn argon2() -> Argon2<'static> {
    // OWASP's second recommended setting: 19 MiB, 2 passes, 1 lane.
    let params = Params::new(19 * 1024, 2, 1, None).unwrap_or_default();
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

fn hash_blocking(password: &str) -> Result<String, AppError> {
    // a fresh 16-byte salt from the operating system's generator
    argon2()
        .hash_password(password.as_bytes())
        .map(|h| h.to_string())
        .map_err(|e| AppError::internal(format!("password hashing failed: {e}")))
}

fn dummy_hash() -> &'static str {
    static DUMMY: OnceLock<String> = OnceLock::new();
    DUMMY.get_or_init(|| hash_blocking("irnet dummy password for timing").unwrap_or_default())
}

pub async fn hash(password: String) -> Result<String, AppError> {
    tokio::task::spawn_blocking(move || hash_blocking(&password))
        .await
        .map_err(AppError::internal)?
}

/// Verifies `password` against `stored`, or against the dummy hash when there is no account.
pub async fn verify(stored: Option<String>, password: String) -> Result<bool, AppError> {
    tokio::task::spawn_blocking(move || {
        let real = stored.is_some();
        let stored = stored.unwrap_or_else(|| dummy_hash().to_owned());
        let ok = PasswordHash::new(&stored)
            .map(|parsed| {
                argon2()
                    .verify_password(password.as_bytes(), &parsed)
                    .is_ok()
            })
            .unwrap_or(false);
        ok && real
    })
    .await
    .map_err(AppError::internal)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn verifies_only_the_right_password_and_never_without_an_account() {
        let h = hash("correct horse battery".into()).await.unwrap();
        assert!(h.starts_with("$argon2id$"));
        assert!(
            verify(Some(h.clone()), "correct horse battery".into())
                .await
                .unwrap()
        );
        assert!(!verify(Some(h), "wrong horse battery".into()).await.unwrap());
        assert!(
            !verify(None, "irnet dummy password for timing".into())
                .await
                .unwrap()
        );
    }

    #[tokio::test]
    async fn verifies_a_hash_stored_by_an_earlier_argon2_release() {
        // made by argon2 0.5 with the parameters above, before the upgrade to 0.6: stored hashes
        // must keep verifying across upgrades of the crate
        let stored = "$argon2id$v=19$m=19456,t=2,p=1$1tGTzk3kVXoeOia3K5wmTQ$4w6Oy8LnJGd0c2HYDt55XWuM0ctYOgoAz9eC74Hm3bQ";
        assert!(
            verify(Some(stored.into()), "correct horse battery".into())
                .await
                .unwrap()
        );
        assert!(
            !verify(Some(stored.into()), "wrong horse battery".into())
                .await
                .unwrap()
        );
    }
}
