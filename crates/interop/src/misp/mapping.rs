//! A MISP event into irnet's terms. What maps, and how (also in docs/ARCHITECTURE.md, "Interop"):
//!
//! - Attributes (of the event and of its objects) whose type names an observable become typed
//!   observables: `ip-src`, `ip-dst` (address or CIDR), `ip-src|port`, `ip-dst|port` (the
//!   address), `domain`, `hostname`, `hostname|port` (the name), `domain|ip` (both), `url`,
//!   `md5`, `sha1`, `sha256`, `filename|md5`, `filename|sha1`, `filename|sha256` (the hash),
//!   `email`, `email-src`, `email-dst`, `email-reply-to`, `whois-registrant-email`.
//!   A domain may be written in Unicode (IDN: kept with its punycode form alongside, see
//!   `IndicatorValue::normalised`), a `url` may lack its scheme (`example.com/path`, as MISP
//!   accepts it) or have a Unicode host; both are kept as written.
//!   `to_ids` says whether it is an indicator (true) or an observable for context (false).
//!   Every other type, a value that does not validate for its kind, and a deleted attribute are
//!   skipped and reported with the reason.
//! - `tlp:` tags (event, object's attributes, attribute) give the TLP; the most restrictive
//!   applies to each attribute. `tlp:white` is CLEAR. A `tlp:` tag we do not know refuses the
//!   event: an unknown marking fails closed.
//! - Distribution gives the audience, the most restrictive of attribute, object and event
//!   (a MISP attribute can never reach further than its event): 0 → the source organisation only,
//!   1, 2, 3 → the irnet network (irnet is one community and does not pass data on to connected
//!   ones), 4 → the sharing group's organisations, 5 → as the level above. An event without a
//!   distribution is taken as 0, the narrowest.

use super::MispProblem;
use super::event::{Attribute, Distribution, Event, Org, Tag};
use crate::observable::Observable;
use irnet_domain::Tlp;
use irnet_domain::incident::ObservableKind;
use serde::Serialize;

/// Who may read an imported item, before TLP is applied.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum Audience {
    /// MISP distribution 0: the organisation that created the event.
    SourceOrganisation,
    /// MISP distribution 4: the organisations of the sharing group (as far as the document
    /// names them; the app matches them to the directory).
    SharingGroup {
        id: Option<i64>,
        name: Option<String>,
        organisations: Vec<Org>,
    },
    /// MISP distribution 1, 2, 3: the whole irnet network.
    Network,
}

impl Audience {
    /// Narrower audiences rank lower.
    fn rank(&self) -> u8 {
        match self {
            Audience::SourceOrganisation => 0,
            Audience::SharingGroup { .. } => 1,
            Audience::Network => 2,
        }
    }

    fn narrowest(self, other: Audience) -> Audience {
        if other.rank() < self.rank() {
            other
        } else {
            self
        }
    }
}

/// One attribute that became observables.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MispIndicator {
    /// Where it was, e.g. `Object[2].Attribute[0]`.
    pub path: String,
    pub attribute_uuid: Option<String>,
    pub misp_type: String,
    pub category: Option<String>,
    pub observables: Vec<Observable>,
    /// MISP's "for intrusion detection": an indicator when true, context when false.
    pub to_ids: bool,
    pub comment: Option<String>,
    pub tlp: Option<Tlp>,
    pub audience: Audience,
    /// Seconds since the epoch, as MISP writes it.
    pub timestamp: Option<i64>,
}

/// An attribute left out, and why (`unmapped_type`, `invalid_value`, `deleted`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Skipped {
    pub path: String,
    pub attribute_uuid: Option<String>,
    pub misp_type: String,
    pub reason: &'static str,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MispImport {
    pub event_uuid: Option<String>,
    pub info: String,
    /// The creating organisation (`Orgc`).
    pub source: Option<Org>,
    pub tlp: Option<Tlp>,
    pub audience: Audience,
    pub indicators: Vec<MispIndicator>,
    pub skipped: Vec<Skipped>,
}

