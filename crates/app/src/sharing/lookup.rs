//! Bulk lookup: does the network know any of these values? Up to `MAX_LOOKUP` observables are
//! normalised, then matched in a few set-based queries inside the reader's read filter. Only
//! matches the reader may see come back — never a count of hidden ones.

use std::collections::{HashMap, HashSet};

use irnet_domain::incident::ObservableKind;
use irnet_interop::Observable;
use irnet_store::sharing as store;

use crate::error::FieldError;
use crate::{Actor, App, AppError};

/// The most observables one lookup takes.
pub const MAX_LOOKUP: usize = 100_000;

/// How many connections a lookup of `values` values reads on: one per core, at most half the
/// pool (other requests go on meanwhile), and never a part smaller than one store chunk.
fn parallel_reads(values: usize, pool_size: usize) -> usize {
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    cores
        .min(pool_size / 2)
        .min(values.div_ceil(store::LOOKUP_CHUNK))
        .max(1)
}

/// One value to look up; without a kind it is recognised from its form.
#[derive(Debug, Clone, serde::Deserialize, utoipa::ToSchema)]
pub struct LookupItem {
    pub kind: Option<String>,
    pub value: String,
}

#[derive(Debug, Clone, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
pub struct LookupMatch {
    /// 1-based position in the request
    pub line: usize,
    pub kind: String,
    pub value: String,
    pub indicator_id: String,
    pub stix_id: String,
    pub tlp: String,
}

#[derive(Debug, Clone, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
pub struct LookupResult {
    /// how many valid values were looked up (a value given twice counts twice)
    pub checked: usize,
    /// how many different values were among them
    pub distinct: usize,
    /// how many of those different values matched an indicator the reader may see — a value
    /// given four times, or matching two indicators, counts once
    pub matched: usize,
    pub matches: Vec<LookupMatch>,
    /// the values that could not be read, each named `lines[N]` (1-based)
    pub invalid: Vec<FieldError>,
}

/// The kind a value's form suggests, when the caller gave none.
fn guess(value: &str) -> Result<Observable, irnet_domain::DomainError> {
    let v = value.trim();
    let hex = !v.is_empty() && v.chars().all(|c| c.is_ascii_hexdigit());
    let kind = if v.contains("://") {
        ObservableKind::Url
    } else if v.contains('@') {
        ObservableKind::Email
    } else if hex && v.len() == 32 {
        ObservableKind::Md5
    } else if hex && v.len() == 40 {
        ObservableKind::Sha1
    } else if hex && v.len() == 64 {
        ObservableKind::Sha256
    } else if v.contains(':') || v.parse::<std::net::Ipv4Addr>().is_ok() || v.contains('/') {
        // Not an address or a network: a URL written without its scheme (`example.com/path`),
        // as MISP keeps them.
        return Observable::ip_or_cidr(v)
            .or_else(|e| Observable::parse(ObservableKind::Url, v).map_err(|_| e));
    } else {
        ObservableKind::Domain
    };
    Observable::parse(kind, v)
}

/// Plain text, one value per line; blank lines are skipped but keep their number.
pub fn from_text(text: &str) -> Vec<(usize, LookupItem)> {
    text.lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
        .map(|(i, l)| {
            (
                i + 1,
                LookupItem {
                    kind: None,
                    value: l.trim().to_owned(),
                },
            )
        })
        .collect()
}

pub async fn lookup(
    app: &App,
    actor: &Actor,
    items: Vec<(usize, LookupItem)>,
) -> Result<LookupResult, AppError> {
    if items.len() > MAX_LOOKUP {
        return Err(AppError::Validation(vec![FieldError {
            field: "observables".to_owned(),
            code: "too_many_observables".to_owned(),
            params: vec![("max".to_owned(), MAX_LOOKUP.to_string())],
        }]));
    }
    let mut invalid = Vec::new();
    let mut wanted: Vec<(usize, Observable)> = Vec::with_capacity(items.len());
    for (line, item) in items {
        let parsed = match item
            .kind
            .as_deref()
            .map(str::trim)
            .filter(|k| !k.is_empty())
        {
            Some(k) => ObservableKind::parse(k).and_then(|k| Observable::parse(k, &item.value)),
            None => guess(&item.value),
        };
        match parsed {
            Ok(o) => wanted.push((line, o)),
            Err(e) => invalid.push(FieldError {
                field: format!("lines[{line}]"),
                code: e.code().to_owned(),
                params: vec![],
            }),
        }
    }
    let mut values: Vec<String> = wanted.iter().map(|(_, o)| o.value().to_owned()).collect();
    values.sort_unstable();
    values.dedup();
    let rule = actor.principal.read_rule();
    // The parts are independent (each match stands alone), so they are read on several pooled
    // connections at once: the database probes its indexes on every core instead of one.
    let ways = parallel_reads(values.len(), app.store.pool_status().max_size);
    let part_len = values.len().div_ceil(ways).max(1);
    let reads = values.chunks(part_len).map(|part| {
        let (rule, part) = (rule.clone(), part.to_vec());
        app.store
            .read(move |conn| Ok::<_, AppError>(store::lookup(conn, &rule, &part)?))
    });
    let hits: Vec<store::LookupHit> = futures_util::future::try_join_all(reads)
        .await?
        .into_iter()
        .flatten()
        .collect();
    let mut known: HashMap<(&str, &str), Vec<&store::LookupHit>> = HashMap::new();
    for h in &hits {
        known
            .entry((h.kind.as_str(), h.value.as_str()))
            .or_default()
            .push(h);
    }
    let mut matches = Vec::new();
    let mut distinct = HashSet::new();
    let mut matched = HashSet::new();
    for (line, o) in &wanted {
        let key = (o.kind().as_str(), o.value());
        distinct.insert(key);
        if known.contains_key(&key) {
            matched.insert(key);
        }
        for h in known
            .get(&(o.kind().as_str(), o.value()))
            .into_iter()
            .flatten()
        {
            matches.push(LookupMatch {
                line: *line,
                kind: h.kind.clone(),
                value: h.value.clone(),
                indicator_id: h.indicator_id.to_string(),
                stix_id: h.stix_id.clone(),
                tlp: h.tlp.as_str().to_owned(),
            });
        }
    }
    Ok(LookupResult {
        checked: wanted.len(),
        distinct: distinct.len(),
        matched: matched.len(),
        matches,
        invalid,
    })
}
