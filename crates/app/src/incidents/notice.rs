//! The notice reaches its receivers. Submitting a notice shares it at once, under its TLP, with
//! the organisations the regulation names (Decision 05/2017: the coordinator, the department in
//! charge of the member, and here the lead of the member's cluster of the day), tells their people
//! in the app and mails their focal points (`[TBSC]`); each receiver acknowledges (who, when),
//! and the sender sees who has and has not. The notice deadline is met when the notice reached
//! its receivers: at submission when any was found (the incident's `submitted_at`, from which
//! its deadlines count). When none could be found, the incident is numbered and handled all
//! the same, but has no `submitted_at`: its page says so and the notice deadline stays open.
//!
//! - The coordinator: like escalation, the people holding the coordinator role are named, not the
//!   coordinator's whole organisation (`irnet_domain::escalation_audience`). Escalation stays
//!   the member's request that the coordinator act, with its own acknowledgement.
//! - The department in charge: found per kind of member (`[incidents] department_in_charge`).
//! - The cluster lead of the day: the member's clusters on the day of submission, each one's lead
//!   that year (the last lead holds until the next hand-over is recorded).
//!
//! Below TLP:RED a receiving organisation joins the audience (what the incident read rule grants
//! an audience organisation); at TLP:RED only named people read it: the receivers' focal points
//! with an account, and the coordinators.
//!
//! A receiver nobody at which could be told — no account and no focal point to mail, or at
//! TLP:RED nobody to name (a cluster lead whose focal points have no account, as in the demo) —
//! is not reached. It is recorded all the same with why, so that the sender sees it, and the
//! sender (or a coordinator) can resend the notice to every receiver that has not acknowledged:
//! each is asked again whom it reaches, so an account or focal point added since is reached.

use std::collections::{BTreeMap, BTreeSet};

use chrono::NaiveDate;
use irnet_domain::ids::{ClusterId, IncidentId, OrgId};
use irnet_domain::{Locale, OrgKind, Tlp};
use irnet_store::DbConn;
use irnet_store::directory::{clusters, history, orgs, people as people_store};
use irnet_store::identity::{grants, users};
use irnet_store::incidents::notice::{self as receivers, ReceiverRow};
use irnet_store::incidents::{self as store, IncidentRow};
use irnet_store::time::to_db;
use serde::{Deserialize, Serialize};

use super::{IncidentView, Loaded, event, with_incident};
use crate::audit::{self, Change};
use crate::directory::names::{OrgName, names_on};
use crate::jobs;
use crate::mail::{About, JOB as EMAIL, Mail};
use crate::messages::{text, text_args};
use crate::notify::{Notice, cut, notify};
use crate::{Actor, App, AppError};

/// How the department in charge of a member of one kind is found in the directory.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FindDepartment {
    /// it has none besides itself (a provincial department is its province's department in
    /// charge; the coordinator and the cluster lead are told all the same)
    None,
    /// its parent authority in the directory history on the day (a ministry's unit → the
    /// ministry or authority above it)
    Parent,
    /// the provincial department of the province it belongs to on the day
    Province,
}

/// `[incidents.department_in_charge]`: per kind of member, how its department in charge is found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct DepartmentInCharge {
    pub national_coordinator: FindDepartment,
    pub state_authority: FindDepartment,
    pub ministry_unit: FindDepartment,
    pub provincial_department: FindDepartment,
    pub enterprise: FindDepartment,
    pub other: FindDepartment,
}

impl Default for DepartmentInCharge {
    /// A provincial department is itself the department in charge in its province; a ministry's
    /// unit, a state authority and an enterprise answer to their parent in the directory; any
    /// other member (a provincial data centre, a district unit) to its province's department.
    fn default() -> Self {
        Self {
            national_coordinator: FindDepartment::None,
            state_authority: FindDepartment::Parent,
            ministry_unit: FindDepartment::Parent,
            provincial_department: FindDepartment::None,
            enterprise: FindDepartment::Parent,
            other: FindDepartment::Province,
        }
    }
}

