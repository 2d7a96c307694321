//! The network's rule sets: created and changed by the coordinator (validated, audited, no
//! restart), each in force from its effective date. A record is judged by the set in force on its
//! day, so a set may be created, changed or withdrawn only while its date lies ahead
//! (`irnet_domain::rules::may_change`): a set in force, or one that was, never changes.
//!
//! Every instance keeps the sets in memory (`Cache`) and, before using them, reads the version
//! counter the store raises at every change (one primary-key read), reloading when it moved: an
//! edit made through one instance applies on every other one at their next read.

pub mod reminders;

use std::sync::{Arc, Mutex};

use chrono::NaiveDate;
use irnet_domain::rules::{RuleBook, RuleSet, Rules, may_change};
use irnet_store::DbConn;
use irnet_store::is_unique_violation;
use irnet_store::rules::{self as store, RuleSetRow};
use irnet_store::time::{from_db, to_db};

use crate::audit::{self, Change};
use crate::{Actor, App, AppError, FieldError};

/// The first rule set's date: it judges everything before the coordinator's first set.
pub fn base_date() -> NaiveDate {
    NaiveDate::from_ymd_opt(1970, 1, 1).unwrap_or(NaiveDate::MIN)
}

/// The rule sets an instance keeps in memory, with the store's version they were read at.
#[derive(Debug, Default)]
pub struct Cache {
    held: Mutex<Option<(i64, Arc<RuleBook>)>>,
}

/// The rule sets as the store has them now (reloaded when another instance changed them).
pub(crate) fn book(conn: &mut DbConn, app: &App) -> Result<Arc<RuleBook>, AppError> {
    let version = store::version(conn)?;
    if let Some((v, b)) = app
        .rules
        .held
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .as_ref()
        && *v == version
    {
        return Ok(b.clone());
    }
    let sets = store::list(conn)?
        .into_iter()
        .map(|r| {
            let set: RuleSet = serde_json::from_str(&r.body)
                .map_err(|e| AppError::internal_in(format!("rule set {}", r.id), e))?;
            Ok(Rules::new(r.effective_from, set))
        })
        .collect::<Result<Vec<_>, AppError>>()?;
    let book = Arc::new(RuleBook::new(sets, Rules::new(NaiveDate::MIN, seed(app))));
    *app.rules.held.lock().unwrap_or_else(|e| e.into_inner()) = Some((version, book.clone()));
    Ok(book)
}

/// The rules in force on `day`.
pub(crate) fn on(conn: &mut DbConn, app: &App, day: NaiveDate) -> Result<Arc<Rules>, AppError> {
    Ok(book(conn, app)?.on(day))
}

/// The organisation holding the national coordinator's role on `day`: the one the rule set in force
/// names (the role moved to another organisation from that set's date, as it did in 2025), else
/// the directory's national coordinator.
pub(crate) fn coordinator_org(
    conn: &mut DbConn,
    app: &App,
    day: NaiveDate,
) -> Result<Option<String>, AppError> {
    if let Some(org) = on(conn, app, day)?.set.coordinator_org_id.clone() {
        return Ok(Some(org));
    }
    Ok(irnet_store::directory::orgs::of_kind(
        conn,
        irnet_domain::OrgKind::NationalCoordinator.as_str(),
    )?
    .into_iter()
    .next()
    .map(|o| o.id))
}

/// The first rule set: today's rules with the deadlines of `[incidents]` (which seed it, once).
fn seed(app: &App) -> RuleSet {
    RuleSet::seeded(&app.settings.deadlines)
}

