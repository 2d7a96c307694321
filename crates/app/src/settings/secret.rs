//! Secrets in the configuration (a password in a URL, a token): kept whole for use, masked
//! wherever they are shown — `Debug`, logs, `irnet config show`.

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A secret setting. `Debug` and `Serialize` show it masked; `expose` gives the value to the one
/// place that uses it.
#[derive(Clone, PartialEq, Eq, Deserialize)]
#[serde(transparent)]
pub struct Secret(String);

impl Secret {
    pub fn new(value: impl Into<String>) -> Self {
        Self(value.into())
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&Masked::new(&self.0), f)
    }
}

impl Serialize for Secret {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&mask(&self.0))
    }
}

/// A secret borrowed for display: prints as `mask` does.
pub struct Masked<'a>(&'a str);

impl<'a> Masked<'a> {
    pub fn new(secret: &'a str) -> Self {
        Self(secret)
    }
}

impl fmt::Debug for Masked<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&mask(self.0), f)
    }
}

impl fmt::Display for Masked<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&mask(self.0))
    }
}

/// How a secret is shown. A URL keeps what helps an operator check it (scheme, user, host, the
/// options) and loses its password, also one given as a `password=` option (libpq accepts it);
/// anything else is a token and shows as `***`.
pub fn mask(secret: &str) -> String {
    if !secret.contains("://") {
        return "***".to_owned();
    }
    let url = irnet_store::db::redact(secret);
    match url.split_once('?') {
        Some((base, query)) if query.to_ascii_lowercase().contains("password") => {
            format!("{base}?***")
        }
        _ => url,
    }
}

/// For an `Option<String>` setting holding a URL that may carry a password (`smtp_url`): shown
/// masked; blank means none, as an empty environment variable does.
pub mod url {
    use super::*;

    pub fn serialize<S: Serializer>(value: &Option<String>, s: S) -> Result<S::Ok, S::Error> {
        value.as_deref().map(mask).serialize(s)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
        Ok(Option::<String>::deserialize(d)?.filter(|u| !u.trim().is_empty()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_secret_is_never_printed() {
        assert_eq!(
            mask("smtps://irnet:hunter2@mail.example.vn:465"),
            "smtps://irnet:***@mail.example.vn:465"
        );
        assert_eq!(
            mask("smtp://relay:25?tls=required"),
            "smtp://relay:25?tls=required"
        );
        assert_eq!(
            mask("postgres://db/irnet?user=x&password=hunter2"),
            "postgres://db/irnet?***"
        );
        assert_eq!(mask("hunter2"), "***");
        let s = Secret::new("hunter2");
        assert!(!format!("{s:?}").contains("hunter2"));
        assert_eq!(s.expose(), "hunter2");
    }
}
