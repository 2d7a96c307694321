//! Alerts: the coordinator (or a cluster lead, to its own cluster) warns members; each recipient
//! acknowledges and reports what it did; the sender sees who has not. Every single read goes
//! through `load` (the policy's alert rule; anyone else gets "not found"), every list and count
//! through the store's SQL compilation of the same rule.

pub mod answer;
pub mod chase;
pub mod link;
pub mod send;
pub mod settings;
mod tell;

use std::collections::HashMap;

use chrono::{DateTime, NaiveDate, Utc};
use irnet_domain::alert::{Cve, RecipientState, Status, is_overdue};
use irnet_domain::ids::{AlertId, ClusterId, OrgId, UserId};
use irnet_domain::incident::Severity;
use irnet_domain::{AlertFacts, OrgKind, RecordAccess, Tlp};
use irnet_store::DbConn;
use irnet_store::alerts::{self as store, AlertRow, Filter, RecipientRow};
use irnet_store::directory::{clusters, orgs};
use irnet_store::page::{Page, clamp_limit};
use irnet_store::time::{from_db, to_db};

use crate::attachments::{self, AttachmentView, Upload};
use crate::audit::{self, Change};
use crate::directory::names::{self, OrgName};
use crate::error::Problems;
use crate::incidents::parse_local_time;
use crate::{Actor, App, AppError};

/// Whom an alert is for. The parts add up: the whole network, or any mix of clusters, kinds of
/// members and named members. Resolved into organisations on the day the alert is sent.
#[derive(
    Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize, utoipa::ToSchema,
)]
pub struct Audience {
    /// every member of the network (the coordinator only)
    #[serde(default)]
    pub network: bool,
    /// cluster ids: their members on the send day
    #[serde(default)]
    pub clusters: Vec<String>,
    /// kinds of members (`provincial_department`, `ministry_unit`…)
    #[serde(default)]
    pub kinds: Vec<String>,
    /// organisation ids; one merged away before the send day is replaced by its successor
    #[serde(default)]
    pub orgs: Vec<String>,
}

/// What the author writes; a draft is replaced whole by each update.
#[derive(Debug, Clone, Default, serde::Deserialize, utoipa::ToSchema)]
pub struct AlertInput {
    pub title: String,
    #[serde(default)]
    pub description: String,
    /// low, medium, high, critical (default high)
    pub severity: Option<String>,
    #[serde(default)]
    pub affected_products: Vec<String>,
    /// `CVE-YYYY-NNNN…`
    #[serde(default)]
    pub cves: Vec<String>,
    #[serde(default)]
    pub required_actions: String,
    /// RFC 3339, or local "YYYY-MM-DDTHH:MM" in the network's time zone; must be in the future
    pub action_deadline: Option<String>,
    /// TLP 2.0, default AMBER
    pub tlp: Option<String>,
    #[serde(default)]
    pub audience: Audience,
}

/// One recipient organisation and where it stands.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
pub struct RecipientView {
    pub id: String,
    pub org_id: String,
    /// as named on the send day (`org.name_vi`, kept for clients that read it)
    pub org_name_vi: String,
    pub org_name_en: Option<String>,
    /// the organisation by its name on the send day, with today's beside it where it differs
    pub org: OrgName,
    /// pending, acknowledged, reported
    pub state: String,
    pub acknowledged_at: Option<String>,
    /// the account or focal point that acknowledged
    pub acknowledged_by: Option<String>,
    /// not_affected, patched, mitigated, in_progress
    pub action_status: Option<String>,
    pub action_note: Option<String>,
    pub reported_at: Option<String>,
    /// the action deadline passed without a finished outcome
    pub overdue: bool,
}

#[derive(Debug, Clone, Default, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
pub struct RecipientCounts {
    pub total: usize,
    pub pending: usize,
    pub acknowledged: usize,
    pub reported: usize,
    /// not acknowledged yet (pending)
    pub not_acknowledged: usize,
    pub overdue: usize,
}

/// The sender's table: every recipient, pending first, with the counts.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
pub struct RecipientsView {
    pub counts: RecipientCounts,
    pub items: Vec<RecipientView>,
}