/// Stores the first rule set when there is none yet (the first start after the upgrade that
/// brought rule sets), from today's rules and `[incidents] notice_days…`. Later, those settings
/// change nothing: a warning says so when they differ from the stored first set.
pub async fn ensure_first(app: &App) -> Result<(), AppError> {
    let app2 = app.clone();
    app.store
        .write(move |conn| {
            let sets = store::list(conn)?;
            let wanted = seed(&app2);
            match sets.first() {
                None => {
                    let now = to_db(app2.now());
                    store::insert(
                        conn,
                        &RuleSetRow {
                            id: uuid::Uuid::now_v7().to_string(),
                            effective_from: base_date(),
                            body: serde_json::to_string(&wanted).map_err(AppError::internal)?,
                            created_by: None,
                            created_at: now,
                            updated_at: now,
                        },
                    )?;
                }
                Some(first) => {
                    let stored: Option<RuleSet> = serde_json::from_str(&first.body).ok();
                    if stored.is_some_and(|s| s.deadlines != wanted.deadlines) {
                        tracing::warn!(
                            "[incidents] notice_days, acknowledgement_hours, immediate_report_hours \
                             and closing_report_days only seed the first rule set and are ignored \
                             now; the coordinator changes deadlines as a new rule set (Rules page \
                             or /api/v1/rule-sets)"
                        );
                    }
                }
            }
            Ok::<_, AppError>(())
        })
        .await
}

/// A rule set as shown.
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct RuleSetView {
    pub id: String,
    /// the first day it is in force (yyyy-mm-dd)
    pub effective_from: NaiveDate,
    /// the set judging records of today
    pub in_force: bool,
    /// its date lies ahead: it may still be changed or withdrawn
    pub upcoming: bool,
    pub created_by: Option<String>,
    pub created_at: String,
    pub updated_at: String,
    /// the rules (see docs/OPERATIONS.md, "Rule sets")
    #[schema(value_type = Object)]
    pub rules: RuleSet,
    /// the organisation the set names as national coordinator, with its name on the set's
    /// first day (absent: the directory's national coordinator)
    pub coordinator: Option<crate::directory::names::OrgName>,
}

/// A new set, or a change to an upcoming one: `rules` need hold only what differs from the set
/// in force the day before `effective_from` (objects are merged, lists and values replaced).
#[derive(Debug, Clone, serde::Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RuleSetInput {
    /// the first day in force (yyyy-mm-dd); after today
    pub effective_from: NaiveDate,
    #[schema(value_type = Object)]
    #[serde(default)]
    pub rules: serde_json::Value,
}

fn view(
    conn: &mut DbConn,
    r: &RuleSetRow,
    set: RuleSet,
    in_force: bool,
    today: NaiveDate,
    app: &App,
) -> Result<RuleSetView, AppError> {
    let coordinator = match &set.coordinator_org_id {
        Some(org) => Some(crate::directory::names::name_on(
            conn,
            org,
            r.effective_from,
            today,
        )?),
        None => None,
    };
    Ok(RuleSetView {
        coordinator,
        id: r.id.clone(),
        effective_from: r.effective_from,
        in_force,
        upcoming: may_change(r.effective_from, today),
        created_by: r.created_by.clone(),
        created_at: app.local(r.created_at),
        updated_at: app.local(r.updated_at),
        rules: set,
    })
}

/// Every rule set, newest date first.
pub async fn list(app: &App, actor: &Actor) -> Result<Vec<RuleSetView>, AppError> {
    if !actor.principal.may_read_rules() {
        return Err(AppError::Forbidden);
    }
    let (app2, today) = (app.clone(), app.today());
    app.store
        .read(move |conn| {
            let rows = store::list(conn)?;
            let current = rows
                .iter()
                .rfind(|r| r.effective_from <= today)
                .map(|r| r.id.clone());
            let mut out = rows
                .iter()
                .map(|r| {
                    let set = serde_json::from_str(&r.body).map_err(AppError::internal)?;
                    view(conn, r, set, current.as_ref() == Some(&r.id), today, &app2)
                })
                .collect::<Result<Vec<_>, AppError>>()?;
            out.reverse();
            Ok(out)
        })
        .await
}

/// The set in force on `day` (today when none is given).
pub async fn in_force(
    app: &App,
    actor: &Actor,
    day: Option<NaiveDate>,
) -> Result<RuleSetView, AppError> {
    let day = day.unwrap_or_else(|| app.today());
    list(app, actor)
        .await?
        .into_iter()
        .find(|v| v.effective_from <= day)
        .ok_or(AppError::NotFound)
}

