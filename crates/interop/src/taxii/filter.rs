//! The query parameters of TAXII 2.1's object, manifest and versions endpoints (3.4, 3.5):
//! `added_after`, `limit`, `next` and `match[id|type|version|spec_version]`. Parsed from the
//! decoded pairs of the query string into a typed filter, or refused naming the parameter.
//! Parameters TAXII does not define are ignored, as 3.4.2 asks of filters a server does not
//! support.

use crate::stix::id::{StixId, TypeName};
use crate::stix::timestamp::Timestamp;
use serde::Serialize;

/// A refused parameter and why (stable key, for the error resource's details).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FilterError {
    pub parameter: String,
    pub message_key: &'static str,
}

/// Which versions of each object to return (`match[version]`, default `last`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VersionFilter {
    pub all: bool,
    pub first: bool,
    pub last: bool,
    pub exact: Vec<Timestamp>,
}

impl Default for VersionFilter {
    fn default() -> Self {
        VersionFilter {
            all: false,
            first: false,
            last: true,
            exact: Vec::new(),
        }
    }
}

impl VersionFilter {
    /// The versions to return out of an object's versions: any of `first`, `last`, the exact
    /// ones asked for, or all. The result is sorted oldest first without repeats.
    pub fn select(&self, versions: &[Timestamp]) -> Vec<Timestamp> {
        let mut sorted = versions.to_vec();
        sorted.sort();
        sorted.dedup();
        if self.all {
            return sorted;
        }
        let mut out: Vec<Timestamp> = sorted
            .iter()
            .filter(|v| self.exact.contains(v))
            .copied()
            .collect();
        if self.first {
            out.extend(sorted.first());
        }
        if self.last {
            out.extend(sorted.last());
        }
        out.sort();
        out.dedup();
        out
    }
}

/// A parsed object query.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ObjectFilter {
    pub added_after: Option<Timestamp>,
    /// As asked; see [`ObjectFilter::page_size`].
    pub limit: Option<u64>,
    /// The opaque cursor of the previous page (whatever the server put in `next`).
    pub next: Option<String>,
    pub ids: Vec<String>,
    pub types: Vec<String>,
    pub versions: VersionFilter,
    /// Empty means the latest spec version the server has (2.1).
    pub spec_versions: Vec<String>,
}