/// What the reader may do with an alert.
#[derive(Debug, Clone, Default, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
pub struct AlertAbilities {
    /// edit and send the draft
    pub edit: bool,
    /// see every recipient's status (the sender and the coordinator)
    pub see_recipients: bool,
    /// acknowledge and report for the reader's organisation
    pub answer: bool,
}

#[derive(Debug, Clone, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
pub struct AlertView {
    pub id: String,
    pub sender_org_id: String,
    /// the sender's name on the send day (`sender.name_vi`)
    pub sender_name: String,
    /// the sender by its name on the send day (a draft: today), with today's where it differs
    pub sender: OrgName,
    /// draft or sent
    pub status: String,
    pub tlp: String,
    pub title: String,
    pub description: String,
    pub severity: String,
    pub affected_products: Vec<String>,
    pub cves: Vec<String>,
    pub required_actions: String,
    /// in the network's time zone
    pub action_deadline: Option<String>,
    pub audience: Audience,
    pub sent_at: Option<String>,
    pub created_at: String,
    /// the reader's organisation as a recipient, if it is one
    pub mine: Option<RecipientView>,
    pub may: AlertAbilities,
    /// files attached by the sender (while a draft)
    pub attachments: Vec<AttachmentView>,
}

#[derive(Debug, Clone, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
pub struct AlertSummary {
    pub id: String,
    pub title: String,
    pub tlp: String,
    pub severity: String,
    pub status: String,
    pub sender_org_id: String,
    /// the sender's name on the send day (`sender.name_vi`)
    pub sender_name: String,
    /// the sender by its name on the send day (a draft: today), with today's where it differs
    pub sender: OrgName,
    pub sent_at: Option<String>,
    pub action_deadline: Option<String>,
    /// the reader's organisation's state when it is a recipient
    pub my_state: Option<String>,
}

#[derive(Debug, Clone, Default, serde::Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ListQuery {
    /// draft or sent
    pub status: Option<String>,
    /// only alerts the reader's organisation has not acknowledged yet
    pub pending: Option<bool>,
    /// `sent` (by the reader's organisation) or `received`
    pub direction: Option<String>,
    pub cursor: Option<String>,
    pub limit: Option<i64>,
}

#[derive(Debug, Clone, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
pub struct AlertCount {
    pub count: i64,
}

/// An alert and the reader's place around it.
pub(crate) struct Loaded {
    pub row: AlertRow,
    pub is_sender: bool,
    pub mine: Option<RecipientRow>,
}

impl Loaded {
    /// Editing (the content, the files) is for the sender while a draft: a sent alert is not
    /// changed, since its recipients acted on what it said.
    fn require_edit(&self, actor: &Actor) -> Result<(), AppError> {
        if self.abilities(actor).edit {
            Ok(())
        } else if self.row.status == Status::Sent {
            Err(AppError::Conflict {
                code: "already_sent",
                field: None,
            })
        } else {
            Err(AppError::Forbidden)
        }
    }

    /// As `domain::policy` decides them from the reader's place around the alert.
    fn abilities(&self, actor: &Actor) -> AlertAbilities {
        let a = actor.principal.alert_abilities(&AlertFacts {
            draft: self.row.status == Status::Draft,
            reader_is_sender: self.is_sender,
            reader_is_recipient: self.mine.is_some(),
        });
        AlertAbilities {
            edit: a.edit,
            see_recipients: a.see_recipients,
            answer: a.answer,
        }
    }
}

fn list_of(json: &str) -> Vec<String> {
    serde_json::from_str(json).unwrap_or_default()
}