/// Maps an event; refuses it (all or nothing) on an unknown `tlp:` tag or a distribution
/// outside 0–5, naming where.
pub fn import_event(event: &Event) -> Result<MispImport, Vec<MispProblem>> {
    let mut problems = Vec::new();
    let event_tlp = tlp_of(&event.tags, "Tag", &mut problems);
    let event_audience = audience(&event.distribution, None, "distribution", &mut problems)
        .unwrap_or(Audience::SourceOrganisation);
    let mut import = MispImport {
        event_uuid: event.uuid.clone(),
        info: event.info.clone(),
        source: event.orgc.clone(),
        tlp: event_tlp,
        audience: event_audience.clone(),
        indicators: Vec::new(),
        skipped: Vec::new(),
    };
    let mut take =
        |path: String, a: &Attribute, inherited: &Audience, problems: &mut Vec<MispProblem>| {
            let tlp = tlp_of(&a.tags, &format!("{path}.Tag"), problems).max(event_tlp);
            let own = audience(
                &a.distribution,
                Some(inherited),
                &format!("{path}.distribution"),
                problems,
            );
            let skip = |reason| Skipped {
                path: path.clone(),
                attribute_uuid: a.uuid.clone(),
                misp_type: a.type_name.clone(),
                reason,
            };
            if a.deleted.0 {
                import.skipped.push(skip("deleted"));
                return;
            }
            match observables(&a.type_name, &a.value) {
                Err(reason) => import.skipped.push(skip(reason)),
                Ok(list) => import.indicators.push(MispIndicator {
                    path: path.clone(),
                    attribute_uuid: a.uuid.clone(),
                    misp_type: a.type_name.clone(),
                    category: a.category.clone(),
                    observables: list,
                    to_ids: a.to_ids.0,
                    comment: a.comment.clone().filter(|c| !c.is_empty()),
                    tlp,
                    audience: own
                        .unwrap_or_else(|| inherited.clone())
                        .narrowest(inherited.clone()),
                    timestamp: a.timestamp.map(|t| t.0),
                }),
            }
        };
    for (i, a) in event.attributes.iter().enumerate() {
        take(format!("Attribute[{i}]"), a, &event_audience, &mut problems);
    }
    for (o, object) in event.objects.iter().enumerate() {
        let object_audience = audience(
            &object.distribution,
            Some(&event_audience),
            &format!("Object[{o}].distribution"),
            &mut problems,
        )
        .map_or_else(
            || event_audience.clone(),
            |a| a.narrowest(event_audience.clone()),
        );
        for (i, a) in object.attributes.iter().enumerate() {
            if object.deleted.0 {
                continue;
            }
            take(
                format!("Object[{o}].Attribute[{i}]"),
                a,
                &object_audience,
                &mut problems,
            );
        }
    }
    if problems.is_empty() {
        Ok(import)
    } else {
        Err(problems)
    }
}

/// The most restrictive TLP of the `tlp:` tags; other tags are not ours to read.
fn tlp_of(tags: &[Tag], path: &str, problems: &mut Vec<MispProblem>) -> Option<Tlp> {
    let mut tlp = None;
    for (i, t) in tags.iter().enumerate() {
        let name = t.name.trim();
        let Some(prefix) = name.get(..4) else {
            continue;
        };
        if !prefix.eq_ignore_ascii_case("tlp:") {
            continue;
        }
        match Tlp::parse(name) {
            Ok(level) => tlp = tlp.max(Some(level)),
            Err(_) => problems.push(MispProblem::new(format!("{path}[{i}]"), "unknown_tlp_tag")),
        }
    }
    tlp
}

