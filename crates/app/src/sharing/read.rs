//! An indicator as its audience reads it: the view (its links checked), and the read of one.

use crate::directory::names;
use irnet_domain::ids::IndicatorId;
use irnet_interop::IndicatorValue;
use irnet_store::DbConn;
use irnet_store::sharing::{self as store, IndicatorRow};
use irnet_store::time::from_db;

use super::{Links, load, owns};
use crate::{Actor, App, AppError};

/// One typed observable, as given and as shown.
#[derive(Debug, Clone, Default, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
pub struct ObservableIo {
    /// ip, cidr, domain, url, md5, sha1, sha256, email
    pub kind: String,
    pub value: String,
}

#[derive(Debug, Clone, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
pub struct SightingView {
    pub id: String,
    /// seen, false_positive
    pub kind: String,
    /// `null` when anonymous towards the reader
    pub org_id: Option<String>,
    /// `null` when anonymous towards the reader
    pub reported_by: Option<String>,
    pub anonymous: bool,
    pub note: Option<String>,
    pub created_at: String,
}

/// An indicator as its audience sees it.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
pub struct IndicatorView {
    pub id: String,
    pub stix_id: String,
    pub owner_org_id: String,
    /// the source's Vietnamese name on the day the indicator was made (`directory::names`)
    pub owner_name: String,
    /// the source's name of that day, with today's beside it where it differs
    pub owner: crate::directory::names::OrgName,
    pub tlp: String,
    /// empty when the indicator is an opaque STIX pattern
    pub observables: Vec<ObservableIo>,
    pub pattern: String,
    pub name: String,
    pub description: Option<String>,
    pub confidence: Option<i32>,
    pub valid_from: String,
    pub valid_until: Option<String>,
    pub revoked: bool,
    /// MISP's "for intrusion detection": false for context imported as an observable
    pub to_ids: bool,
    pub incident_id: Option<String>,
    pub alert_id: Option<String>,
    pub version: i32,
    pub created_at: String,
    pub modified_at: String,
    pub added_at: String,
    /// organisations it was shared with (shown to the owner only)
    pub shared_with: Vec<String>,
    pub sightings: Vec<SightingView>,
    /// the reader's organisation owns it: may revoke and share
    pub may_manage: bool,
}

pub(crate) fn stamp(t: chrono::NaiveDateTime) -> String {
    from_db(t).to_rfc3339_opts(chrono::SecondsFormat::Micros, true)
}

pub(crate) fn value_of(row: &IndicatorRow) -> IndicatorValue {
    serde_json::from_str(&row.value)
        .unwrap_or_else(|_| IndicatorValue::StixPattern(row.pattern.clone()))
}

/// One indicator as the reader sees it (its links checked alone).
pub(crate) fn view_one(
    conn: &mut DbConn,
    app: &App,
    actor: &Actor,
    row: IndicatorRow,
) -> Result<IndicatorView, AppError> {
    let links = Links::of(conn, actor, std::slice::from_ref(&row))?;
    view(conn, app, actor, row, &links)
}

/// An indicator as the reader sees it; `links` holds what its incident and alert links may show.
pub(crate) fn view(
    conn: &mut DbConn,
    app: &App,
    actor: &Actor,
    row: IndicatorRow,
    links: &Links,
) -> Result<IndicatorView, AppError> {
    // The source as it was named on the day the indicator was made.
    let owner = names::name_on(
        conn,
        &row.owner_org_id,
        names::day_of(app, row.created_at),
        app.today(),
    )
    .unwrap_or_else(|_| names::unknown(&row.owner_org_id));
    let owner_name = owner.name_vi.clone();
    let own = actor.principal.org_id.as_str();
    let is_owner = row.owner_org_id == own;
    let shared_with = if is_owner {
        store::audience(conn, &row.id)?.0
    } else {
        Vec::new()
    };
    let sightings = store::sightings(conn, &row.id)?
        .into_iter()
        .map(|s| {
            // An anonymous sighting names its reporter to the reporting organisation only.
            let named = !s.anonymous || s.org_id == own;
            SightingView {
                id: s.id,
                kind: s.kind,
                org_id: named.then_some(s.org_id),
                reported_by: named.then_some(s.reported_by),
                anonymous: s.anonymous,
                note: s.note,
                created_at: stamp(s.created_at),
            }
        })
        .collect();
    let observables = match value_of(&row) {
        IndicatorValue::Observables(list) => list
            .iter()
            .map(|o| ObservableIo {
                kind: o.kind().as_str().to_owned(),
                value: o.value().to_owned(),
            })
            .collect(),
        IndicatorValue::StixPattern(_) => Vec::new(),
    };
    Ok(IndicatorView {
        may_manage: owns(actor, &row),
        id: row.id.to_string(),
        stix_id: row.stix_id,
        owner_org_id: row.owner_org_id,
        owner_name,
        owner,
        tlp: row.tlp.as_str().to_owned(),
        observables,
        pattern: row.pattern,
        name: row.name,
        description: row.description,
        confidence: row.confidence,
        valid_from: stamp(row.valid_from),
        valid_until: row.valid_until.map(stamp),
        revoked: row.revoked,
        to_ids: row.to_ids,
        incident_id: links.incident(row.incident_id.as_ref()),
        alert_id: links.alert(row.alert_id.as_ref()),
        version: row.version,
        created_at: stamp(row.created_at),
        modified_at: stamp(row.modified_at),
        added_at: stamp(row.added_at),
        shared_with,
        sightings,
    })
}

pub async fn get(app: &App, actor: &Actor, id: &IndicatorId) -> Result<IndicatorView, AppError> {
    let (app2, actor2, id) = (app.clone(), actor.clone(), id.clone());
    app.store
        .read(move |conn| {
            let row = load(conn, &actor2, &id)?;
            view_one(conn, &app2, &actor2, row)
        })
        .await
}