/// Reads an alert for `actor`, or "not found" when the alert rule does not admit them. Drafts are
/// their sender organisation's alone.
pub(crate) fn load(conn: &mut DbConn, actor: &Actor, id: &AlertId) -> Result<Loaded, AppError> {
    let row = store::get(conn, id)?.ok_or(AppError::NotFound)?;
    let p = &actor.principal;
    let own = p.org_id.as_str();
    let is_sender = row.sender_org_id == own;
    if row.status == Status::Draft && !is_sender {
        return Err(AppError::NotFound);
    }
    let (shared_orgs, shared_people) = store::audience(conn, id)?;
    let access = RecordAccess {
        owner_org: OrgId::from_trusted(row.sender_org_id.clone()),
        tlp: row.tlp,
        shared_orgs: shared_orgs.into_iter().map(OrgId::from_trusted).collect(),
        shared_people: shared_people
            .into_iter()
            .map(UserId::from_trusted)
            .collect(),
    };
    if !p.alert_read_rule().admits(&access) {
        return Err(AppError::NotFound);
    }
    let mine = store::recipient_of(conn, id, own)?;
    Ok(Loaded {
        row,
        is_sender,
        mine,
    })
}

/// The day an alert names organisations as of: the day it was sent (a draft: today, the day it
/// would be sent).
pub(crate) fn names_day(app: &App, a: &AlertRow) -> NaiveDate {
    a.sent_at
        .map_or_else(|| app.today(), |t| names::day_of(app, t))
}

/// Organisations an alert names (its sender, its recipients), by their names on its send day.
pub(crate) fn names_of(
    conn: &mut DbConn,
    app: &App,
    a: &AlertRow,
    org_ids: &[String],
) -> Result<HashMap<String, OrgName>, AppError> {
    names::names_on(conn, org_ids, names_day(app, a), app.today())
}

/// One organisation an alert names, by its name on the send day.
pub(crate) fn name_of(
    conn: &mut DbConn,
    app: &App,
    a: &AlertRow,
    org_id: &str,
) -> Result<OrgName, AppError> {
    Ok(names_of(conn, app, a, &[org_id.to_owned()])?
        .remove(org_id)
        .unwrap_or_else(|| names::unknown(org_id)))
}

pub(crate) fn recipient_view(
    app: &App,
    row: &AlertRow,
    r: &RecipientRow,
    org: OrgName,
) -> RecipientView {
    let reported = r.action_status;
    RecipientView {
        id: r.id.clone(),
        org_id: r.org_id.clone(),
        org_name_vi: org.name_vi.clone(),
        org_name_en: org.name_en.clone(),
        org,
        state: RecipientState::of(r.acknowledged_at.is_some(), reported)
            .as_str()
            .to_owned(),
        acknowledged_at: r.acknowledged_at.map(|t| app.local(t)),
        acknowledged_by: r.acknowledged_by_name.clone(),
        action_status: r.action_status.map(|a| a.as_str().to_owned()),
        action_note: r.action_note.clone(),
        reported_at: r.reported_at.map(|t| app.local(t)),
        overdue: is_overdue(row.action_deadline.map(from_db), reported, app.now()),
    }
}

pub(crate) fn view(
    conn: &mut DbConn,
    app: &App,
    actor: &Actor,
    l: &Loaded,
) -> Result<AlertView, AppError> {
    let r = &l.row;
    let sender = name_of(conn, app, r, &r.sender_org_id)?;
    let mine = match &l.mine {
        Some(m) => {
            let org = name_of(conn, app, r, &m.org_id)?;
            Some(recipient_view(app, r, m, org))
        }
        None => None,
    };
    Ok(AlertView {
        id: r.id.to_string(),
        sender_org_id: r.sender_org_id.clone(),
        sender_name: sender.name_vi.clone(),
        sender,
        status: r.status.as_str().to_owned(),
        tlp: r.tlp.as_str().to_owned(),
        title: r.title.clone(),
        description: r.description.clone(),
        severity: r.severity.clone(),
        affected_products: list_of(&r.products),
        cves: list_of(&r.cves),
        required_actions: r.actions.clone(),
        action_deadline: r.action_deadline.map(|t| app.local(t)),
        audience: serde_json::from_str(&r.audience).unwrap_or_default(),
        sent_at: r.sent_at.map(|t| app.local(t)),
        created_at: app.local(r.created_at),
        mine,
        may: l.abilities(actor),
        attachments: attachments::of_records(conn, ATTACHMENT_KIND, &[r.id.to_string()])?
            .into_iter()
            .map(|a| attachments::view(app, a))
            .collect(),
    })
}