impl DepartmentInCharge {
    pub fn for_kind(&self, kind: OrgKind) -> FindDepartment {
        match kind {
            OrgKind::NationalCoordinator => self.national_coordinator,
            OrgKind::StateAuthority => self.state_authority,
            OrgKind::MinistryUnit => self.ministry_unit,
            OrgKind::ProvincialDepartment => self.provincial_department,
            OrgKind::Enterprise => self.enterprise,
            OrgKind::Other => self.other,
        }
    }
}

/// Why an organisation receives the notice.
pub const COORDINATOR: &str = "coordinator";
pub const DEPARTMENT: &str = "department";
pub const CLUSTER_LEAD: &str = "cluster_lead";

/// Why a receiver was not reached: nobody there to tell in the app or by mail, or at TLP:RED
/// nobody there to name (no focal point with an account).
pub const NOBODY: &str = "nobody";
pub const RED_NOBODY_NAMED: &str = "red_nobody_named";

/// One receiver found for a notice.
struct Receiver {
    org_id: String,
    part: &'static str,
    cluster_id: Option<String>,
    /// people named in the audience (the coordinators; everyone reached at TLP:RED)
    named: Vec<String>,
    /// people told in the app
    told: Vec<String>,
    /// why nobody there got it (`NOBODY`, `RED_NOBODY_NAMED`); `None` when reached
    not_reached: Option<&'static str>,
}

/// The accounts of an organisation's focal points.
fn focal_accounts(conn: &mut DbConn, org_id: &str) -> Result<Vec<String>, AppError> {
    let mut out = Vec::new();
    for f in people_store::focal_points_of(conn, org_id)? {
        if let Some(u) = people_store::get(conn, &f.person_id)?.and_then(|p| p.user_id) {
            out.push(u);
        }
    }
    Ok(out)
}

/// Whether any focal point of the organisation has an address to mail.
fn focal_mailable(conn: &mut DbConn, org_id: &str) -> Result<bool, AppError> {
    for f in people_store::focal_points_of(conn, org_id)? {
        if let Some(person) = people_store::get(conn, &f.person_id)?
            && !crate::directory::people::view(person).emails.is_empty()
        {
            return Ok(true);
        }
    }
    Ok(false)
}

/// The department in charge of `owner` on `day`, by its kind's rule.
fn department_of(
    conn: &mut DbConn,
    app: &App,
    owner: &orgs::OrgRow,
    day: NaiveDate,
) -> Result<Option<String>, AppError> {
    let Ok(kind) = OrgKind::parse(&owner.kind) else {
        return Ok(None);
    };
    let version = history::names_on(conn, std::slice::from_ref(&owner.id), day)?.remove(&owner.id);
    let found = match app
        .settings
        .sections
        .incidents
        .department_in_charge
        .for_kind(kind)
    {
        FindDepartment::None => None,
        FindDepartment::Parent => version.and_then(|v| v.parent_id),
        FindDepartment::Province => match version.and_then(|v| v.province_code) {
            Some(code) => {
                let ids = history::orgs_in_province_on(conn, &code, day)?;
                orgs::get_many(conn, &ids)?
                    .into_iter()
                    .find(|o| o.id != owner.id && o.kind == OrgKind::ProvincialDepartment.as_str())
                    .map(|o| o.id)
            }
            None => None,
        },
    };
    Ok(found.filter(|d| *d != owner.id))
}

