//! The one answer to "what was organisation X called on day D". Every record that names an
//! organisation — an incident on its detection day, a report on its filing day, an alert on its
//! sending day — asks here, so a 2024 record keeps its 2024 name in lists, pages, forms, exports
//! and search results, and says what the organisation is today beside it ("nay là …") when that
//! differs. Nothing else picks a name.

use std::collections::{HashMap, HashSet};

use chrono::NaiveDate;
use irnet_domain::locale::Locale;
use irnet_store::DbConn;
use irnet_store::directory::{history, orgs};

use crate::AppError;

/// An organisation's name on a record's day, and today's when it differs.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
pub struct OrgName {
    pub org_id: String,
    /// the name it had on the record's day
    pub name_vi: String,
    pub name_en: Option<String>,
    pub short_name: Option<String>,
    /// What it is called today when that differs from the name of the day: its own current name
    /// after a rename, or its successor's after a merger ("nay là …"). Absent when unchanged.
    pub now_vi: Option<String>,
    pub now_en: Option<String>,
}

impl OrgName {
    /// The name of the day in `locale` (English falls back to Vietnamese when none is recorded).
    pub fn name(&self, locale: Locale) -> &str {
        match locale {
            Locale::En => self.name_en.as_deref().unwrap_or(&self.name_vi),
            Locale::Vi => &self.name_vi,
        }
    }

    /// Today's name in `locale`, when it differs from the name of the day.
    pub fn now(&self, locale: Locale) -> Option<&str> {
        match locale {
            Locale::En => self.now_en.as_deref().or(self.now_vi.as_deref()),
            Locale::Vi => self.now_vi.as_deref(),
        }
    }

    /// "Sở Thông tin và Truyền thông tỉnh Bắc Kạn (nay là Sở Khoa học và Công nghệ tỉnh Thái
    /// Nguyên)": the name of the day, with today's beside it where they differ.
    pub fn label(&self, locale: Locale) -> String {
        match self.now(locale) {
            Some(now) => {
                let word = match locale {
                    Locale::Vi => "nay là",
                    Locale::En => "now",
                };
                format!("{} ({word} {now})", self.name(locale))
            }
            None => self.name(locale).to_owned(),
        }
    }
}

/// The name of one organisation on `day`, with today's (`today`) beside it where it differs.
pub fn name_on(
    conn: &mut DbConn,
    org_id: &str,
    day: NaiveDate,
    today: NaiveDate,
) -> Result<OrgName, AppError> {
    names_on(conn, &[org_id.to_owned()], day, today)?
        .remove(org_id)
        .ok_or(AppError::NotFound)
}

/// The names of several organisations on one day, by organisation id. Unknown ids are absent.
///
/// A day before an organisation's first recorded name (a record backdated before the directory
/// knew it) takes its earliest name; a day after it ceased takes its last one.
pub fn names_on(
    conn: &mut DbConn,
    org_ids: &[String],
    day: NaiveDate,
    today: NaiveDate,
) -> Result<HashMap<String, OrgName>, AppError> {
    let mut ids: Vec<String> = org_ids.to_vec();
    ids.sort();
    ids.dedup();
    let of_day = history::names_on(conn, &ids, day)?;
    let of_today = history::names_on(conn, &ids, today)?;
    let mut out = HashMap::with_capacity(ids.len());
    for org in orgs::get_many(conn, &ids)? {
        let then = match of_day.get(&org.id) {
            Some(n) => (n.name_vi.clone(), n.name_en.clone(), n.short_name.clone()),
            None => nearest_name(conn, &org, day)?,
        };
        let now = match of_today.get(&org.id) {
            Some(n) => Some((n.name_vi.clone(), n.name_en.clone())),
            None => successor_today(conn, &org.id, today)?,
        };
        let (now_vi, now_en) = match now {
            Some((vi, en)) if vi != then.0 => (Some(vi), en),
            _ => (None, None),
        };
        out.insert(
            org.id.clone(),
            OrgName {
                org_id: org.id,
                name_vi: then.0,
                name_en: then.1,
                short_name: then.2,
                now_vi,
                now_en,
            },
        );
    }
    Ok(out)
}

type Names = (String, Option<String>, Option<String>);

/// The recorded name closest to `day` when none holds on it: the first one after it (a record
/// dated before the organisation was entered), else the last one (after it ceased), else the
/// organisation's own row.
fn nearest_name(conn: &mut DbConn, org: &orgs::OrgRow, day: NaiveDate) -> Result<Names, AppError> {
    let names = history::names(conn, &org.id)?;
    let pick = names
        .iter()
        .find(|n| n.valid_from > day)
        .or_else(|| names.last());
    Ok(match pick {
        Some(n) => (n.name_vi.clone(), n.name_en.clone(), n.short_name.clone()),
        None => (
            org.name_vi.clone(),
            org.name_en.clone(),
            org.short_name.clone(),
        ),
    })
}

/// What an organisation that no longer exists became: its successor's name today, following a
/// chain of mergers (Bắc Kạn → Thái Nguyên), or none when it was dissolved.
fn successor_today(
    conn: &mut DbConn,
    org_id: &str,
    today: NaiveDate,
) -> Result<Option<(String, Option<String>)>, AppError> {
    let mut seen = HashSet::new();
    let mut current = org_id.to_owned();
    while seen.insert(current.clone()) {
        let next = history::successions(conn, &current)?
            .into_iter()
            .filter(|s| s.predecessor_id == current && s.effective <= today)
            .filter_map(|s| s.successor_id)
            .next_back();
        let Some(next) = next else { return Ok(None) };
        if let Some(n) = history::names_on(conn, std::slice::from_ref(&next), today)?.remove(&next)
        {
            return Ok(Some((n.name_vi, n.name_en)));
        }
        current = next;
    }
    Ok(None)
}

/// The local day (in the network's zone) of a stored instant: the day a record names its
/// organisation as of.
pub fn day_of(app: &crate::App, t: chrono::NaiveDateTime) -> NaiveDate {
    irnet_store::time::from_db(t)
        .with_timezone(&app.settings.local_offset)
        .date_naive()
}

/// Names of several (organisation, day) pairs — a list of records, each on its own day — asking
/// once per distinct day.
pub fn names_on_days(
    conn: &mut DbConn,
    pairs: &[(String, NaiveDate)],
    today: NaiveDate,
) -> Result<HashMap<(String, NaiveDate), OrgName>, AppError> {
    let mut by_day: HashMap<NaiveDate, Vec<String>> = HashMap::new();
    for (org, day) in pairs {
        by_day.entry(*day).or_default().push(org.clone());
    }
    let mut out = HashMap::with_capacity(pairs.len());
    for (day, ids) in by_day {
        for (id, n) in names_on(conn, &ids, day, today)? {
            out.insert((id, day), n);
        }
    }
    Ok(out)
}

/// An unknown organisation (a record pointing at a removed one): named by nothing.
pub fn unknown(org_id: &str) -> OrgName {
    OrgName {
        org_id: org_id.to_owned(),
        name_vi: String::new(),
        name_en: None,
        short_name: None,
        now_vi: None,
        now_en: None,
    }
}
