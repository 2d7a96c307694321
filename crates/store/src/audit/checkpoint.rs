//! Checkpoints of the chain's head, written as signed files outside the database (by default
//! `audit-checkpoints/` in the data directory) for an operator to copy elsewhere. The chain alone
//! cannot show that its tail was cut or that both tables were emptied: a checkpoint remembers how
//! far the log reached, and its HMAC (the audit key) stops anyone without the key from writing a
//! lower one.

use std::path::{Path, PathBuf};

use hmac::Mac;
use serde::{Deserialize, Serialize};

use super::key::AuditKey;

/// The head of the chain at one moment: entry `seq` was the newest, `entries` entries up to it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Checkpoint {
    pub seq: i64,
    pub entries: u64,
    pub hash: String,
    /// when it was taken (RFC 3339), for the operator
    pub at: String,
    /// HMAC-SHA256 over the fields above, hex
    pub signature: String,
}

impl Checkpoint {
    pub fn new(key: &AuditKey, seq: i64, entries: u64, hash: String, at: String) -> Self {
        let mut c = Self {
            seq,
            entries,
            hash,
            at,
            signature: String::new(),
        };
        c.signature = hex::encode(c.mac(key).finalize().into_bytes());
        c
    }

    fn mac(&self, key: &AuditKey) -> super::key::HmacSha256 {
        let mut m = key.mac();
        m.update(b"irnet audit checkpoint v1");
        for part in [
            self.seq.to_string().as_str(),
            &self.entries.to_string(),
            &self.hash,
            &self.at,
        ] {
            m.update(&[0x1f]);
            m.update(part.as_bytes());
        }
        m
    }

    pub fn is_signed_by(&self, key: &AuditKey) -> bool {
        hex::decode(&self.signature).is_ok_and(|sig| self.mac(key).verify_slice(&sig).is_ok())
    }

    fn file_name(&self) -> String {
        format!("checkpoint-{:020}.json", self.seq)
    }

    /// Writes the checkpoint into `dir` (created if needed); a checkpoint of the same entry is
    /// replaced.
    pub fn write_to(&self, dir: &Path) -> std::io::Result<PathBuf> {
        std::fs::create_dir_all(dir)?;
        let path = dir.join(self.file_name());
        let tmp = dir.join(format!(".{}.tmp", self.file_name()));
        let text = serde_json::to_string_pretty(self).map_err(std::io::Error::other)?;
        std::fs::write(&tmp, text)?;
        std::fs::rename(&tmp, &path)?;
        Ok(path)
    }
}

/// What the checkpoint directory holds.
#[derive(Debug)]
pub enum Latest {
    /// no checkpoint file (a new deployment, or none configured)
    None,
    /// the checkpoint reaching furthest among those signed with the key
    Found(Checkpoint),
    /// a file that is not a checkpoint signed with this key: forged, or made with another key
    Invalid(PathBuf),
}

/// The furthest-reaching checkpoint in `dir`; a file that does not verify is reported rather
/// than skipped, since an operator must know that a checkpoint was tampered with.
pub fn latest(dir: &Path, key: &AuditKey) -> std::io::Result<Latest> {
    let entries = match std::fs::read_dir(dir) {
        Ok(e) => e,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Latest::None),
        Err(e) => return Err(e),
    };
    let mut best: Option<Checkpoint> = None;
    for entry in entries {
        let path = entry?.path();
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
        if !(name.starts_with("checkpoint-") && name.ends_with(".json")) {
            continue;
        }
        let parsed: Option<Checkpoint> = std::fs::read_to_string(&path)
            .ok()
            .and_then(|t| serde_json::from_str(&t).ok());
        match parsed {
            Some(c) if c.is_signed_by(key) => {
                if best.as_ref().is_none_or(|b| c.seq > b.seq) {
                    best = Some(c);
                }
            }
            _ => return Ok(Latest::Invalid(path)),
        }
    }
    Ok(best.map_or(Latest::None, Latest::Found))
}
