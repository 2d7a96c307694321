//! The audit chain's key. It is kept outside the database (a file, by default `audit.key` in the
//! data directory) so that someone who can write the database cannot recompute the chain after
//! editing it: without the key an edited entry's HMAC cannot be made to match.

use std::fmt;
use std::io::Write;
use std::path::Path;
use std::sync::Arc;

use hmac::{Hmac, KeyInit};
use rand::Rng as _;
use rand::rand_core::UnwrapErr;
use rand::rngs::SysRng;
use sha2::Sha256;

pub type HmacSha256 = Hmac<Sha256>;

const KEY_BYTES: usize = 32;

/// A secret HMAC-SHA256 key. Cloning shares it; `Debug` never prints it.
#[derive(Clone)]
pub struct AuditKey(Arc<[u8; KEY_BYTES]>);

impl fmt::Debug for AuditKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("AuditKey(…)")
    }
}

impl Default for AuditKey {
    /// A fresh random key: for tests and in-memory databases, whose chain lives as long as the key.
    fn default() -> Self {
        Self::random()
    }
}

impl AuditKey {
    pub fn random() -> Self {
        let mut k = [0u8; KEY_BYTES];
        UnwrapErr(SysRng).fill_bytes(&mut k);
        Self(Arc::new(k))
    }

    pub fn from_bytes(bytes: [u8; KEY_BYTES]) -> Self {
        Self(Arc::new(bytes))
    }

    /// A MAC keyed with this key, to feed and finalise.
    pub fn mac(&self) -> HmacSha256 {
        // HMAC takes keys of any length, so this cannot fail.
        <HmacSha256 as KeyInit>::new_from_slice(&self.0[..]).unwrap_or_else(|_| unreachable!())
    }

    /// Reads the key at `path` (64 hex digits), creating it with a new random key (mode 0600 on
    /// Unix) when the file does not exist: the first start of a deployment makes its key.
    pub fn load_or_create(path: &Path) -> std::io::Result<Self> {
        match std::fs::read_to_string(path) {
            Ok(text) => Self::parse(text.trim()).ok_or_else(|| {
                std::io::Error::new(
                    std::io::ErrorKind::InvalidData,
                    format!("{}: an audit key is 64 hexadecimal digits", path.display()),
                )
            }),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                let key = Self::random();
                if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
                    std::fs::create_dir_all(dir)?;
                }
                let mut options = std::fs::OpenOptions::new();
                // create_new: two instances starting at once must not both write a key.
                options.write(true).create_new(true);
                #[cfg(unix)]
                {
                    use std::os::unix::fs::OpenOptionsExt;
                    options.mode(0o600);
                }
                match options.open(path) {
                    Ok(mut f) => {
                        writeln!(f, "{}", hex::encode(&key.0[..]))?;
                        f.sync_all()?;
                        Ok(key)
                    }
                    Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
                        Self::load_or_create(path)
                    }
                    Err(e) => Err(e),
                }
            }
            Err(e) => Err(e),
        }
    }

    fn parse(text: &str) -> Option<Self> {
        let bytes = hex::decode(text).ok()?;
        let arr: [u8; KEY_BYTES] = bytes.try_into().ok()?;
        Some(Self::from_bytes(arr))
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn a_new_key_is_written_private_and_read_back() {
        let dir = std::env::temp_dir().join(format!("irnet-key-{}", uuid::Uuid::now_v7()));
        let path = dir.join("audit.key");
        let a = AuditKey::load_or_create(&path).unwrap();
        let b = AuditKey::load_or_create(&path).unwrap();
        assert_eq!(a.0, b.0);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&path).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
        }
        std::fs::write(&path, "not a key").unwrap();
        assert!(AuditKey::load_or_create(&path).is_err());
        std::fs::remove_dir_all(dir).unwrap();
    }
}
