//! Text the databases can store, checked once where it enters. PostgreSQL's `text` (and `jsonb`)
//! cannot hold U+0000, while SQLite stores it: a NUL that reached a query was a 500 on one backend
//! and a stored value on the other. Every way text comes in — path parameters and query strings
//! (the context layer), JSON bodies (`ApiJson`), forms (`Form`), multipart fields and file names —
//! passes through here, and a NUL is refused as a field error naming where it was, before anything
//! is read from or written to the database. U+0000 is the only character PostgreSQL text refuses;
//! invalid UTF-8 and lone surrogates never become a `String` (serde and the URL decoders refuse
//! or replace them).

use irnet_app::{AppError, FieldError};
use serde_json::Value;

/// The machine-readable code of the refusal (`error-nul-character` in the locales).
pub const CODE: &str = "nul_character";

/// Whether the databases can store `s`.
pub fn storable(s: &str) -> bool {
    !s.contains('\0')
}

/// The refusal naming `field`; a name that itself holds a NUL shows it escaped.
pub fn refusal(field: &str) -> AppError {
    AppError::Validation(vec![FieldError {
        field: field.replace('\0', "\\u0000"),
        code: CODE.to_owned(),
        params: vec![],
    }])
}

/// A multipart field's value or a file's name.
pub fn field(name: &str, value: &str) -> Result<(), AppError> {
    if storable(name) && storable(value) {
        Ok(())
    } else {
        Err(refusal(name))
    }
}

/// Named values: path parameters, a query string or a form body, decoded.
pub fn pairs<'a>(mut pairs: impl Iterator<Item = (&'a str, &'a str)>) -> Result<(), AppError> {
    match pairs.find(|(k, v)| !storable(k) || !storable(v)) {
        Some((k, _)) => Err(refusal(k)),
        None => Ok(()),
    }
}

/// A query string or an `application/x-www-form-urlencoded` body.
pub fn urlencoded(raw: &[u8]) -> Result<(), AppError> {
    // The raw bytes can only decode to a NUL through `%00`; most inputs skip the decoding.
    if !raw.windows(3).any(|w| w == b"%00") && !raw.contains(&0) {
        return Ok(());
    }
    let decoded: Vec<(String, String)> = serde_urlencoded::from_bytes(raw).unwrap_or_default();
    pairs(decoded.iter().map(|(k, v)| (k.as_str(), v.as_str())))
}

/// A JSON body. A NUL can only be written `\u0000` in JSON (a raw control character inside a
/// string is a syntax error), so a body without that escape is not parsed a second time.
pub fn json(raw: &[u8]) -> Result<(), AppError> {
    checked_json(raw, Naming::Position)
}

/// An exchanged document (a STIX bundle, a TAXII envelope, a MISP event): an element of a list
/// is named by its own identifier, as the import names its problems (`objects[indicator--…].
/// description`, `Attribute[<uuid>].value`), its position when it has none. A byte order mark
/// before the text is skipped, as the import skips it.
pub fn exchange(raw: &[u8]) -> Result<(), AppError> {
    checked_json(raw, Naming::Identifier)
}

#[derive(Clone, Copy, PartialEq)]
enum Naming {
    Position,
    Identifier,
}

fn checked_json(raw: &[u8], naming: Naming) -> Result<(), AppError> {
    if !raw.windows(6).any(|w| w == b"\\u0000") {
        return Ok(());
    }
    let raw = raw.strip_prefix("\u{feff}".as_bytes()).unwrap_or(raw);
    // Not JSON at all: the extractor's own parse will say so.
    let Ok(value) = serde_json::from_slice::<Value>(raw) else {
        return Ok(());
    };
    match nul_at(&value, String::new(), naming) {
        Some(path) => Err(refusal(if path.is_empty() { "body" } else { &path })),
        None => Ok(()),
    }
}