/// Whom a receiver's notice reaches now: the people named and told for it, and, when nobody,
/// why. Asked at submission and again by each resend, so that an account or focal point added
/// since is reached by the resend.
fn reach(
    conn: &mut DbConn,
    app: &App,
    red: bool,
    org_id: String,
    part: &'static str,
    cluster_id: Option<String>,
) -> Result<Receiver, AppError> {
    let (named, told) = if part == COORDINATOR {
        // The people holding the coordinator role are named, not the whole organisation.
        let role = irnet_domain::escalation_audience();
        let people: Vec<String> = grants::holders(
            conn,
            role.role.as_str(),
            role.scope.kind(),
            role.scope.id().unwrap_or(""),
        )?
        .into_iter()
        .map(|u| u.id)
        .collect();
        (people.clone(), people)
    } else {
        let focal = focal_accounts(conn, &org_id)?;
        if red {
            (focal.clone(), focal)
        } else {
            let mut t = super::tell::people_of(conn, app, &org_id)?;
            t.extend(focal);
            if let Some(cluster) = &cluster_id {
                t.extend(
                    grants::holders(conn, "cluster_lead", "cluster", cluster)?
                        .into_iter()
                        .filter(|u| u.org_id == org_id)
                        .map(|u| u.id),
                );
            }
            (Vec::new(), t)
        }
    };
    let not_reached = if red {
        named.is_empty().then_some(RED_NOBODY_NAMED)
    } else {
        (told.is_empty() && !focal_mailable(conn, &org_id)?).then_some(NOBODY)
    };
    Ok(Receiver {
        org_id,
        part,
        cluster_id,
        named,
        told,
        not_reached,
    })
}

