//! Sending a draft: the audience becomes organisations as of the send day — the members of a
//! cluster that day under their names that day; an organisation merged away before it is replaced
//! by its successor — one `alert_recipients` row each, opened to them through `record_shares`,
//! then mailed to their focal points and told in the app.

use std::collections::{BTreeMap, BTreeSet};

use chrono::NaiveDate;
use irnet_domain::Tlp;
use irnet_domain::alert::Status;
use irnet_domain::ids::AlertId;
use irnet_store::DbConn;
use irnet_store::alerts::{self as store, RecipientRow};
use irnet_store::directory::{clusters, history, orgs};
use irnet_store::time::to_db;

use super::{AlertView, Audience, may_address, tell, with_alert};
use crate::audit::{self, Change};
use crate::{Actor, App, AppError};

/// Follows mergers (and renamings into another record) from `org_id` to the organisation that
/// exists on `day`; `None` when the line ends (dissolved). Bounded, since the history is data.
fn existing_successor(
    conn: &mut DbConn,
    org_id: &str,
    day: NaiveDate,
    existing: &BTreeSet<String>,
) -> Result<Option<String>, AppError> {
    let mut current = org_id.to_owned();
    for _ in 0..16 {
        if existing.contains(&current) {
            return Ok(Some(current));
        }
        let next = history::successions(conn, &current)?
            .into_iter()
            .filter(|s| s.predecessor_id == current && s.effective <= day)
            .filter_map(|s| s.successor_id)
            .next_back();
        match next {
            Some(n) if n != current => current = n,
            _ => return Ok(None),
        }
    }
    Ok(None)
}

/// The organisations `audience` reaches on `day`, without the sender.
pub(crate) fn resolve(
    conn: &mut DbConn,
    audience: &Audience,
    day: NaiveDate,
    sender: &str,
) -> Result<BTreeSet<String>, AppError> {
    let existing: BTreeSet<String> = history::orgs_existing_on(conn, day)?.into_iter().collect();
    let mut out = BTreeSet::new();
    if audience.network {
        out.extend(existing.iter().cloned());
    }
    for c in &audience.clusters {
        out.extend(
            clusters::memberships_on(conn, c, day)?
                .into_iter()
                .map(|m| m.org_id)
                .filter(|o| existing.contains(o)),
        );
    }
    if !audience.kinds.is_empty() {
        let ids: Vec<String> = existing.iter().cloned().collect();
        out.extend(
            orgs::get_many(conn, &ids)?
                .into_iter()
                .filter(|o| audience.kinds.contains(&o.kind))
                .map(|o| o.id),
        );
    }
    for o in &audience.orgs {
        if let Some(s) = existing_successor(conn, o, day, &existing)? {
            out.insert(s);
        }
    }
    out.remove(sender);
    Ok(out)
}

/// Sends a draft: recipients resolved as of today, mail with acknowledgement links to their focal
/// points, notifications to their people — all in one transaction with the audit entry.
pub async fn send(app: &App, actor: &Actor, id: &AlertId) -> Result<AlertView, AppError> {
    with_alert(app, actor, id, |conn, app, actor, l| {
        if l.row.status == Status::Sent {
            return Err(AppError::Conflict {
                code: "already_sent",
                field: None,
            });
        }
        if !l.abilities(actor).edit {
            return Err(AppError::Forbidden);
        }
        let audience: Audience =
            serde_json::from_str(&l.row.audience).map_err(AppError::internal)?;
        // Checked again: a lead's year may have ended since the draft was written.
        if !may_address(conn, app, actor, &audience)? {
            return Err(AppError::invalid("audience", "audience_not_allowed"));
        }
        let now = app.now();
        if l.row.action_deadline.is_some_and(|d| d <= to_db(now)) {
            return Err(AppError::invalid("action_deadline", "in_past"));
        }
        let day = app.today();
        let orgs = resolve(conn, &audience, day, &l.row.sender_org_id)?;
        if orgs.is_empty() {
            return Err(AppError::invalid("audience", "no_recipients_on_send_day"));
        }
        let ids: Vec<String> = orgs.iter().cloned().collect();
        // Each recipient's name on the send day is kept with it (the directory's one answer).
        let names = crate::directory::names::names_on(conn, &ids, day, day)?;
        l.row.status = Status::Sent;
        l.row.sent_at = Some(to_db(now));
        l.row.sent_by = Some(actor.principal.user_id.as_str().to_owned());
        l.row.updated_at = to_db(now);
        store::save(conn, &l.row)?;
        let red = l.row.tlp == Tlp::Red;
        let mut recipients = Vec::with_capacity(ids.len());
        for org in &ids {
            let (vi, en) = names
                .get(org)
                .map(|n| (n.name_vi.clone(), n.name_en.clone()))
                .unwrap_or_default();
            let r = RecipientRow {
                id: uuid::Uuid::now_v7().to_string(),
                alert_id: l.row.id.clone(),
                org_id: org.clone(),
                org_name_vi: vi,
                org_name_en: en,
                acknowledged_at: None,
                acknowledged_by_user: None,
                acknowledged_by_person: None,
                acknowledged_by_name: None,
                action_status: None,
                action_note: None,
                reported_at: None,
                reported_by_user: None,
                chase_step: 0,
                created_at: to_db(now),
            };
            store::insert_recipient(conn, &r)?;
            store::share_with(conn, &l.row.id, Some(org), None, to_db(now))?;
            recipients.push(r);
        }
        if red {
            // TLP:RED reaches named people only: the person sending it (its author was named
            // when drafting) and the recipients' focal points that have an account — not every
            // account of the sender's organisation, whose platform administrators included.
            let mut named: BTreeSet<String> =
                actor.user_id().map(str::to_owned).into_iter().collect();
            for r in &recipients {
                named.extend(tell::focal_accounts(conn, &r.org_id)?);
            }
            let (_, already) = store::audience(conn, &l.row.id)?;
            for u in named.iter().filter(|u| !already.contains(u)) {
                store::share_with(conn, &l.row.id, None, Some(u), to_db(now))?;
            }
        }
        let mut mailed: BTreeMap<String, usize> = BTreeMap::new();
        for r in &recipients {
            let n = tell::mail_focal_points(conn, app, &l.row, r, tell::MailKind::Alert)?;
            mailed.insert(r.org_id.clone(), n);
        }
        tell::notify_recipients(conn, app, &l.row, &recipients)?;
        audit::record(
            conn,
            app,
            actor,
            Change {
                action: "alert.sent",
                object_type: "alert",
                object_id: Some(l.row.id.as_str()),
                object_org_id: Some(&l.row.sender_org_id),
                summary: serde_json::json!({
                    "title": l.row.title,
                    "tlp": l.row.tlp.as_str(),
                    "day": day,
                    "recipients": ids,
                    "mails": mailed.values().sum::<usize>(),
                }),
            },
        )?;
        Ok(())
    })
    .await
}
