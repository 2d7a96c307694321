//! Organisations. Everyone in the network sees the public part (names, kinds); coordinators and
//! administrators create them; an org admin edits their own.

use chrono::{DateTime, NaiveDate, Utc};
use irnet_domain::ids::{ClusterId, OrgId};
use irnet_domain::{OrgKind, OrgRef, text};
use irnet_store::DbConn;
use irnet_store::directory::clusters;
use irnet_store::directory::history::{self, NameRow};
use irnet_store::directory::orgs::{self, OrgChanges, OrgRow};
use irnet_store::page::{Page, clamp_limit};
use irnet_store::time::{from_db, to_db};

use crate::audit::{self, Change};
use crate::error::Problems;
use crate::{Actor, App, AppError};

#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct OrgView {
    pub id: String,
    pub name_vi: String,
    pub name_en: Option<String>,
    pub short_name: Option<String>,
    pub kind: String,
    pub member_code: Option<String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl From<OrgRow> for OrgView {
    fn from(r: OrgRow) -> Self {
        Self {
            id: r.id,
            name_vi: r.name_vi,
            name_en: r.name_en,
            short_name: r.short_name,
            kind: r.kind,
            member_code: r.member_code,
            created_at: from_db(r.created_at),
            updated_at: from_db(r.updated_at),
        }
    }
}

#[derive(Debug, Clone, Default)]
pub struct OrgInput {
    pub name_vi: Option<String>,
    pub name_en: Option<String>,
    pub short_name: Option<String>,
    pub kind: Option<String>,
}

fn clean(s: Option<&String>) -> Option<String> {
    s.map(|v| text::nfc(v.trim())).filter(|v| !v.is_empty())
}

fn validate(input: &OrgInput, creating: bool) -> Result<OrgChanges, AppError> {
    let mut p = Problems::default();
    let mut c = OrgChanges::default();
    match clean(input.name_vi.as_ref()) {
        Some(n) if n.chars().count() <= 300 => {
            c.name_folded = Some(text::fold(&n));
            c.name_vi = Some(n);
        }
        Some(_) => p.add("name_vi", "invalid_length"),
        None if creating || input.name_vi.is_some() => p.add("name_vi", "required"),
        None => {}
    }
    for (field, value, slot) in [
        ("name_en", &input.name_en, &mut c.name_en),
        ("short_name", &input.short_name, &mut c.short_name),
    ] {
        if value.is_some() {
            let v = clean(value.as_ref());
            if v.as_ref().is_some_and(|v| v.chars().count() > 300) {
                p.add(field, "invalid_length");
            }
            *slot = Some(v);
        }
    }
    match input.kind.as_deref() {
        Some(k) => {
            c.kind = p
                .check("kind", OrgKind::parse(k))
                .map(|k| k.as_str().to_owned())
        }
        None if creating => c.kind = Some(OrgKind::Other.as_str().to_owned()),
        None => {}
    }
    p.into_result()?;
    Ok(c)
}

pub async fn create(app: &App, actor: &Actor, input: OrgInput) -> Result<OrgView, AppError> {
    if !actor.principal.may_write() {
        return Err(AppError::ReadOnly);
    }
    if !actor.principal.may_create_org() {
        return Err(AppError::Forbidden);
    }
    let c = validate(&input, true)?;
    let (app2, actor2) = (app.clone(), actor.clone());
    app.store
        .write(move |conn| {
            let now = to_db(app2.now());
            let row = OrgRow {
                id: uuid::Uuid::now_v7().to_string(),
                name_vi: c.name_vi.unwrap_or_default(),
                name_en: c.name_en.flatten(),
                short_name: c.short_name.flatten(),
                kind: c.kind.unwrap_or_default(),
                name_folded: c.name_folded.unwrap_or_default(),
                created_at: now,
                updated_at: now,
                member_code: None,
            };
            orgs::insert(conn, &row)?;
            history::insert_name(conn, &name_version(&row, app2.today(), "founding"))?;
            audit::record(conn, &app2, &actor2, Change {
                action: "org.created",
                object_type: "organisation",
                object_id: Some(&row.id),
                object_org_id: Some(&row.id),
                summary: serde_json::json!({ "name_vi": row.name_vi, "name_en": row.name_en, "short_name": row.short_name, "kind": row.kind }),
            })?;
            Ok(OrgView::from(row))
        })
        .await
}