/// The input, checked and normalised.
pub(crate) struct Valid {
    title: String,
    description: String,
    severity: Severity,
    products: Vec<String>,
    cves: Vec<String>,
    actions: String,
    deadline: Option<DateTime<Utc>>,
    tlp: Tlp,
    audience: Audience,
}

fn text(s: &str) -> String {
    irnet_domain::text::nfc(s.trim())
}

/// Checks every field at once, so a form shows all its problems together.
fn validate(conn: &mut DbConn, app: &App, input: &AlertInput) -> Result<Valid, AppError> {
    let mut p = Problems::default();
    let title = text(&input.title);
    p.text("title", &title, true, 300);
    let description = text(&input.description);
    p.text("description", &description, false, 20_000);
    let actions = text(&input.required_actions);
    p.text("required_actions", &actions, false, 20_000);
    let severity = p.check(
        "severity",
        Severity::parse(input.severity.as_deref().unwrap_or("high").trim()),
    );
    let tlp = p.check("tlp", Tlp::parse(input.tlp.as_deref().unwrap_or("AMBER")));
    let mut cves = Vec::new();
    for c in &input.cves {
        if let Some(c) = p.check("cves", Cve::parse(c)) {
            cves.push(c.as_str().to_owned());
        }
    }
    cves.sort();
    cves.dedup();
    let products: Vec<String> = input
        .affected_products
        .iter()
        .map(|s| text(s))
        .filter(|s| !s.is_empty())
        .collect();
    if products.len() > 100 || products.iter().any(|s| s.chars().count() > 300) {
        p.add("affected_products", "invalid_length");
    }
    let deadline = match input
        .action_deadline
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
    {
        None => None,
        Some(s) => match parse_local_time(s, app.settings.local_offset) {
            None => {
                p.add("action_deadline", "invalid_datetime");
                None
            }
            Some(t) if t <= app.now() => {
                p.add("action_deadline", "in_past");
                None
            }
            Some(t) => Some(t),
        },
    };
    let audience = audience_checked(conn, &mut p, &input.audience)?;
    p.into_result()?;
    let (Some(severity), Some(tlp)) = (severity, tlp) else {
        return Err(AppError::internal("validated alert incomplete"));
    };
    Ok(Valid {
        title,
        description,
        severity,
        products,
        cves,
        actions,
        deadline,
        tlp,
        audience,
    })
}

/// The audience with ids normalised and checked against the directory.
fn audience_checked(
    conn: &mut DbConn,
    p: &mut Problems,
    a: &Audience,
) -> Result<Audience, AppError> {
    let mut out = Audience {
        network: a.network,
        ..Audience::default()
    };
    for c in &a.clusters {
        match ClusterId::parse(c.trim()) {
            Ok(id) if clusters::get(conn, id.as_str())?.is_some() => {
                out.clusters.push(id.as_str().to_owned());
            }
            _ => p.add("audience.clusters", "unknown_cluster"),
        }
    }
    for k in &a.kinds {
        if let Some(k) = p.check("audience.kinds", OrgKind::parse(k)) {
            out.kinds.push(k.as_str().to_owned());
        }
    }
    for o in &a.orgs {
        match OrgId::parse(o.trim()) {
            Ok(id) if orgs::get(conn, id.as_str())?.is_some() => {
                out.orgs.push(id.as_str().to_owned());
            }
            _ => p.add("audience.orgs", "unknown_org"),
        }
    }
    for v in [&mut out.clusters, &mut out.kinds, &mut out.orgs] {
        v.sort();
        v.dedup();
    }
    if !a.network && a.clusters.is_empty() && a.kinds.is_empty() && a.orgs.is_empty() {
        p.add("audience", "empty_audience");
    }
    Ok(out)
}

/// The organisation that led `cluster` in `year`, from the directory's lead records (the last
/// lead holds until the next hand-over is recorded: `clusters::lead_in`).
pub(crate) fn lead_of(
    conn: &mut DbConn,
    cluster: &str,
    year: i32,
) -> Result<Option<String>, AppError> {
    Ok(clusters::lead_in(conn, cluster, year)?.map(|l| l.org_id))
}