impl ObjectFilter {
    /// Parses decoded query pairs. Several occurrences of a `match[...]` are one list (any of
    /// them matches), as are comma-separated values.
    pub fn parse<K: AsRef<str>, V: AsRef<str>>(
        pairs: &[(K, V)],
    ) -> Result<ObjectFilter, Vec<FilterError>> {
        let mut f = ObjectFilter::default();
        let mut errors = Vec::new();
        let mut version_given = false;
        let mut fail = |parameter: &str, key: &'static str| {
            errors.push(FilterError {
                parameter: parameter.to_owned(),
                message_key: key,
            })
        };
        for (k, v) in pairs {
            let (k, v) = (k.as_ref(), v.as_ref());
            let values = || v.split(',').map(str::trim).filter(|s| !s.is_empty());
            match k {
                "added_after" => match Timestamp::parse(v) {
                    Some(t) => f.added_after = Some(t),
                    None => fail(k, "invalid_timestamp"),
                },
                "limit" => match v.parse::<u64>() {
                    Ok(n) if n > 0 => f.limit = Some(n),
                    _ => fail(k, "invalid_limit"),
                },
                "next" => {
                    // The server wrote it; anything else is not one of its cursors.
                    let ok = !v.is_empty()
                        && v.len() <= 512
                        && v.bytes()
                            .all(|b| b.is_ascii_alphanumeric() || b"-_.~=".contains(&b));
                    if ok {
                        f.next = Some(v.to_owned());
                    } else {
                        fail(k, "invalid_next");
                    }
                }
                "match[id]" => {
                    for id in values() {
                        match StixId::parse(id) {
                            Some(_) => f.ids.push(id.to_owned()),
                            None => fail(k, "invalid_id"),
                        }
                    }
                }
                "match[type]" => {
                    for t in values() {
                        match TypeName::parse(t) {
                            Some(_) => f.types.push(t.to_owned()),
                            None => fail(k, "invalid_type"),
                        }
                    }
                }
                "match[version]" => {
                    if !version_given {
                        f.versions = VersionFilter {
                            last: false,
                            ..VersionFilter::default()
                        };
                        version_given = true;
                    }
                    for item in values() {
                        match item {
                            "all" => f.versions.all = true,
                            "first" => f.versions.first = true,
                            "last" => f.versions.last = true,
                            t => match Timestamp::parse(t) {
                                Some(t) => f.versions.exact.push(t),
                                None => fail(k, "invalid_version"),
                            },
                        }
                    }
                }
                "match[spec_version]" => {
                    for s in values() {
                        if s.split('.')
                            .all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()))
                        {
                            f.spec_versions.push(s.to_owned());
                        } else {
                            fail(k, "invalid_spec_version");
                        }
                    }
                }
                _ => {}
            }
        }
        if version_given
            && f.versions
                == (VersionFilter {
                    last: false,
                    ..VersionFilter::default()
                })
        {
            fail("match[version]", "invalid_version");
        }
        if errors.is_empty() {
            Ok(f)
        } else {
            Err(errors)
        }
    }

    /// Whether an object (by id, type and spec version) passes the `match[id]`, `match[type]` and
    /// `match[spec_version]` filters. Versions and `added_after` are decided with the store's
    /// dates (`VersionFilter::select`, [`ObjectFilter::added_after`]).
    pub fn matches(&self, id: &str, type_name: &str, spec_version: &str) -> bool {
        let any = |list: &[String], v: &str| list.is_empty() || list.iter().any(|x| x == v);
        let spec = if self.spec_versions.is_empty() {
            spec_version == "2.1"
        } else {
            any(&self.spec_versions, spec_version)
        };
        any(&self.ids, id) && any(&self.types, type_name) && spec
    }

    /// The page size: what was asked, at most the server's maximum; the maximum when not asked.
    pub fn page_size(&self, server_max: u64) -> u64 {
        self.limit.map_or(server_max, |l| l.min(server_max)).max(1)
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn ts(s: &str) -> Timestamp {
        Timestamp::parse(s).unwrap()
    }

    fn errors(pairs: &[(&str, &str)]) -> Vec<(String, &'static str)> {
        ObjectFilter::parse(pairs)
            .unwrap_err()
            .into_iter()
            .map(|e| (e.parameter, e.message_key))
            .collect()
    }

    #[test]
    fn parses_every_filter() {
        let f = ObjectFilter::parse(&[
            ("added_after", "2016-02-01T00:00:01.000Z"),
            ("limit", "20"),
            ("next", "abc-123"),
            (
                "match[id]",
                "indicator--6770298f-0fd8-471a-ab8c-1c658a46574e",
            ),
            ("match[type]", "indicator,malware"),
            ("match[type]", "report"),
            ("match[version]", "first,2016-11-03T12:30:59.000Z"),
            ("match[spec_version]", "2.0,2.1"),
            ("ignored", "x"),
        ])
        .unwrap();
        assert_eq!(f.added_after, Some(ts("2016-02-01T00:00:01.000Z")));
        assert_eq!(f.limit, Some(20));
        assert_eq!(f.next.as_deref(), Some("abc-123"));
        assert_eq!(f.types, ["indicator", "malware", "report"]);
        assert!(f.versions.first && !f.versions.last && !f.versions.all);
        assert_eq!(f.versions.exact, [ts("2016-11-03T12:30:59.000Z")]);
        assert_eq!(f.spec_versions, ["2.0", "2.1"]);
    }

    #[test]
    fn defaults_are_the_latest_version_of_everything() {
        let f = ObjectFilter::parse::<&str, &str>(&[]).unwrap();
        assert_eq!(f.versions, VersionFilter::default());
        assert!(f.matches(
            "indicator--6770298f-0fd8-471a-ab8c-1c658a46574e",
            "indicator",
            "2.1"
        ));
        assert!(!f.matches(
            "indicator--6770298f-0fd8-471a-ab8c-1c658a46574e",
            "indicator",
            "2.0"
        ));
        assert_eq!(f.page_size(100), 100);
    }

    #[test]
    fn refusals_name_the_parameter() {
        assert_eq!(
            errors(&[
                ("added_after", "yesterday"),
                ("limit", "0"),
                ("next", "a b"),
                ("match[type]", "Indicator"),
                ("match[version]", "newest")
            ]),
            [
                ("added_after".to_owned(), "invalid_timestamp"),
                ("limit".to_owned(), "invalid_limit"),
                ("next".to_owned(), "invalid_next"),
                ("match[type]".to_owned(), "invalid_type"),
                ("match[version]".to_owned(), "invalid_version"),
                ("match[version]".to_owned(), "invalid_version"),
            ]
        );
        assert_eq!(
            errors(&[("match[id]", "nope")]),
            [("match[id]".to_owned(), "invalid_id")]
        );
        assert_eq!(
            errors(&[("limit", "-1")]),
            [("limit".to_owned(), "invalid_limit")]
        );
    }

    #[test]
    fn matching_and_paging() {
        let f = ObjectFilter::parse(&[("match[type]", "indicator"), ("limit", "500")]).unwrap();
        assert!(f.matches(
            "indicator--6770298f-0fd8-471a-ab8c-1c658a46574e",
            "indicator",
            "2.1"
        ));
        assert!(!f.matches(
            "malware--6770298f-0fd8-471a-ab8c-1c658a46574e",
            "malware",
            "2.1"
        ));
        assert_eq!(f.page_size(100), 100);
    }

    #[test]
    fn version_selection() {
        let v = [
            ts("2016-01-03T00:00:00Z"),
            ts("2016-01-01T00:00:00Z"),
            ts("2016-01-02T00:00:00Z"),
        ];
        assert_eq!(VersionFilter::default().select(&v), [v[0]]);
        let first_last = VersionFilter {
            first: true,
            ..VersionFilter::default()
        };
        assert_eq!(first_last.select(&v), [v[1], v[0]]);
        let all = VersionFilter {
            all: true,
            ..VersionFilter::default()
        };
        assert_eq!(all.select(&v).len(), 3);
        let exact = VersionFilter {
            last: false,
            exact: vec![v[2], ts("2020-01-01T00:00:00Z")],
            ..VersionFilter::default()
        };
        assert_eq!(exact.select(&v), [v[2]]);
        assert!(VersionFilter::default().select(&[]).is_empty());
    }

    proptest::proptest! {
        #[test]
        fn any_query_is_parsed_or_refused_by_parameter(
            pairs in proptest::collection::vec(("(added_after|limit|next|match\\[(id|type|version|spec_version)\\]|other)", "\\PC{0,30}"), 0..6)
        ) {
            if let Err(errors) = ObjectFilter::parse(&pairs) {
                for e in errors {
                    proptest::prop_assert!(pairs.iter().any(|(k, _)| *k == e.parameter));
                }
            }
        }
    }
}