/// The organisations that may be named national coordinator from `day`: those existing that day,
/// with their names of that day, in Vietnamese order.
pub async fn coordinator_choices(
    app: &App,
    actor: &Actor,
) -> Result<Vec<crate::directory::names::OrgName>, AppError> {
    allowed(actor)?;
    let today = app.today();
    app.store
        .read(move |conn| {
            let ids = irnet_store::directory::history::orgs_existing_on(conn, today)?;
            let mut names: Vec<_> = crate::directory::names::names_on(conn, &ids, today, today)?
                .into_values()
                .collect();
            names.sort_by_cached_key(|n| irnet_domain::text::vi_sort_key(&n.name_vi));
            Ok(names)
        })
        .await
}

/// `patch` laid over `base`: objects merged key by key, anything else replaced.
fn merge(base: &mut serde_json::Value, patch: serde_json::Value) {
    match (base, patch) {
        (serde_json::Value::Object(b), serde_json::Value::Object(p)) => {
            for (k, v) in p {
                match b.get_mut(&k) {
                    Some(slot) => merge(slot, v),
                    None => {
                        b.insert(k, v);
                    }
                }
            }
        }
        (slot, p) => *slot = p,
    }
}

/// The field path serde stopped at, as the API names fields (`rules.deadlines.notice.amount`).
fn field_of(path: &serde_path_to_error::Path) -> String {
    let mut out = "rules".to_owned();
    for seg in path.iter() {
        match seg {
            serde_path_to_error::Segment::Seq { index } => out.push_str(&format!("[{index}]")),
            serde_path_to_error::Segment::Map { key } => out.push_str(&format!(".{key}")),
            serde_path_to_error::Segment::Enum { variant } => out.push_str(&format!(".{variant}")),
            serde_path_to_error::Segment::Unknown => {}
        }
    }
    out
}

/// Checks an input against the set it is based on; the whole set on success.
fn validate(
    conn: &mut DbConn,
    app: &App,
    input: &RuleSetInput,
    today: NaiveDate,
) -> Result<RuleSet, AppError> {
    if !may_change(input.effective_from, today) {
        return Err(AppError::invalid("effective_from", "not_after_today"));
    }
    if !input.rules.is_object() && !input.rules.is_null() {
        return Err(AppError::invalid("rules", "invalid_value"));
    }
    let day_before = input
        .effective_from
        .pred_opt()
        .unwrap_or(input.effective_from);
    let base = on(conn, app, day_before)?;
    let mut json = serde_json::to_value(&base.set).map_err(AppError::internal)?;
    if !input.rules.is_null() {
        merge(&mut json, input.rules.clone());
    }
    let set: RuleSet = serde_path_to_error::deserialize(json).map_err(|e| {
        AppError::Validation(vec![FieldError {
            field: field_of(e.path()),
            code: "invalid_value".to_owned(),
            params: vec![("detail".to_owned(), e.inner().to_string())],
        }])
    })?;
    let mut problems: Vec<FieldError> = set
        .problems()
        .into_iter()
        .map(|(field, code)| FieldError {
            field: format!("rules.{field}"),
            code: code.to_owned(),
            params: vec![],
        })
        .collect();
    if let Some(org) = &set.coordinator_org_id
        && irnet_store::directory::orgs::get(conn, org)?.is_none()
    {
        problems.push(FieldError {
            field: "rules.coordinator_org_id".to_owned(),
            code: "unknown_org".to_owned(),
            params: vec![],
        });
    }
    if problems.is_empty() {
        Ok(set)
    } else {
        Err(AppError::Validation(problems))
    }
}

fn date_taken(e: irnet_store::diesel::result::Error) -> AppError {
    if is_unique_violation(&e) {
        AppError::Conflict {
            code: "rule_set_date_taken",
            field: Some("effective_from"),
        }
    } else {
        e.into()
    }
}