/// The identifier an element of an exchanged list is known by: a STIX `id`, a MISP `uuid`.
fn identifier(item: &Value) -> Option<&str> {
    ["id", "uuid"]
        .into_iter()
        .find_map(|k| item.get(k).and_then(Value::as_str))
        .filter(|id| !id.is_empty() && storable(id))
}

/// Where in `v` the first NUL is, named as the application names nested fields
/// (`observables[2].value`); `Some("")` for the document itself.
fn nul_at(v: &Value, at: String, naming: Naming) -> Option<String> {
    match v {
        Value::String(s) => (!storable(s)).then_some(at),
        Value::Array(items) => items.iter().enumerate().find_map(|(i, item)| {
            let here = match identifier(item).filter(|_| naming == Naming::Identifier) {
                Some(id) => format!("{at}[{id}]"),
                None => format!("{at}[{i}]"),
            };
            nul_at(item, here, naming)
        }),
        Value::Object(map) => map.iter().find_map(|(k, item)| {
            let here = if at.is_empty() {
                k.clone()
            } else {
                format!("{at}.{k}")
            };
            if storable(k) {
                nul_at(item, here, naming)
            } else {
                Some(here)
            }
        }),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::panic)]
    use super::*;

    fn field_of(r: Result<(), AppError>) -> String {
        match r {
            Err(AppError::Validation(f)) => f[0].field.clone(),
            other => panic!("not refused: {other:?}"),
        }
    }

    #[test]
    fn json_names_the_nested_field() {
        assert!(json(br#"{"title":"ok","n":[1,"two"]}"#).is_ok());
        assert_eq!(field_of(json(br#"{"title":"a\u0000b"}"#)), "title");
        assert_eq!(
            field_of(json(br#"{"obs":[{"value":"x"},{"value":"\u0000"}]}"#)),
            "obs[1].value"
        );
        assert_eq!(field_of(json(br#"["a","\u0000"]"#)), "[1]");
        assert_eq!(field_of(json(br#""\u0000""#)), "body");
        assert_eq!(field_of(json(br#"{"a\u0000":1}"#)), "a\\u0000");
        // an escaped backslash before `u0000` is text, not a NUL
        assert!(json(br#"{"path":"C:\\u0000"}"#).is_ok());
    }

    #[test]
    fn exchanged_documents_name_elements_by_their_identifier() {
        let stix = br#"{"type":"bundle","objects":[{"id":"indicator--1","name":"ok"},{"id":"indicator--2","description":"a\u0000"}]}"#;
        assert_eq!(
            field_of(exchange(stix)),
            "objects[indicator--2].description"
        );
        let misp = br#"{"Event":{"Attribute":[{"uuid":"5f1e","value":"\u0000"}]}}"#;
        assert_eq!(field_of(exchange(misp)), "Event.Attribute[5f1e].value");
        // without an identifier, its position; a NUL in the identifier itself is named by position
        assert_eq!(
            field_of(exchange(br#"{"objects":[{"x":"\u0000"}]}"#)),
            "objects[0].x"
        );
        assert_eq!(
            field_of(exchange(br#"{"objects":[{"id":"a\u0000"}]}"#)),
            "objects[0].id"
        );
        // a byte order mark does not hide a NUL
        let bom = [&b"\xef\xbb\xbf"[..], br#"{"title":"\u0000"}"#].concat();
        assert_eq!(field_of(exchange(&bom)), "title");
        assert_eq!(field_of(json(&bom)), "title");
    }

    #[test]
    fn urlencoded_names_the_key() {
        assert!(urlencoded(b"q=abc&page=2").is_ok());
        assert_eq!(field_of(urlencoded(b"q=abc&tlp=%00")), "tlp");
        assert_eq!(
            field_of(urlencoded(b"email=a%00%40b.vn&password=x")),
            "email"
        );
        // `%2500` is the text "%00"
        assert!(urlencoded(b"q=%2500").is_ok());
    }

    #[test]
    fn fields_and_names() {
        assert!(field("file", "report.pdf").is_ok());
        assert_eq!(field_of(field("file", "a\0.pdf")), "file");
    }
}