/// The audience a distribution level gives; `None` for "inherit" (5) or absent.
fn audience(
    d: &Distribution,
    parent: Option<&Audience>,
    path: &str,
    problems: &mut Vec<MispProblem>,
) -> Option<Audience> {
    let group = d.sharing_group.as_ref();
    match d.level.map(|n| n.0) {
        None => None,
        Some(0) => Some(Audience::SourceOrganisation),
        Some(1..=3) => Some(Audience::Network),
        Some(4) => Some(Audience::SharingGroup {
            id: d.sharing_group_id.map(|n| n.0),
            name: group.map(|g| g.name.clone()),
            organisations: group
                .map(|g| {
                    g.organisations
                        .iter()
                        .map(|o| o.organisation.clone())
                        .collect()
                })
                .unwrap_or_default(),
        }),
        // Inherit: only below an event; an event itself has nothing to inherit from.
        Some(5) if parent.is_some() => None,
        Some(_) => {
            problems.push(MispProblem::new(path, "invalid_distribution"));
            None
        }
    }
}

/// The observables of an attribute, or why it has none.
pub fn observables(misp_type: &str, value: &str) -> Result<Vec<Observable>, &'static str> {
    use ObservableKind as K;
    let left = || value.split('|').next().unwrap_or_default();
    let right = || value.split_once('|').map(|(_, r)| r).unwrap_or_default();
    let one = |kind: K, v: &str| Observable::parse(kind, v).map(|o| vec![o]);
    let ip = |v: &str| Observable::ip_or_cidr(v).map(|o| vec![o]);
    let result = match misp_type {
        "ip-src" | "ip-dst" => ip(value),
        "ip-src|port" | "ip-dst|port" => ip(left()),
        "domain" | "hostname" => one(K::Domain, value),
        "hostname|port" => one(K::Domain, left()),
        "domain|ip" => Observable::parse(K::Domain, left())
            .and_then(|d| Observable::ip_or_cidr(right()).map(|i| vec![d, i])),
        "url" => one(K::Url, value),
        "md5" => one(K::Md5, value),
        "sha1" => one(K::Sha1, value),
        "sha256" => one(K::Sha256, value),
        "filename|md5" => one(K::Md5, right()),
        "filename|sha1" => one(K::Sha1, right()),
        "filename|sha256" => one(K::Sha256, right()),
        "email" | "email-src" | "email-dst" | "email-reply-to" | "whois-registrant-email" => {
            one(K::Email, value)
        }
        _ => return Err("unmapped_type"),
    };
    result.map_err(|_| "invalid_value")
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn event(json: &str) -> Event {
        Event::parse(json).unwrap()
    }

    #[test]
    fn attribute_types_map_to_observables() {
        let v = |t: &str, v: &str| {
            observables(t, v).map(|l| {
                l.iter()
                    .map(|o| (o.kind().as_str(), o.value().to_owned()))
                    .collect::<Vec<_>>()
            })
        };
        assert_eq!(
            v("ip-dst", "198.51.100.0/24").unwrap(),
            [("cidr", "198.51.100.0/24".into())]
        );
        assert_eq!(
            v("ip-src|port", "192.0.2.1|8080").unwrap(),
            [("ip", "192.0.2.1".into())]
        );
        assert_eq!(
            v("hostname", "WWW.Evil.example").unwrap(),
            [("domain", "www.evil.example".into())]
        );
        assert_eq!(
            v("domain|ip", "evil.example|192.0.2.9").unwrap(),
            [
                ("domain", "evil.example".into()),
                ("ip", "192.0.2.9".into())
            ]
        );
        assert_eq!(
            v("filename|sha256", &format!("a.exe|{}", "F".repeat(64))).unwrap(),
            [("sha256", "f".repeat(64))]
        );
        assert_eq!(
            v("email-src", "x@evil.example").unwrap(),
            [("email", "x@evil.example".into())]
        );
        assert_eq!(v("url", "https://evil.example/x").unwrap()[0].0, "url");
        assert_eq!(v("text", "hello"), Err("unmapped_type"));
        assert_eq!(v("link", "https://blog.example"), Err("unmapped_type"));
        assert_eq!(v("md5", "nothex"), Err("invalid_value"));
        assert_eq!(v("url", "ftp://x.example"), Err("invalid_value"));
        // Kept since issue 17: IDN domains (their punycode form joins them when the indicator's
        // value is normalised) and URLs without a scheme, as MISP keeps them.
        assert_eq!(
            v("domain", "ĐăngNhập-VNPT.vn").unwrap(),
            [("domain", "đăngnhập-vnpt.vn".into())]
        );
        assert_eq!(
            v("hostname|port", "例え.jp|443").unwrap(),
            [("domain", "例え.jp".into())]
        );
        assert_eq!(
            v("url", "example.com/path").unwrap(),
            [("url", "example.com/path".into())]
        );
    }

    #[test]
    fn tlp_tags_and_distribution() {
        let e = event(
            r#"{"info": "x", "distribution": "1", "Tag": [{"name": "tlp:white"}, {"name": "osint:source-type=\"blog-post\""}],
                "Attribute": [
                  {"type": "ip-dst", "value": "192.0.2.1", "to_ids": true, "distribution": "5", "Tag": [{"name": "tlp:amber"}]},
                  {"type": "domain", "value": "a.example", "distribution": "0"},
                  {"type": "comment", "value": "x", "uuid": "u3"},
                  {"type": "domain", "value": "b.example", "deleted": true}
                ],
                "Object": [{"name": "file", "distribution": "4", "sharing_group_id": "7",
                  "SharingGroup": {"name": "Banks", "SharingGroupOrg": [{"Organisation": {"name": "Bank A"}}]},
                  "Attribute": [{"type": "sha1", "value": "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "distribution": "5"}]}]}"#,
        );
        let i = import_event(&e).unwrap();
        assert_eq!(i.tlp, Some(Tlp::Clear));
        assert_eq!(i.audience, Audience::Network);
        let by_path = |p: &str| i.indicators.iter().find(|x| x.path == p).unwrap();
        assert_eq!(by_path("Attribute[0]").tlp, Some(Tlp::Amber));
        assert_eq!(by_path("Attribute[0]").audience, Audience::Network);
        assert!(by_path("Attribute[0]").to_ids);
        assert_eq!(
            by_path("Attribute[1]").audience,
            Audience::SourceOrganisation
        );
        assert_eq!(by_path("Attribute[1]").tlp, Some(Tlp::Clear));
        match &by_path("Object[0].Attribute[0]").audience {
            Audience::SharingGroup {
                id,
                name,
                organisations,
            } => {
                assert_eq!(
                    (*id, name.as_deref(), organisations[0].name.as_str()),
                    (Some(7), Some("Banks"), "Bank A")
                );
            }
            other => panic!("{other:?}"),
        }
        let reasons: Vec<_> = i
            .skipped
            .iter()
            .map(|s| (s.path.as_str(), s.reason))
            .collect();
        assert_eq!(
            reasons,
            [
                ("Attribute[2]", "unmapped_type"),
                ("Attribute[3]", "deleted")
            ]
        );
    }

    #[test]
    fn an_attribute_never_reaches_further_than_its_event() {
        let e = event(
            r#"{"info": "x", "distribution": 0, "Attribute": [{"type": "domain", "value": "a.example", "distribution": 3}]}"#,
        );
        assert_eq!(
            import_event(&e).unwrap().indicators[0].audience,
            Audience::SourceOrganisation
        );
        let none =
            event(r#"{"info": "x", "Attribute": [{"type": "domain", "value": "a.example"}]}"#);
        assert_eq!(
            import_event(&none).unwrap().indicators[0].audience,
            Audience::SourceOrganisation
        );
    }

    #[test]
    fn unknown_tlp_tags_and_bad_distributions_refuse_the_event() {
        let e = event(
            r#"{"info": "x", "distribution": 5, "Tag": [{"name": "tlp:green"}, {"name": "TLP:EX:CHR"}],
                "Attribute": [{"type": "domain", "value": "a.example", "distribution": 9}]}"#,
        );
        let p = import_event(&e).unwrap_err();
        let found: Vec<_> = p.iter().map(|p| (p.path.as_str(), p.message_key)).collect();
        assert_eq!(
            found,
            [
                ("Tag[1]", "unknown_tlp_tag"),
                ("distribution", "invalid_distribution"),
                ("Attribute[0].distribution", "invalid_distribution")
            ]
        );
    }
}