fn allowed(actor: &Actor) -> Result<(), AppError> {
    if !actor.principal.may_write() {
        return Err(AppError::ReadOnly);
    }
    if !actor.principal.may_edit_rules() {
        return Err(AppError::Forbidden);
    }
    Ok(())
}

/// A new rule set, in force from its (future) date.
pub async fn create(
    app: &App,
    actor: &Actor,
    input: RuleSetInput,
) -> Result<RuleSetView, AppError> {
    allowed(actor)?;
    let (app2, actor2, today) = (app.clone(), actor.clone(), app.today());
    app.store
        .write(move |conn| {
            let set = validate(conn, &app2, &input, today)?;
            let now = to_db(app2.now());
            let row = RuleSetRow {
                id: uuid::Uuid::now_v7().to_string(),
                effective_from: input.effective_from,
                body: serde_json::to_string(&set).map_err(AppError::internal)?,
                created_by: actor2.user_id().map(str::to_owned),
                created_at: now,
                updated_at: now,
            };
            store::insert(conn, &row).map_err(date_taken)?;
            audit::record(
                conn,
                &app2,
                &actor2,
                Change {
                    action: "rule_set.created",
                    object_type: "rule_set",
                    object_id: Some(&row.id),
                    object_org_id: None,
                    summary: serde_json::json!({
                        "effective_from": row.effective_from,
                        "rules": set,
                    }),
                },
            )?;
            view(conn, &row, set, false, today, &app2)
        })
        .await
}

fn upcoming(conn: &mut DbConn, id: &str, today: NaiveDate) -> Result<RuleSetRow, AppError> {
    let row = store::get(conn, id)?.ok_or(AppError::NotFound)?;
    if !may_change(row.effective_from, today) {
        return Err(AppError::Conflict {
            code: "rule_set_in_force",
            field: None,
        });
    }
    Ok(row)
}

/// Changes an upcoming set (its date may move, to another day after today).
pub async fn update(
    app: &App,
    actor: &Actor,
    id: &str,
    input: RuleSetInput,
) -> Result<RuleSetView, AppError> {
    allowed(actor)?;
    let (app2, actor2, today, id) = (app.clone(), actor.clone(), app.today(), id.to_owned());
    app.store
        .write(move |conn| {
            let mut row = upcoming(conn, &id, today)?;
            // Based on the set in force before it, not on itself: the input says all that differs.
            let set = validate(conn, &app2, &input, today)?;
            let before = row.effective_from;
            row.effective_from = input.effective_from;
            row.body = serde_json::to_string(&set).map_err(AppError::internal)?;
            row.updated_at = to_db(app2.now());
            store::update(conn, &row).map_err(date_taken)?;
            audit::record(
                conn,
                &app2,
                &actor2,
                Change {
                    action: "rule_set.updated",
                    object_type: "rule_set",
                    object_id: Some(&row.id),
                    object_org_id: None,
                    summary: serde_json::json!({
                        "effective_from": row.effective_from,
                        "was_effective_from": before,
                        "rules": set,
                    }),
                },
            )?;
            view(conn, &row, set, false, today, &app2)
        })
        .await
}

/// Withdraws an upcoming set.
pub async fn withdraw(app: &App, actor: &Actor, id: &str) -> Result<(), AppError> {
    allowed(actor)?;
    let (app2, actor2, today, id) = (app.clone(), actor.clone(), app.today(), id.to_owned());
    app.store
        .write(move |conn| {
            let row = upcoming(conn, &id, today)?;
            store::delete(conn, &row.id)?;
            audit::record(
                conn,
                &app2,
                &actor2,
                Change {
                    action: "rule_set.withdrawn",
                    object_type: "rule_set",
                    object_id: Some(&row.id),
                    object_org_id: None,
                    summary: serde_json::json!({ "effective_from": row.effective_from }),
                },
            )?;
            Ok(())
        })
        .await
}

/// When a stored time is, as a day in the network's zone.
pub(crate) fn local_day(app: &App, t: chrono::NaiveDateTime) -> NaiveDate {
    from_db(t)
        .with_timezone(&app.settings.local_offset)
        .date_naive()
}
