//! Writing and reading the audit trail. `record` is called inside the transaction of the change.
//! Reading shows each entry's details only to readers of the record it describes (`list`);
//! `checkpoints.rs` writes and checks the signed checkpoints of the chain's head.

pub mod checkpoints;

use irnet_domain::Principal;
use irnet_domain::channel::Channel;
use irnet_domain::ids::OrgId;
use irnet_domain::policy::AuditVisibility;
use irnet_store::DbConn;
use irnet_store::audit::readable::{self, ReaderRules};
use irnet_store::audit::{self, AuditFilter, AuditRow, NewAuditEntry, Visibility};
use irnet_store::page::{Page, clamp_limit};

use crate::{Actor, App, AppError};

pub use checkpoints::verify;

/// What changed, for one audit entry. The shareable record it is about is derived from
/// `object_type` and `object_id` (`record_of`); a summary with `"anonymous": true` marks an
/// anonymous action, whose actor is masked when the log is read.
pub struct Change<'a> {
    pub action: &'a str,
    pub object_type: &'a str,
    pub object_id: Option<&'a str>,
    pub object_org_id: Option<&'a str>,
    pub summary: serde_json::Value,
}

pub fn record(
    conn: &mut DbConn,
    app: &App,
    actor: &Actor,
    change: Change<'_>,
) -> Result<(), AppError> {
    record_many(conn, app, actor, vec![change])
}

/// The shareable record an entry describes, as `(kind, id)` of `record_shares`: an incident,
/// alert, indicator or channel message (a file's entry names the record it was added to); the
/// incident of a support request or instruction; the organisation whose private directory part
/// (people, focal points, systems) changed.
fn record_of(conn: &mut DbConn, change: &Change<'_>) -> Result<Option<(String, String)>, AppError> {
    let id = change.object_id.map(str::to_owned);
    Ok(match change.object_type {
        readable::INCIDENT
        | readable::ALERT
        | readable::INDICATOR
        | readable::MESSAGE
        | readable::ORG_PRIVATE => id.map(|id| (change.object_type.to_owned(), id)),
        "support_request" | "instruction" => match change.object_id {
            Some(id) => readable::incident_of(conn, change.object_type, id)?
                .map(|i| (readable::INCIDENT.to_owned(), i)),
            None => None,
        },
        _ if is_private_directory(change) => change
            .object_org_id
            .map(|o| (readable::ORG_PRIVATE.to_owned(), o.to_owned())),
        _ => None,
    })
}

fn is_private_directory(change: &Change<'_>) -> bool {
    matches!(
        change.object_type,
        "person" | "information_system" | "training_attendance" | "training_certificate"
    ) || ["person.", "system.", "focal_point."]
        .iter()
        .any(|p| change.action.starts_with(p))
}

/// Records changes in order, as that many `record`s would, in one append (bulk imports).
pub fn record_many(
    conn: &mut DbConn,
    app: &App,
    actor: &Actor,
    changes: Vec<Change<'_>>,
) -> Result<(), AppError> {
    let at = app.now();
    let mut entries = Vec::with_capacity(changes.len());
    for change in changes {
        let record = record_of(conn, &change)?;
        let anonymous = change.summary.get("anonymous") == Some(&serde_json::Value::Bool(true));
        let (record_kind, record_id) = record.unzip();
        entries.push(NewAuditEntry {
            at,
            actor_id: actor.user_id().map(str::to_owned),
            actor: actor.label.clone(),
            actor_org_id: actor.org_id().map(str::to_owned),
            action: change.action.to_owned(),
            object_type: change.object_type.to_owned(),
            object_id: change.object_id.map(str::to_owned),
            object_org_id: change.object_org_id.map(str::to_owned),
            summary: change.summary,
            request_id: actor.meta.request_id.clone(),
            client_addr: actor.meta.client_addr.clone(),
            record_kind,
            record_id,
            anonymous,
        });
    }
    audit::append_many(conn, &app.settings.audit_key, &entries)?;
    Ok(())
}

/// One entry as its reader is shown it.
#[derive(Debug, Clone)]
pub struct ShownEntry {
    /// the entry, with what the reader may not see emptied
    pub row: AuditRow,
    /// its details were withheld: it describes a record the reader cannot open
    pub withheld: bool,
}