/// The coordinator may address anyone; a cluster lead only its own cluster of this year.
pub(crate) fn may_address(
    conn: &mut DbConn,
    app: &App,
    actor: &Actor,
    a: &Audience,
) -> Result<bool, AppError> {
    let p = &actor.principal;
    if p.may_alert_network() {
        return Ok(true);
    }
    if a.network || !a.kinds.is_empty() || !a.orgs.is_empty() || a.clusters.is_empty() {
        return Ok(false);
    }
    let year = chrono::Datelike::year(&app.today());
    for c in &a.clusters {
        let leads = lead_of(conn, c, year)?.as_deref() == Some(p.org_id.as_str());
        if !p.may_alert_cluster(&ClusterId::from_trusted(c.clone()), leads) {
            return Ok(false);
        }
    }
    Ok(true)
}

fn to_json<T: serde::Serialize>(v: &T) -> Result<String, AppError> {
    serde_json::to_string(v).map_err(AppError::internal)
}

fn fill(row: &mut AlertRow, v: Valid) -> Result<(), AppError> {
    row.title = v.title;
    row.description = v.description;
    row.severity = v.severity.as_str().to_owned();
    row.products = to_json(&v.products)?;
    row.cves = to_json(&v.cves)?;
    row.actions = v.actions;
    row.action_deadline = v.deadline.map(to_db);
    row.tlp = v.tlp;
    row.audience = to_json(&v.audience)?;
    Ok(())
}

/// Writes a draft alert of the actor's organisation.
pub async fn create(app: &App, actor: &Actor, input: AlertInput) -> Result<AlertView, AppError> {
    let (app2, actor2) = (app.clone(), actor.clone());
    app.store
        .write(move |conn| {
            let p = &actor2.principal;
            if !p.may_write() {
                return Err(AppError::ReadOnly);
            }
            if !p.may_compose_alerts() {
                return Err(AppError::Forbidden);
            }
            let v = validate(conn, &app2, &input)?;
            if !may_address(conn, &app2, &actor2, &v.audience)? {
                return Err(AppError::invalid("audience", "audience_not_allowed"));
            }
            let now = to_db(app2.now());
            let mut row = AlertRow {
                id: AlertId::new(),
                sender_org_id: p.org_id.as_str().to_owned(),
                created_by: p.user_id.as_str().to_owned(),
                status: Status::Draft,
                tlp: v.tlp,
                title: String::new(),
                description: String::new(),
                severity: String::new(),
                products: String::new(),
                cves: String::new(),
                actions: String::new(),
                action_deadline: None,
                audience: String::new(),
                sent_at: None,
                sent_by: None,
                created_at: now,
                updated_at: now,
            };
            fill(&mut row, v)?;
            store::insert(conn, &row)?;
            // The author is named, so that a TLP:RED draft (read by named people only) stays
            // readable to them; sending names the recipients.
            store::share_with(conn, &row.id, None, Some(p.user_id.as_str()), now)?;
            audit::record(
                conn,
                &app2,
                &actor2,
                Change {
                    action: "alert.created",
                    object_type: "alert",
                    object_id: Some(row.id.as_str()),
                    object_org_id: Some(&row.sender_org_id),
                    summary: serde_json::json!({ "title": row.title, "tlp": row.tlp.as_str() }),
                },
            )?;
            let l = load(conn, &actor2, &row.id)?;
            view(conn, &app2, &actor2, &l)
        })
        .await
}

/// Runs `f` on an alert the actor may read, in one write transaction (refused to read-only
/// credentials), then returns the alert as the actor now sees it.
pub(crate) async fn with_alert<F>(
    app: &App,
    actor: &Actor,
    id: &AlertId,
    f: F,
) -> Result<AlertView, AppError>
where
    F: FnOnce(&mut DbConn, &App, &Actor, &mut Loaded) -> Result<(), AppError> + Send + 'static,
{
    let (app2, actor2, id) = (app.clone(), actor.clone(), id.clone());
    app.store
        .write(move |conn| {
            let mut l = load(conn, &actor2, &id)?;
            if !actor2.principal.may_write() {
                return Err(AppError::ReadOnly);
            }
            f(conn, &app2, &actor2, &mut l)?;
            let l = load(conn, &actor2, &id)?;
            view(conn, &app2, &actor2, &l)
        })
        .await
}