/// Everyone a notice of `r` submitted on `day` is for, one receiver per organisation, reached
/// or not.
fn receivers_of(
    conn: &mut DbConn,
    app: &App,
    r: &IncidentRow,
    day: NaiveDate,
) -> Result<Vec<Receiver>, AppError> {
    let owner = &r.owner_org_id;
    let mut wanted: Vec<(String, &'static str, Option<String>)> = Vec::new();
    if let Some(coordinator) = super::coordinator_org(conn, app)? {
        wanted.push((coordinator, COORDINATOR, None));
    }
    let owner_row = orgs::get(conn, owner)?.ok_or(AppError::NotFound)?;
    if let Some(dept) = department_of(conn, app, &owner_row, day)? {
        wanted.push((dept, DEPARTMENT, None));
    }
    let year = chrono::Datelike::year(&day);
    for cluster in clusters::clusters_of_org(conn, owner, day)? {
        if let Some(lead) = clusters::lead_in(conn, &cluster, year)? {
            wanted.push((lead.org_id, CLUSTER_LEAD, Some(cluster)));
        }
    }
    let mut out: Vec<Receiver> = Vec::new();
    for (org_id, part, cluster_id) in wanted {
        if org_id != *owner && !out.iter().any(|o| o.org_id == org_id) {
            out.push(reach(
                conn,
                app,
                r.tlp == Tlp::Red,
                org_id,
                part,
                cluster_id,
            )?);
        }
    }
    Ok(out)
}

/// Shares the incident with the receivers reached: below TLP:RED their organisations join the
/// audience (the coordinator excepted: its role holders are named), and the people named join.
fn share(
    conn: &mut DbConn,
    r: &IncidentRow,
    found: &[Receiver],
    now: chrono::NaiveDateTime,
) -> Result<(), AppError> {
    let (mut shared_orgs, mut named) = store::audience(conn, &r.id)?;
    for rc in found {
        // An organisation nobody could be told in still joins below RED: whoever gets an
        // account there reads what was sent to it.
        if r.tlp != Tlp::Red && rc.part != COORDINATOR && !shared_orgs.contains(&rc.org_id) {
            store::share_with(conn, &r.id, Some(&rc.org_id), None, now)?;
            shared_orgs.push(rc.org_id.clone());
        }
        for u in &rc.named {
            if !named.contains(u) {
                store::share_with(conn, &r.id, None, Some(u), now)?;
                named.push(u.clone());
            }
        }
    }
    Ok(())
}

fn listed(found: &[Receiver]) -> Vec<serde_json::Value> {
    found
        .iter()
        .map(|rc| {
            serde_json::json!({
                "org_id": rc.org_id,
                "part": rc.part,
                "not_reached": rc.not_reached,
            })
        })
        .collect()
}

/// Sends a submitted notice to its receivers, in the submission's transaction: shares, records
/// each receiver (those not reached with why), tells and mails them. Whether it reached any.
pub(crate) fn send(
    conn: &mut DbConn,
    app: &App,
    actor: &Actor,
    r: &IncidentRow,
) -> Result<bool, AppError> {
    let now = to_db(app.now());
    let found = receivers_of(conn, app, r, app.today())?;
    share(conn, r, &found, now)?;
    for rc in &found {
        receivers::insert(
            conn,
            &ReceiverRow {
                id: uuid::Uuid::now_v7().to_string(),
                incident_id: r.id.clone(),
                org_id: rc.org_id.clone(),
                part: rc.part.to_owned(),
                cluster_id: rc.cluster_id.clone(),
                reached_at: now,
                acknowledged_at: None,
                acknowledged_by: None,
                not_reached: rc.not_reached.map(str::to_owned),
            },
        )?;
    }
    let listed = listed(&found);
    event(
        conn,
        app,
        actor,
        &r.id,
        "notice_sent",
        None,
        serde_json::json!({ "receivers": listed }),
    )?;
    audit::record(
        conn,
        app,
        actor,
        Change {
            action: "incident.notice_sent",
            object_type: "incident",
            object_id: Some(r.id.as_str()),
            object_org_id: Some(&r.owner_org_id),
            summary: serde_json::json!({ "receivers": listed }),
        },
    )?;
    tell(conn, app, r, &found, "")
}

/// Tells the receivers reached in the app and mails their focal points. `round` tells a resend's
/// mails from the first ones (each mail is sent once per round and address). Whether any was
/// reached.
fn tell(
    conn: &mut DbConn,
    app: &App,
    r: &IncidentRow,
    found: &[Receiver],
    round: &str,
) -> Result<bool, AppError> {
    let reached: Vec<&Receiver> = found.iter().filter(|rc| rc.not_reached.is_none()).collect();
    if reached.is_empty() {
        return Ok(false);
    }
    let owner = names_on(
        conn,
        std::slice::from_ref(&r.owner_org_id),
        crate::directory::names::day_of(app, r.detected_at),
        app.today(),
    )?
    .remove(&r.owner_org_id)
    .map(|n| n.label(Locale::Vi))
    .unwrap_or_default();
    let args = vec![
        (
            "number".to_owned(),
            r.number.clone().unwrap_or_else(|| "—".to_owned()),
        ),
        ("title".to_owned(), r.title.clone()),
        ("owner".to_owned(), owner),
    ];
    let told: Vec<String> = reached.iter().flat_map(|rc| rc.told.clone()).collect();
    notify(
        conn,
        app,
        &Notice {
            kind: "incident.notice".to_owned(),
            object_type: "incident".to_owned(),
            object_id: r.id.to_string(),
            org_id: Some(r.owner_org_id.clone()),
            link: format!("/incidents/{}", r.id),
            message: "incident-notice".to_owned(),
            args: args.clone(),
            recipients: told,
            // Mail goes to the receivers' focal points below, once per address.
            email: false,
            restricted: r.tlp == Tlp::Red,
        },
    )?;
    mail_focal_points(conn, app, r, &reached, &args, round)?;
    Ok(true)
}

/// One mail per address: the receivers' focal points (at TLP:RED only those named, through their
/// account) and the people named for them. The text says only that there is a notice to read at
/// TLP:RED; a mail to an account is cut again by its read rule when sent.
fn mail_focal_points(
    conn: &mut DbConn,
    app: &App,
    r: &IncidentRow,
    found: &[&Receiver],
    args: &[(String, String)],
    round: &str,
) -> Result<(), AppError> {
    let red = r.tlp == Tlp::Red;
    // address → (account, locale)
    let mut to: BTreeMap<String, (Option<String>, Locale)> = BTreeMap::new();
    let account = |conn: &mut DbConn, id: &str| -> Result<Option<(String, Locale)>, AppError> {
        Ok(users::get(conn, id)?
            .filter(|u| u.active)
            .map(|u| (u.email, Locale::parse(&u.locale).unwrap_or(Locale::Vi))))
    };
    for rc in found {
        for f in people_store::focal_points_of(conn, &rc.org_id)? {
            let Some(person) = people_store::get(conn, &f.person_id)? else {
                continue;
            };
            let linked = person.user_id.clone();
            if red && !linked.as_ref().is_some_and(|u| rc.named.contains(u)) {
                continue;
            }
            let locale = match &linked {
                Some(u) => account(conn, u)?.map_or(Locale::Vi, |(_, l)| l),
                None => Locale::Vi,
            };
            for email in crate::directory::people::view(person).emails {
                to.entry(email.to_lowercase())
                    .or_insert((linked.clone(), locale));
            }
        }
        for u in &rc.named {
            if let Some((email, locale)) = account(conn, u)? {
                to.entry(email.to_lowercase())
                    .or_insert((Some(u.clone()), locale));
            }
        }
    }
    let now = app.now();
    let link = format!("{}/incidents/{}", app.settings.public_url, r.id);
    let args: Vec<(&str, String)> = args.iter().map(|(k, v)| (k.as_str(), v.clone())).collect();
    for (address, (user, locale)) in to {
        let (subject, body) = if red {
            (
                text(locale, "incident-notice-red-subject"),
                text(locale, "incident-notice-red-body"),
            )
        } else {
            (
                text_args(locale, "incident-notice-subject", &args),
                text_args(locale, "incident-notice-body", &args),
            )
        };
        let footer = |body: String, link: String| {
            [
                body,
                String::new(),
                text_args(locale, "notice-link", &[("link", link)]),
                String::new(),
                "-- ".to_owned(),
                text(locale, "mail-footer"),
            ]
            .join("\n")
        };
        let about = user.map(|user_id| {
            let (sealed_subject, sealed_body) = cut::sealed_texts(locale, "incident");
            About {
                user_id,
                object_type: "incident".to_owned(),
                object_id: r.id.to_string(),
                sealed_subject,
                sealed_body: footer(
                    sealed_body,
                    format!("{}{}", app.settings.public_url, cut::SEALED_LINK),
                ),
            }
        });
        let mail = Mail {
            to: address.clone(),
            subject,
            body: footer(body, link.clone()),
            about,
        };
        jobs::enqueue(
            conn,
            now,
            EMAIL,
            &mail,
            Some(format!("incident-notice:{}:{address}{round}", r.id)),
            now,
        )?;
    }
    Ok(())
}

/// One receiver of a notice as the incident's readers see it.
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct NoticeReceiverView {
    /// the organisation, by its name on the day the notice reached it
    pub org: OrgName,
    /// coordinator, department (in charge of the member), cluster_lead
    pub part: String,
    /// in the network's time zone; for a receiver not reached, when it was tried
    pub reached_at: String,
    /// `null` until someone acknowledged for it
    pub acknowledged_at: Option<String>,
    /// who acknowledged (their name)
    pub acknowledged_by: Option<String>,
    /// why the notice did not reach it: `nobody` (no account, no focal point to mail),
    /// `red_nobody_named` (TLP:RED and no focal point there with an account); `null` when reached
    pub not_reached: Option<String>,
}

/// Whom the notice reached and who acknowledged it.
#[derive(Debug, Clone, Default, serde::Serialize, utoipa::ToSchema)]
pub struct NoticeView {
    /// when the notice reached its receivers (the notice deadline is met then); `null` before
    /// submission, and when no receiver could be reached (the deadline then stays open)
    pub reached_at: Option<String>,
    /// the receivers it reached
    pub receivers: Vec<NoticeReceiverView>,
    /// the receivers it is for but could not reach, with why (`not_reached`)
    pub not_reached: Vec<NoticeReceiverView>,
    /// the reader may acknowledge it for their organisation now
    pub may_acknowledge: bool,
    /// the reader (its sender, or a coordinator it was sent to) may send it again to the
    /// receivers that have not acknowledged
    pub may_resend: bool,
}

fn may_acknowledge(actor: &Actor, rc: &ReceiverRow) -> bool {
    actor.principal.may_acknowledge_notice(
        &OrgId::from_trusted(rc.org_id.clone()),
        rc.cluster_id.clone().map(ClusterId::from_trusted).as_ref(),
    )
}

pub(crate) fn view(
    conn: &mut DbConn,
    app: &App,
    actor: &Actor,
    l: &Loaded,
) -> Result<NoticeView, AppError> {
    let rows = receivers::of_incident(conn, &l.row.id)?;
    let Some(first) = rows.first() else {
        return Ok(NoticeView::default());
    };
    // Named as of the day the notice was sent (the first round; a resend sends the same notice).
    let day = crate::directory::names::day_of(app, first.reached_at);
    let ids: Vec<String> = rows.iter().map(|rc| rc.org_id.clone()).collect();
    let mut names = names_on(conn, &ids, day, app.today())?;
    let mut out = NoticeView {
        reached_at: rows
            .iter()
            .filter(|rc| rc.not_reached.is_none())
            .map(|rc| rc.reached_at)
            .min()
            .map(|t| app.local(t)),
        may_acknowledge: rows
            .iter()
            .any(|rc| rc.acknowledged_at.is_none() && may_acknowledge(actor, rc)),
        may_resend: actor.principal.may_resend_notice(&l.facts)
            && rows.iter().any(|rc| rc.acknowledged_at.is_none()),
        ..NoticeView::default()
    };
    for rc in rows {
        let by = match &rc.acknowledged_by {
            Some(u) => users::get(conn, u)?.map(|u| u.display_name),
            None => None,
        };
        let v = NoticeReceiverView {
            org: names.remove(&rc.org_id).ok_or(AppError::NotFound)?,
            part: rc.part,
            reached_at: app.local(rc.reached_at),
            acknowledged_at: rc.acknowledged_at.map(|t| app.local(t)),
            acknowledged_by: by,
            not_reached: rc.not_reached,
        };
        if v.not_reached.is_some() {
            out.not_reached.push(v);
        } else {
            out.receivers.push(v);
        }
    }
    Ok(out)
}

/// Sends the notice again to every receiver that has not acknowledged it (its sender, or a
/// coordinator it was sent to): each is asked again whom it reaches — an account or focal point
/// added since is reached now — told in the app and mailed again. A receiver reached for the
/// first time is reached now; when that is the first any was reached, the notice counts as
/// given now. Audited; refused (409) when every receiver acknowledged.
pub async fn resend_notice(
    app: &App,
    actor: &Actor,
    id: &IncidentId,
) -> Result<IncidentView, AppError> {
    with_incident(app, actor, id, |conn, app, actor, l| {
        super::require(actor.principal.may_resend_notice(&l.facts))?;
        let pending: Vec<ReceiverRow> = receivers::of_incident(conn, &l.row.id)?
            .into_iter()
            .filter(|rc| rc.acknowledged_at.is_none())
            .collect();
        if pending.is_empty() {
            return Err(AppError::Conflict {
                code: "notice_all_acknowledged",
                field: None,
            });
        }
        let red = l.row.tlp == Tlp::Red;
        let mut found = Vec::with_capacity(pending.len());
        for rc in &pending {
            let part = match rc.part.as_str() {
                COORDINATOR => COORDINATOR,
                DEPARTMENT => DEPARTMENT,
                _ => CLUSTER_LEAD,
            };
            found.push(reach(
                conn,
                app,
                red,
                rc.org_id.clone(),
                part,
                rc.cluster_id.clone(),
            )?);
        }
        let now = to_db(app.now());
        share(conn, &l.row, &found, now)?;
        for (row, rc) in pending.iter().zip(&found) {
            if rc.not_reached.is_none() {
                receivers::reached(conn, &row.id, now)?;
            }
        }
        let listed = listed(&found);
        event(
            conn,
            app,
            actor,
            &l.row.id,
            "notice_resent",
            None,
            serde_json::json!({ "receivers": listed }),
        )?;
        audit::record(
            conn,
            app,
            actor,
            Change {
                action: "incident.notice_resent",
                object_type: "incident",
                object_id: Some(l.row.id.as_str()),
                object_org_id: Some(&l.row.owner_org_id),
                summary: serde_json::json!({ "receivers": listed }),
            },
        )?;
        let round = format!(":resent:{}", app.now().timestamp_millis());
        if tell(conn, app, &l.row, &found, &round)? && l.row.submitted_at.is_none() {
            l.row.submitted_at = Some(now);
            super::save(conn, app, &mut l.row)?;
        }
        Ok(())
    })
    .await
}

/// A receiver acknowledges the notice for its organisation: who and when are recorded, in the
/// timeline and the audit log. Acknowledging again changes nothing; anyone who may not
/// acknowledge for a receiver is refused.
pub async fn acknowledge_notice(
    app: &App,
    actor: &Actor,
    id: &IncidentId,
) -> Result<IncidentView, AppError> {
    with_incident(app, actor, id, |conn, app, actor, l| {
        let mine: Vec<ReceiverRow> = receivers::of_incident(conn, &l.row.id)?
            .into_iter()
            .filter(|rc| may_acknowledge(actor, rc))
            .collect();
        super::require(!mine.is_empty())?;
        let user = actor.user_id().ok_or(AppError::Forbidden)?.to_owned();
        let now = to_db(app.now());
        let done: BTreeSet<String> = mine
            .iter()
            .filter(|rc| rc.acknowledged_at.is_some())
            .map(|rc| rc.id.clone())
            .collect();
        for rc in mine.iter().filter(|rc| !done.contains(&rc.id)) {
            if receivers::acknowledge(conn, &rc.id, &user, now)? == 0 {
                continue;
            }
            event(
                conn,
                app,
                actor,
                &l.row.id,
                "notice_acknowledged",
                None,
                serde_json::json!({ "org_id": rc.org_id, "part": rc.part }),
            )?;
            audit::record(
                conn,
                app,
                actor,
                Change {
                    action: "incident.notice_acknowledged",
                    object_type: "incident",
                    object_id: Some(l.row.id.as_str()),
                    object_org_id: Some(&l.row.owner_org_id),
                    summary: serde_json::json!({ "org_id": rc.org_id, "part": rc.part }),
                },
            )?;
        }
        Ok(())
    })
    .await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn departments_in_charge_default_by_kind_and_refuse_unknown_kinds_and_rules() {
        let d = DepartmentInCharge::default();
        assert_eq!(
            d.for_kind(OrgKind::ProvincialDepartment),
            FindDepartment::None
        );
        assert_eq!(d.for_kind(OrgKind::MinistryUnit), FindDepartment::Parent);
        assert_eq!(d.for_kind(OrgKind::Other), FindDepartment::Province);
        let set: DepartmentInCharge =
            serde_json::from_str(r#"{"enterprise": "province"}"#).unwrap_or_default();
        assert_eq!(set.for_kind(OrgKind::Enterprise), FindDepartment::Province);
        assert_eq!(set.for_kind(OrgKind::MinistryUnit), FindDepartment::Parent);
        assert!(serde_json::from_str::<DepartmentInCharge>(r#"{"ministry": "parent"}"#).is_err());
        assert!(serde_json::from_str::<DepartmentInCharge>(r#"{"other": "sibling"}"#).is_err());
    }
}