/// How a withheld actor is named.
pub const ANONYMOUS: &str = "anonymous";

pub async fn list(
    app: &App,
    actor: &Actor,
    filter: AuditFilter,
    cursor: Option<String>,
    limit: Option<i64>,
) -> Result<Page<ShownEntry>, AppError> {
    let visibility = match actor.principal.audit_visibility() {
        AuditVisibility::All => Visibility::All,
        AuditVisibility::Orgs(orgs) => {
            Visibility::Orgs(orgs.iter().map(|o| o.as_str().to_owned()).collect())
        }
        AuditVisibility::Nothing => return Err(AppError::Forbidden),
    };
    let limit = clamp_limit(limit);
    let principal = actor.principal.clone();
    let today = app.today();
    app.store
        .read(move |conn| {
            let page = audit::list(conn, &visibility, &filter, cursor.as_deref(), limit)?;
            let readable = readable::readable(conn, &rules_of(&principal, today), &page.items)?;
            Ok(Page {
                items: page
                    .items
                    .into_iter()
                    .map(|row| shown(&principal, &readable, row))
                    .collect(),
                next_cursor: page.next_cursor,
            })
        })
        .await
}

fn rules_of(p: &Principal, today: chrono::NaiveDate) -> ReaderRules<'_> {
    ReaderRules {
        person: p.user_id.as_str(),
        own_org: p.org_id.as_str(),
        incident: p.incident_read_rule(),
        indicator: p.read_rule(),
        alert: p.alert_read_rule(),
        message: p.message_read_rule(),
        channel: Box::new(|c: &str| Channel::parse(c).is_ok_and(|ch| p.may_read_channel(&ch))),
        private: p.private_read_rule(),
        today,
    }
}

/// Cuts an entry down to what `p` may see of it (`Principal::audit_entry_view`).
fn shown(
    p: &Principal,
    readable: &std::collections::HashSet<(String, String)>,
    mut row: AuditRow,
) -> ShownEntry {
    let record_readable = match (&row.record_kind, &row.record_id) {
        (Some(k), Some(id)) => Some(readable.contains(&(k.clone(), id.clone()))),
        _ => None,
    };
    let actor_org = row.actor_org_id.clone().map(OrgId::from_trusted);
    let view = p.audit_entry_view(record_readable, row.anonymous.then_some(actor_org.as_ref()));
    if !view.details {
        row.summary = serde_json::Value::Null.to_string();
        row.object_id = None;
        row.object_org_id = None;
        row.record_id = None;
    }
    if !view.actor {
        ANONYMOUS.clone_into(&mut row.actor);
        row.actor_id = None;
        row.actor_org_id = None;
        row.request_id = None;
        row.client_addr = None;
    }
    ShownEntry {
        row,
        withheld: !view.details,
    }
}

/// Records an action that changes nothing — a download, an export, a document — in a write
/// transaction of its own, after the read that served it.
pub async fn record_alone(app: &App, actor: &Actor, change: Change<'_>) -> Result<(), AppError> {
    let (action, object_type) = (change.action.to_owned(), change.object_type.to_owned());
    let object_id = change.object_id.map(str::to_owned);
    let object_org_id = change.object_org_id.map(str::to_owned);
    let summary = change.summary;
    let (app2, actor2) = (app.clone(), actor.clone());
    app.store
        .write(move |conn| {
            record(
                conn,
                &app2,
                &actor2,
                Change {
                    action: &action,
                    object_type: &object_type,
                    object_id: object_id.as_deref(),
                    object_org_id: object_org_id.as_deref(),
                    summary,
                },
            )
        })
        .await
}

/// The audit entry of an export or a generated document (`export.{what}`): what was taken out,
/// and about which record when it is one record's document (then shown only to its readers).
pub async fn exported(
    app: &App,
    actor: &Actor,
    what: &str,
    record: Option<(&str, &str)>,
    summary: serde_json::Value,
) -> Result<(), AppError> {
    let (object_type, object_id) = record.map_or(("export", None), |(k, id)| (k, Some(id)));
    record_alone(
        app,
        actor,
        Change {
            action: &format!("export.{what}"),
            object_type,
            object_id,
            object_org_id: None,
            summary,
        },
    )
    .await
}