/// Replaces a draft's content. A sent alert is not edited: its recipients acted on what it said.
pub async fn update(
    app: &App,
    actor: &Actor,
    id: &AlertId,
    input: AlertInput,
) -> Result<AlertView, AppError> {
    with_alert(app, actor, id, move |conn, app, actor, l| {
        l.require_edit(actor)?;
        let v = validate(conn, app, &input)?;
        if !may_address(conn, app, actor, &v.audience)? {
            return Err(AppError::invalid("audience", "audience_not_allowed"));
        }
        fill(&mut l.row, v)?;
        l.row.updated_at = to_db(app.now());
        store::save(conn, &l.row)?;
        audit::record(
            conn,
            app,
            actor,
            Change {
                action: "alert.updated",
                object_type: "alert",
                object_id: Some(l.row.id.as_str()),
                object_org_id: Some(&l.row.sender_org_id),
                summary: serde_json::json!({ "title": l.row.title, "tlp": l.row.tlp.as_str() }),
            },
        )
    })
    .await
}

/// The kind of alert files in `attachments`.
const ATTACHMENT_KIND: &str = "alert";

/// Attaches a file to a draft (the sender, like editing it): its recipients receive the alert
/// with the files it had when sent. Checked (name, size, type, SHA-256) before anything is stored.
pub async fn attach(
    app: &App,
    actor: &Actor,
    id: &AlertId,
    upload: Upload,
) -> Result<AlertView, AppError> {
    let file = attachments::check(app, upload, "file")?;
    with_alert(app, actor, id, move |conn, app, actor, l| {
        l.require_edit(actor)?;
        let meta = attachments::store(conn, app, actor, ATTACHMENT_KIND, l.row.id.as_str(), file)?;
        attachments::audit_added(conn, app, actor, "alert", &l.row.sender_org_id, &meta)
    })
    .await
}

/// A file of an alert, for the alert's readers only.
pub async fn download(
    app: &App,
    actor: &Actor,
    id: &AlertId,
    attachment_id: &str,
) -> Result<(AttachmentView, Vec<u8>), AppError> {
    let (app2, actor2) = (app.clone(), actor.clone());
    let (id, aid) = (id.clone(), attachment_id.to_owned());
    let (file, record) = app
        .store
        .read(move |conn| {
            let l = load(conn, &actor2, &id)?;
            let file =
                attachments::download(conn, &app2, ATTACHMENT_KIND, l.row.id.as_str(), &aid)?;
            Ok::<_, AppError>((file, l.row.id.to_string()))
        })
        .await?;
    attachments::audit_downloaded(app, actor, ATTACHMENT_KIND, &record, &file.0).await?;
    Ok(file)
}

pub async fn get(app: &App, actor: &Actor, id: &AlertId) -> Result<AlertView, AppError> {
    let (app2, actor2, id) = (app.clone(), actor.clone(), id.clone());
    app.store
        .read(move |conn| {
            let l = load(conn, &actor2, &id)?;
            view(conn, &app2, &actor2, &l)
        })
        .await
}

