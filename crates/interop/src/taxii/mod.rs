//! TAXII 2.1: the resources a server returns, their media types, and the parsing of the query
//! parameters of the object endpoints, as pure types and functions. The web layer serves them;
//! nothing here knows about HTTP.

pub mod filter;
pub mod resources;

/// The media type of every TAXII 2.1 resource (TAXII 2.1, 1.6.8).
pub const MEDIA_TYPE_TAXII: &str = "application/taxii+json;version=2.1";
/// The media type of STIX content in envelopes and collections.
pub const MEDIA_TYPE_STIX: &str = crate::stix::MEDIA_TYPE;

/// Whether an `Accept` (or `Content-Type`) header value admits TAXII 2.1: the exact media type,
/// or `application/taxii+json` without a version (which means the latest, 2.1), with any
/// parameters order and spacing. Case-insensitive, as media types are.
pub fn accepts_taxii(header: &str) -> bool {
    header
        .split(',')
        .any(|m| media_matches(m, "application/taxii+json"))
}

/// Whether a header value admits STIX 2.1 (for adding objects).
pub fn accepts_stix(header: &str) -> bool {
    header
        .split(',')
        .any(|m| media_matches(m, "application/stix+json"))
}

fn media_matches(range: &str, essence: &str) -> bool {
    let mut parts = range.split(';').map(str::trim);
    let Some(first) = parts.next() else {
        return false;
    };
    if !first.eq_ignore_ascii_case(essence) {
        return false;
    }
    let mut version_ok = true;
    for p in parts {
        if let Some((k, v)) = p.split_once('=')
            && k.trim().eq_ignore_ascii_case("version")
        {
            version_ok = v.trim().trim_matches('"') == "2.1";
        }
    }
    version_ok
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn media_types() {
        assert!(accepts_taxii(MEDIA_TYPE_TAXII));
        assert!(accepts_taxii(
            "application/json, application/TAXII+json; version=2.1"
        ));
        assert!(accepts_taxii("application/taxii+json"));
        assert!(!accepts_taxii("application/taxii+json;version=2.0"));
        assert!(!accepts_taxii("application/json"));
        assert!(accepts_stix(MEDIA_TYPE_STIX));
        assert!(!accepts_stix("application/stix+json;version=2.0"));
    }
}