pub async fn update(
    app: &App,
    actor: &Actor,
    org_id: &str,
    input: OrgInput,
) -> Result<OrgView, AppError> {
    if !actor.principal.may_write() {
        return Err(AppError::ReadOnly);
    }
    let mut c = validate(&input, false)?;
    let (app2, actor2, org_id) = (app.clone(), actor.clone(), org_id.to_owned());
    app.store
        .write(move |conn| {
            let before = orgs::get(conn, &org_id)?.ok_or(AppError::NotFound)?;
            if !actor2.principal.may_edit_org(&org_ref(conn, &app2, &org_id)?) {
                return Err(AppError::Forbidden);
            }
            c.updated_at = Some(to_db(app2.now()));
            orgs::update(conn, &org_id, &c)?;
            let after = orgs::get(conn, &org_id)?.ok_or(AppError::NotFound)?;
            let renamed = (&before.name_vi, &before.name_en, &before.short_name)
                != (&after.name_vi, &after.name_en, &after.short_name);
            if renamed {
                // The old name stays true for what happened before today.
                let today = app2.today();
                history::close_current_name(conn, &org_id, today)?;
                history::insert_name(conn, &name_version(&after, today, "rename"))?;
            }
            audit::record(conn, &app2, &actor2, Change {
                action: "org.updated",
                object_type: "organisation",
                object_id: Some(&org_id),
                object_org_id: Some(&org_id),
                summary: serde_json::json!({
                    "before": { "name_vi": before.name_vi, "name_en": before.name_en, "short_name": before.short_name, "kind": before.kind },
                    "after": { "name_vi": after.name_vi, "name_en": after.name_en, "short_name": after.short_name, "kind": after.kind },
                }),
            })?;
            Ok(OrgView::from(after))
        })
        .await
}

/// The name an organisation carries from `from` on.
pub fn name_version(org: &OrgRow, from: NaiveDate, reason: &str) -> NameRow {
    NameRow {
        id: uuid::Uuid::now_v7().to_string(),
        org_id: org.id.clone(),
        valid_from: from,
        valid_to: None,
        name_vi: org.name_vi.clone(),
        name_en: org.name_en.clone(),
        short_name: org.short_name.clone(),
        name_folded: org.name_folded.clone(),
        reason: reason.to_owned(),
        province_code: None,
        parent_id: None,
    }
}

/// An organisation as the policy sees it: its id and the clusters it belongs to today (in the
/// network's time zone).
pub fn org_ref(conn: &mut DbConn, app: &App, org_id: &str) -> Result<OrgRef, AppError> {
    let today = app
        .now()
        .with_timezone(&app.settings.local_offset)
        .date_naive();
    let clusters = clusters::clusters_of_org(conn, org_id, today)?
        .into_iter()
        .map(ClusterId::from_trusted)
        .collect();
    Ok(OrgRef {
        org_id: OrgId::from_trusted(org_id.to_owned()),
        clusters,
    })
}

/// Every principal of the network may list organisations (the public part of the directory).
pub async fn list(
    app: &App,
    _actor: &Actor,
    cursor: Option<String>,
    limit: Option<i64>,
) -> Result<Page<OrgView>, AppError> {
    let limit = clamp_limit(limit);
    let page = app
        .store
        .read(move |c| Ok::<_, AppError>(orgs::list(c, cursor.as_deref(), limit)?))
        .await?;
    Ok(Page {
        items: page.items.into_iter().map(OrgView::from).collect(),
        next_cursor: page.next_cursor,
    })
}

pub async fn get(app: &App, _actor: &Actor, org_id: &str) -> Result<OrgView, AppError> {
    let id = org_id.to_owned();
    let row = app
        .store
        .read(move |c| Ok::<_, AppError>(orgs::get(c, &id)?))
        .await?;
    row.map(OrgView::from).ok_or(AppError::NotFound)
}