/// Every recipient with its status, pending first, for the sender and the coordinator.
pub async fn recipients(
    app: &App,
    actor: &Actor,
    id: &AlertId,
) -> Result<RecipientsView, AppError> {
    let (app2, actor2, id) = (app.clone(), actor.clone(), id.clone());
    app.store
        .read(move |conn| {
            let l = load(conn, &actor2, &id)?;
            if !l.abilities(&actor2).see_recipients {
                // A recipient reads the alert but not how the others answered it.
                return Err(AppError::Forbidden);
            }
            let rows = store::recipients(conn, &id)?;
            let ids: Vec<String> = rows.iter().map(|r| r.org_id.clone()).collect();
            let mut names = names_of(conn, &app2, &l.row, &ids)?;
            let mut items: Vec<RecipientView> = rows
                .iter()
                .map(|r| {
                    let org = names
                        .remove(&r.org_id)
                        .unwrap_or_else(|| names::unknown(&r.org_id));
                    recipient_view(&app2, &l.row, r, org)
                })
                .collect();
            let rank = |s: &str| match s {
                "pending" => 0,
                "acknowledged" => 1,
                _ => 2,
            };
            items.sort_by(|a, b| {
                (
                    rank(&a.state),
                    irnet_domain::text::vi_sort_key(&a.org_name_vi),
                )
                    .cmp(&(
                        rank(&b.state),
                        irnet_domain::text::vi_sort_key(&b.org_name_vi),
                    ))
            });
            let mut counts = RecipientCounts {
                total: items.len(),
                ..RecipientCounts::default()
            };
            for r in &items {
                match r.state.as_str() {
                    "pending" => counts.pending += 1,
                    "acknowledged" => counts.acknowledged += 1,
                    _ => counts.reported += 1,
                }
                if r.overdue {
                    counts.overdue += 1;
                }
            }
            counts.not_acknowledged = counts.pending;
            Ok(RecipientsView { counts, items })
        })
        .await
}

fn filter_of(actor: &Actor, q: &ListQuery) -> Result<Filter, AppError> {
    let own = actor.principal.org_id.as_str().to_owned();
    let mut f = Filter {
        own_org: own.clone(),
        ..Filter::default()
    };
    match q.status.as_deref().map(str::trim) {
        None | Some("") => {}
        Some(s) => {
            f.status =
                Some(Status::parse(s).map_err(|_| AppError::invalid("status", "invalid_status"))?);
        }
    }
    match q.direction.as_deref().map(str::trim) {
        None | Some("") => {}
        Some("sent") => f.sent_by = Some(own.clone()),
        Some("received") => f.received_by = Some(own.clone()),
        Some(_) => return Err(AppError::invalid("direction", "invalid_direction")),
    }
    if q.pending == Some(true) {
        f.pending_for = Some(own);
    }
    Ok(f)
}

/// The alerts the reader may see, newest first.
pub async fn list(app: &App, actor: &Actor, q: ListQuery) -> Result<Page<AlertSummary>, AppError> {
    let f = filter_of(actor, &q)?;
    let limit = clamp_limit(q.limit);
    let (app2, actor2) = (app.clone(), actor.clone());
    app.store
        .read(move |conn| {
            let rule = actor2.principal.alert_read_rule();
            let page = store::list(conn, &rule, &f, q.cursor.as_deref(), limit)?;
            let mut items = Vec::with_capacity(page.items.len());
            for r in page.items {
                items.push(summary(conn, &app2, &actor2, r)?);
            }
            Ok(Page {
                items,
                next_cursor: page.next_cursor,
            })
        })
        .await
}

pub(crate) fn summary(
    conn: &mut DbConn,
    app: &App,
    actor: &Actor,
    r: AlertRow,
) -> Result<AlertSummary, AppError> {
    let mine = store::recipient_of(conn, &r.id, actor.principal.org_id.as_str())?;
    let sender = name_of(conn, app, &r, &r.sender_org_id)?;
    Ok(AlertSummary {
        sender_name: sender.name_vi.clone(),
        sender,
        my_state: mine.map(|m| {
            let state = RecipientState::of(m.acknowledged_at.is_some(), m.action_status);
            state.as_str().to_owned()
        }),
        id: r.id.to_string(),
        title: r.title,
        tlp: r.tlp.as_str().to_owned(),
        severity: r.severity,
        status: r.status.as_str().to_owned(),
        sender_org_id: r.sender_org_id,
        sent_at: r.sent_at.map(|t| app.local(t)),
        action_deadline: r.action_deadline.map(|t| app.local(t)),
    })
}

/// How many alerts the reader may see under the same filters as the list.
pub async fn count(app: &App, actor: &Actor, q: ListQuery) -> Result<AlertCount, AppError> {
    let f = filter_of(actor, &q)?;
    let actor2 = actor.clone();
    app.store
        .read(move |conn| {
            let rule = actor2.principal.alert_read_rule();
            Ok(AlertCount {
                count: store::count(conn, &rule, &f)?,
            })
        })
        .await
}
