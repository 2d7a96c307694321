//! The one-click acknowledgement link mailed to a recipient's focal point:
//! `/alerts/ack/{token}`, with `token` = the link's id (96 random bits) followed by a signature
//! (HMAC-SHA256, cut to 96 bits), both base64url — 32 characters.
//!
//! The id names a row of `alert_ack_tokens`, which names the recipient organisation and the
//! person and holds the expiry and whether the link was used (single use). The signature is
//! computed with a server key kept in the database (`server_keys`, made on first use, shared by
//! every instance) over the id, the recipient, the person and the expiry, so a link is only good
//! for the row it was made for, as it was made: a guessed id, or a row changed in the database
//! afterwards, does not verify.
//!
//! Why so short: mail bodies travel as readable 8-bit text only while every line fits in 75
//! octets (see `mail.rs`), and the link must stay on one line to be clickable.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::{DateTime, Utc};
use hmac::{Hmac, KeyInit, Mac};
use irnet_store::DbConn;
use irnet_store::alerts::{self as store, AckTokenRow};
use irnet_store::time::to_db;
use rand::Rng as _;
use rand::rand_core::UnwrapErr;
use rand::rngs::SysRng;
use sha2::Sha256;

use crate::AppError;
use crate::identity::secrets::random_secret;

const KEY_NAME: &str = "alert-ack-link";
/// base64url characters of 12 bytes
const PART: usize = 16;

/// A fresh link id: 96 random bits, base64url.
pub(crate) fn new_id() -> String {
    let mut bytes = [0u8; 12];
    UnwrapErr(SysRng).fill_bytes(&mut bytes);
    URL_SAFE_NO_PAD.encode(bytes)
}

fn signature(
    conn: &mut DbConn,
    now: DateTime<Utc>,
    row: &AckTokenRow,
) -> Result<Vec<u8>, AppError> {
    let key = store::server_key(conn, KEY_NAME, &random_secret(), to_db(now))?;
    let mut mac = Hmac::<Sha256>::new_from_slice(key.as_bytes()).map_err(AppError::internal)?;
    mac.update(
        format!(
            "alert-ack|v1|{}|{}|{}|{}",
            row.id,
            row.recipient_id,
            row.person_id,
            row.expires_at.and_utc().timestamp()
        )
        .as_bytes(),
    );
    Ok(mac.finalize().into_bytes()[..12].to_vec())
}

/// The token of a stored link row.
pub(crate) fn sign(
    conn: &mut DbConn,
    now: DateTime<Utc>,
    row: &AckTokenRow,
) -> Result<String, AppError> {
    let sig = signature(conn, now, row)?;
    Ok(format!("{}{}", row.id, URL_SAFE_NO_PAD.encode(sig)))
}

/// The row a token was signed for, if its signature holds; `None` for anything else (malformed,
/// unknown, altered). The comparison is constant-time.
pub(crate) fn verify(
    conn: &mut DbConn,
    now: DateTime<Utc>,
    token: &str,
) -> Result<Option<AckTokenRow>, AppError> {
    let token = token.trim();
    if token.len() != 2 * PART || !token.is_ascii() {
        return Ok(None);
    }
    let (id, sig) = token.split_at(PART);
    let Ok(sig) = URL_SAFE_NO_PAD.decode(sig) else {
        return Ok(None);
    };
    let Some(row) = store::token(conn, id)? else {
        return Ok(None);
    };
    let expected = signature(conn, now, &row)?;
    // Constant-time: the comparison must not tell an attacker how much of a guess was right.
    let same = expected.len() == sig.len()
        && expected
            .iter()
            .zip(&sig)
            .fold(0u8, |acc, (a, b)| acc | (a ^ b))
            == 0;
    Ok(same.then_some(row))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_fixed_length_url_safe_and_distinct() {
        let (a, b) = (new_id(), new_id());
        assert_eq!(a.len(), PART);
        assert_ne!(a, b);
        assert!(
            a.bytes()
                .all(|c| c.is_ascii_alphanumeric() || c == b'-' || c == b'_')
        );
    }
}