/// For the CLI: finds an organisation by id or name, creating it (kind "other") if asked.
pub async fn find_or_create(
    app: &App,
    name: &str,
    create: bool,
) -> Result<(OrgView, bool), AppError> {
    let (n, folded) = (name.to_owned(), text::fold(name));
    let found = app
        .store
        .read(move |c| Ok::<_, AppError>(orgs::find(c, &n, &folded)?))
        .await?;
    match found {
        Some(row) => Ok((row.into(), false)),
        None if create => {
            let input = OrgInput {
                name_vi: Some(name.to_owned()),
                ..Default::default()
            };
            Ok((self::create(app, &Actor::operator(), input).await?, true))
        }
        None => Err(AppError::invalid("org", "unknown_org")),
    }
}

#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct NameVersion {
    pub valid_from: NaiveDate,
    /// the first day this name no longer held; absent while it holds
    pub valid_to: Option<NaiveDate>,
    pub name_vi: String,
    pub name_en: Option<String>,
    pub short_name: Option<String>,
    pub reason: String,
}

#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct Succession {
    /// rename, merge, split or dissolve
    pub kind: String,
    pub effective: NaiveDate,
    pub predecessor_id: String,
    /// the predecessor's name the day before the succession took effect
    pub predecessor_name: Option<String>,
    pub successor_id: Option<String>,
    /// the successor's name on the day it took effect
    pub successor_name: Option<String>,
    pub decision: Option<String>,
}

#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct OrgHistory {
    pub names: Vec<NameVersion>,
    pub successions: Vec<Succession>,
}

/// The names an organisation had and the successions it took part in (public directory data).
pub async fn history(app: &App, _actor: &Actor, org_id: &str) -> Result<OrgHistory, AppError> {
    let id = org_id.to_owned();
    app.store
        .read(move |conn| {
            orgs::get(conn, &id)?.ok_or(AppError::NotFound)?;
            let names = history::names(conn, &id)?
                .into_iter()
                .map(|n| NameVersion {
                    valid_from: n.valid_from,
                    valid_to: n.valid_to,
                    name_vi: n.name_vi,
                    name_en: n.name_en,
                    short_name: n.short_name,
                    reason: n.reason,
                })
                .collect();
            let mut successions = Vec::new();
            for s in history::successions(conn, &id)? {
                let before = s.effective.pred_opt().unwrap_or(s.effective);
                let predecessor_name =
                    history::names_on(conn, std::slice::from_ref(&s.predecessor_id), before)?
                        .remove(&s.predecessor_id)
                        .map(|n| n.name_vi);
                let successor_name = match &s.successor_id {
                    Some(sid) => history::names_on(conn, std::slice::from_ref(sid), s.effective)?
                        .remove(sid)
                        .map(|n| n.name_vi),
                    None => None,
                };
                successions.push(Succession {
                    kind: s.kind,
                    effective: s.effective,
                    predecessor_id: s.predecessor_id,
                    predecessor_name,
                    successor_id: s.successor_id,
                    successor_name,
                    decision: s.decision,
                });
            }
            Ok(OrgHistory { names, successions })
        })
        .await
}

/// An organisation found by name, with what became of it.
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct OrgHit {
    pub org: OrgView,
    /// the name that matched, which may be a past one
    pub matched_name: String,
    pub matched_valid_from: NaiveDate,
    pub matched_valid_to: Option<NaiveDate>,
    /// the organisation it merged into or was succeeded by, if it no longer exists as such
    pub succeeded_by: Option<Succession>,
}

/// Finds organisations by any name they ever had, ignoring accents, case and Unicode form: "bac kan"
/// finds Bắc Kạn, and says that it merged into Thái Nguyên. The organisations part of
/// `search::search`, kept for `GET /api/v1/organisations/search`.
pub async fn search(app: &App, actor: &Actor, query: &str) -> Result<Vec<OrgHit>, AppError> {
    let input = super::search::SearchInput {
        q: query.to_owned(),
        kind: Some("org".to_owned()),
        limit: Some(i64::try_from(super::search::MAX_LIMIT).unwrap_or(50)),
    };
    Ok(super::search::search(app, actor, input)
        .await?
        .organisations
        .items)
}
