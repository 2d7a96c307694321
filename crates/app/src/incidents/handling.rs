//! Working an incident: the handling steps as tasks, observables, the discussion, evidence and
//! the timeline. The owner and accepted supporters (and the coordinator once reported) work in it.

use chrono::NaiveDate;
use irnet_domain::ids::IncidentId;
use irnet_domain::incident::ObservableKind;
use irnet_store::DbConn;
use irnet_store::incidents::parts::{self as store_parts, ObservableRow, TaskRow};
use irnet_store::time::to_db;

use super::{IncidentView, clean, event, load, require, with_incident};
pub use crate::attachments::AttachmentView;
use crate::attachments::{self, Upload};
use crate::audit::{self, Change};
use crate::{Actor, App, AppError};

/// The 11 steps of the normal response process (Decision 05/2017), in Vietnamese as filed; the
/// pages show them by step number in the reader's language.
pub const STEPS: [&str; 11] = [
    "Tiếp nhận, xác minh sự cố",
    "Triển khai các bước ưu tiên ban đầu",
    "Lựa chọn phương án ứng cứu",
    "Chỉ đạo xử lý sự cố (nếu cần)",
    "Báo cáo",
    "Phối hợp ứng cứu",
    "Ngăn chặn sự cố và xác định nguồn gốc",
    "Loại bỏ nguyên nhân",
    "Khôi phục hệ thống",
    "Kiểm tra lại",
    "Tổng kết, rút kinh nghiệm",
];

/// The 7 steps of the emergency process that a confirmed serious incident follows (Decision
/// 05/2017). They are numbered after the normal steps (12–18) so that one `step` column tells
/// every checklist item apart and the pages can label each in the reader's language.
pub const SERIOUS_STEPS: [&str; 7] = [
    "Phát hiện hoặc tiếp nhận thông báo sự cố",
    "Xác minh, phân tích, đánh giá và phân loại sự cố",
    "Báo cáo Ban Chỉ đạo và cơ quan có thẩm quyền",
    "Triển khai ứng cứu ban đầu",
    "Chỉ đạo, điều phối ứng cứu",
    "Xử lý sự cố, gỡ bỏ và khôi phục",
    "Tổng kết, đánh giá",
];

/// The step number of the emergency process's first step.
pub const FIRST_SERIOUS_STEP: i32 = STEPS.len() as i32 + 1;

/// The handling steps (as filed, in Vietnamese) of the rule set in force on the incident's
/// detection day: the normal process, then the emergency one. The constants above are today's
/// defaults (`irnet_domain::rules::RuleSet::default`).
fn steps_of(
    conn: &mut DbConn,
    app: &App,
    incident_id: &IncidentId,
) -> Result<(Vec<String>, Vec<String>), AppError> {
    let day = irnet_store::incidents::get(conn, incident_id)?.map_or_else(
        || app.today(),
        |r| crate::rules::local_day(app, r.detected_at),
    );
    let rules = crate::rules::on(conn, app, day)?;
    let vi = |s: &[irnet_domain::rules::Step]| s.iter().map(|s| s.vi.clone()).collect();
    Ok((
        vi(&rules.set.handling_steps.normal),
        vi(&rules.set.handling_steps.serious),
    ))
}

/// Adds the normal handling checklist to a newly submitted incident.
pub(crate) fn add_checklist(
    conn: &mut DbConn,
    app: &App,
    actor: &Actor,
    incident_id: &IncidentId,
    org_id: &str,
) -> Result<(), AppError> {
    let (normal, _) = steps_of(conn, app, incident_id)?;
    add_steps(conn, app, actor, incident_id, org_id, &normal, 1)
}

/// Adds the emergency process's steps once the coordinator confirms the incident is serious;
/// a second confirmation adds nothing. They are numbered after the normal steps.
pub(crate) fn add_serious_checklist(
    conn: &mut DbConn,
    app: &App,
    actor: &Actor,
    incident_id: &IncidentId,
    org_id: &str,
) -> Result<(), AppError> {
    let (normal, serious) = steps_of(conn, app, incident_id)?;
    let first = i32::try_from(normal.len()).unwrap_or(i32::MAX - 100) + 1;
    let has = store_parts::tasks(conn, incident_id)?
        .iter()
        .any(|t| t.step.is_some_and(|s| s >= first));
    if has {
        return Ok(());
    }
    add_steps(conn, app, actor, incident_id, org_id, &serious, first)
}

fn add_steps(
    conn: &mut DbConn,
    app: &App,
    actor: &Actor,
    incident_id: &IncidentId,
    org_id: &str,
    titles: &[String],
    first: i32,
) -> Result<(), AppError> {
    let now = to_db(app.now());
    let rows: Vec<TaskRow> = titles
        .iter()
        .zip(first..)
        .map(|(title, step)| TaskRow {
            id: uuid::Uuid::now_v7().to_string(),
            incident_id: incident_id.clone(),
            step: Some(step),
            title: title.clone(),
            assignee_id: None,
            due_on: None,
            done_at: None,
            org_id: org_id.to_owned(),
            created_by: actor.principal.user_id.as_str().to_owned(),
            created_at: now,
        })
        .collect();
    store_parts::add_tasks(conn, &rows)?;
    Ok(())
}

#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct TaskView {
    pub id: String,
    /// 1–11 for the normal handling steps, 12–18 for the emergency process of a serious
    /// incident, null for added tasks
    pub step: Option<i32>,
    pub title: String,
    pub assignee_id: Option<String>,
    pub due_on: Option<NaiveDate>,
    pub done: bool,
    pub org_id: String,
}

fn task_view(t: TaskRow) -> TaskView {
    TaskView {
        done: t.done_at.is_some(),
        id: t.id,
        step: t.step,
        title: t.title,
        assignee_id: t.assignee_id,
        due_on: t.due_on,
        org_id: t.org_id,
    }
}

#[derive(Debug, Clone, Default, serde::Deserialize, utoipa::ToSchema)]
pub struct TaskInput {
    pub title: Option<String>,
    pub assignee_id: Option<String>,
    pub due_on: Option<NaiveDate>,
    #[serde(default)]
    pub done: bool,
}

/// The assignee must be someone who may work in the incident: a person of an audience
/// organisation.
fn check_assignee(
    conn: &mut DbConn,
    l: &super::Loaded,
    user: Option<&str>,
) -> Result<(), AppError> {
    let Some(u) = user else { return Ok(()) };
    let row = irnet_store::identity::users::get(conn, u)?
        .ok_or_else(|| AppError::invalid("assignee_id", "unknown_user"))?;
    if row.org_id != l.row.owner_org_id && !l.shared_orgs.contains(&row.org_id) {
        return Err(AppError::invalid("assignee_id", "not_in_audience"));
    }
    Ok(())
}

pub async fn add_task(
    app: &App,
    actor: &Actor,
    id: &IncidentId,
    t: TaskInput,
) -> Result<IncidentView, AppError> {
    let Some(title) = clean(t.title.as_deref()).filter(|s| s.chars().count() <= 300) else {
        return Err(AppError::invalid("title", "invalid_length"));
    };
    with_incident(app, actor, id, move |conn, app, actor, l| {
        require(l.abilities(actor).work)?;
        check_assignee(conn, l, t.assignee_id.as_deref())?;
        let now = to_db(app.now());
        let row = TaskRow {
            id: uuid::Uuid::now_v7().to_string(),
            incident_id: l.row.id.clone(),
            step: None,
            title: title.clone(),
            assignee_id: t.assignee_id.clone(),
            due_on: t.due_on,
            done_at: t.done.then_some(now),
            org_id: actor.principal.org_id.as_str().to_owned(),
            created_by: actor.principal.user_id.as_str().to_owned(),
            created_at: now,
        };
        store_parts::add_tasks(conn, std::slice::from_ref(&row))?;
        event(
            conn,
            app,
            actor,
            &l.row.id,
            "task_added",
            Some(title),
            serde_json::json!({ "task_id": row.id }),
        )?;
        audit::record(
            conn,
            app,
            actor,
            Change {
                action: "incident.task_added",
                object_type: "incident",
                object_id: Some(l.row.id.as_str()),
                object_org_id: Some(&l.row.owner_org_id),
                summary: serde_json::json!({ "task_id": row.id }),
            },
        )
    })
    .await
}

/// Assigns, dates or ticks off a task.
pub async fn update_task(
    app: &App,
    actor: &Actor,
    id: &IncidentId,
    task_id: &str,
    t: TaskInput,
) -> Result<IncidentView, AppError> {
    let task_id = task_id.to_owned();
    with_incident(app, actor, id, move |conn, app, actor, l| {
        require(l.abilities(actor).work)?;
        let task = store_parts::task(conn, &l.row.id, &task_id)?.ok_or(AppError::NotFound)?;
        check_assignee(conn, l, t.assignee_id.as_deref())?;
        let done_at = match (t.done, task.done_at) {
            (true, Some(at)) => Some(at),
            (true, None) => Some(to_db(app.now())),
            (false, _) => None,
        };
        store_parts::update_task(conn, &task.id, t.assignee_id.clone(), t.due_on, done_at)?;
        event(
            conn,
            app,
            actor,
            &l.row.id,
            "task_updated",
            Some(task.title),
            serde_json::json!({
                "task_id": task.id, "done": t.done, "assignee_id": t.assignee_id,
            }),
        )?;
        audit::record(
            conn,
            app,
            actor,
            Change {
                action: "incident.task_updated",
                object_type: "incident",
                object_id: Some(l.row.id.as_str()),
                object_org_id: Some(&l.row.owner_org_id),
                summary: serde_json::json!({ "task_id": task.id, "done": t.done }),
            },
        )
    })
    .await
}

pub async fn tasks(app: &App, actor: &Actor, id: &IncidentId) -> Result<Vec<TaskView>, AppError> {
    let (actor2, id) = (actor.clone(), id.clone());
    app.store
        .read(move |conn| {
            let l = load(conn, &actor2, &id)?;
            Ok(store_parts::tasks(conn, &l.row.id)?
                .into_iter()
                .map(task_view)
                .collect())
        })
        .await
}

#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct ObservableView {
    pub id: String,
    /// ip, cidr, domain, url, md5, sha1, sha256, email
    pub kind: String,
    /// canonical form
    pub value: String,
    pub is_indicator: bool,
    pub note: Option<String>,
    pub org_id: String,
}

#[derive(Debug, Clone, Default, serde::Deserialize, utoipa::ToSchema)]
pub struct ObservableInput {
    pub kind: String,
    pub value: String,
    #[serde(default)]
    pub is_indicator: bool,
    pub note: Option<String>,
}

pub async fn add_observable(
    app: &App,
    actor: &Actor,
    id: &IncidentId,
    o: ObservableInput,
) -> Result<IncidentView, AppError> {
    let kind = ObservableKind::parse(&o.kind).map_err(|e| AppError::field("kind", &e))?;
    let value = kind
        .canonical(&o.value)
        .map_err(|e| AppError::field("value", &e))?;
    with_incident(app, actor, id, move |conn, app, actor, l| {
        require(l.abilities(actor).work)?;
        let row = ObservableRow {
            id: uuid::Uuid::now_v7().to_string(),
            incident_id: l.row.id.clone(),
            kind: kind.as_str().to_owned(),
            value: value.clone(),
            is_indicator: o.is_indicator,
            note: clean(o.note.as_deref()),
            org_id: actor.principal.org_id.as_str().to_owned(),
            created_by: actor.principal.user_id.as_str().to_owned(),
            created_at: to_db(app.now()),
        };
        if !store_parts::add_observable(conn, &row)? {
            return Err(AppError::Conflict {
                code: "observable_exists",
                field: Some("value"),
            });
        }
        event(
            conn,
            app,
            actor,
            &l.row.id,
            "observable_added",
            None,
            serde_json::json!({
                "kind": row.kind, "value": row.value, "is_indicator": row.is_indicator,
            }),
        )?;
        audit::record(
            conn,
            app,
            actor,
            Change {
                action: "incident.observable_added",
                object_type: "incident",
                object_id: Some(l.row.id.as_str()),
                object_org_id: Some(&l.row.owner_org_id),
                summary: serde_json::json!({ "kind": row.kind, "value": row.value }),
            },
        )
    })
    .await
}

pub async fn observables(
    app: &App,
    actor: &Actor,
    id: &IncidentId,
) -> Result<Vec<ObservableView>, AppError> {
    let (actor2, id) = (actor.clone(), id.clone());
    app.store
        .read(move |conn| {
            let l = load(conn, &actor2, &id)?;
            Ok(store_parts::observables(conn, &l.row.id)?
                .into_iter()
                .map(|o| ObservableView {
                    id: o.id,
                    kind: o.kind,
                    value: o.value,
                    is_indicator: o.is_indicator,
                    note: o.note,
                    org_id: o.org_id,
                })
                .collect())
        })
        .await
}

/// A comment in the incident's discussion. `@name@example.vn` mentions a person of the audience.
pub async fn comment(
    app: &App,
    actor: &Actor,
    id: &IncidentId,
    text: &str,
) -> Result<IncidentView, AppError> {
    let Some(text) = clean(Some(text)).filter(|t| t.chars().count() <= 10_000) else {
        return Err(AppError::invalid("text", "invalid_length"));
    };
    with_incident(app, actor, id, move |conn, app, actor, l| {
        require(l.abilities(actor).work)?;
        let mentions = mentioned(conn, app, l, &text)?;
        event(
            conn,
            app,
            actor,
            &l.row.id,
            "comment",
            Some(text),
            serde_json::json!({ "mentions": mentions }),
        )?;
        audit::record(
            conn,
            app,
            actor,
            Change {
                action: "incident.commented",
                object_type: "incident",
                object_id: Some(l.row.id.as_str()),
                object_org_id: Some(&l.row.owner_org_id),
                summary: serde_json::json!({ "mentions": mentions.len() }),
            },
        )?;
        super::tell::tell(
            conn,
            app,
            &l.row,
            "incident.mentioned",
            "incident-mentioned",
            &[],
            mentions,
        )?;
        Ok(())
    })
    .await
}

/// The people named in `@email` form who may read the incident (the policy, as each of them is
/// today: at TLP:RED only its named people); others are not told at all — a mention never shares,
/// and telling someone of an incident they cannot open would only name it to them.
fn mentioned(
    conn: &mut DbConn,
    app: &App,
    l: &super::Loaded,
    text: &str,
) -> Result<Vec<String>, AppError> {
    let mut out = Vec::new();
    for addr in irnet_domain::text::mentions(text) {
        let Some(u) = irnet_store::identity::users::by_email(conn, &addr)? else {
            continue;
        };
        if out.contains(&u.id) {
            continue;
        }
        let reader =
            crate::identity::principal::load(conn, app, &u.id, irnet_domain::TokenScope::Read)?;
        if let Some(reader) = reader
            && crate::notify::cut::may_read(
                conn,
                app,
                &reader.principal,
                "incident",
                l.row.id.as_str(),
            )?
        {
            out.push(u.id);
        }
    }
    Ok(out)
}

#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct EventView {
    pub at: String,
    pub kind: String,
    pub actor_id: Option<String>,
    pub actor_org_id: Option<String>,
    pub body: Option<String>,
    pub data: serde_json::Value,
}

/// Everything that happened, oldest first.
pub async fn timeline(
    app: &App,
    actor: &Actor,
    id: &IncidentId,
) -> Result<Vec<EventView>, AppError> {
    let (app2, actor2, id) = (app.clone(), actor.clone(), id.clone());
    app.store
        .read(move |conn| {
            let l = load(conn, &actor2, &id)?;
            let mut handover = super::handover::event(conn, &app2, &l.row)?;
            let mut out = Vec::new();
            for e in store_parts::events(conn, &l.row.id)? {
                // The handover to a successor goes in its place among the events.
                if handover.as_ref().is_some_and(|(at, _)| e.at > *at)
                    && let Some((_, h)) = handover.take()
                {
                    out.push(h);
                }
                out.push(EventView {
                    at: app2.local(e.at),
                    kind: e.kind,
                    actor_id: e.actor_id,
                    actor_org_id: e.actor_org_id,
                    body: e.body,
                    data: serde_json::from_str(&e.data).unwrap_or(serde_json::Value::Null),
                });
            }
            out.extend(handover.map(|(_, h)| h));
            Ok(out)
        })
        .await
}

/// The kind of incident evidence in `attachments`.
pub(crate) const ATTACHMENT_KIND: &str = "incident";

pub async fn attach(
    app: &App,
    actor: &Actor,
    id: &IncidentId,
    filename: &str,
    bytes: Vec<u8>,
) -> Result<AttachmentView, AppError> {
    let upload = Upload {
        filename: filename.to_owned(),
        bytes,
    };
    let file = attachments::check(app, upload, "file")?;
    let (app2, actor2, id) = (app.clone(), actor.clone(), id.clone());
    app.store
        .write(move |conn| {
            let l = load(conn, &actor2, &id)?;
            if !actor2.principal.may_write() {
                return Err(AppError::ReadOnly);
            }
            require(l.abilities(&actor2).work)?;
            let row = attachments::store(
                conn,
                &app2,
                &actor2,
                ATTACHMENT_KIND,
                l.row.id.as_str(),
                file,
            )?;
            event(
                conn,
                &app2,
                &actor2,
                &l.row.id,
                "attachment_added",
                Some(row.filename.clone()),
                serde_json::json!({
                    "attachment_id": row.id, "sha256": row.sha256, "size": row.size,
                }),
            )?;
            attachments::audit_added(conn, &app2, &actor2, "incident", &l.row.owner_org_id, &row)?;
            Ok(attachments::view(&app2, row))
        })
        .await
}

pub async fn attachments(
    app: &App,
    actor: &Actor,
    id: &IncidentId,
) -> Result<Vec<AttachmentView>, AppError> {
    let (app2, actor2, id) = (app.clone(), actor.clone(), id.clone());
    app.store
        .read(move |conn| {
            let l = load(conn, &actor2, &id)?;
            Ok(
                attachments::of_records(conn, ATTACHMENT_KIND, &[l.row.id.to_string()])?
                    .into_iter()
                    .map(|a| attachments::view(&app2, a))
                    .collect(),
            )
        })
        .await
}

/// The bytes of an attachment, for the audience only.
pub async fn download(
    app: &App,
    actor: &Actor,
    id: &IncidentId,
    attachment_id: &str,
) -> Result<(AttachmentView, Vec<u8>), AppError> {
    let (app2, actor2, id, aid) = (
        app.clone(),
        actor.clone(),
        id.to_owned(),
        attachment_id.to_owned(),
    );
    let (file, record) = app
        .store
        .read(move |conn| {
            let l = load(conn, &actor2, &id)?;
            let file =
                attachments::download(conn, &app2, ATTACHMENT_KIND, l.row.id.as_str(), &aid)?;
            Ok::<_, AppError>((file, l.row.id))
        })
        .await?;
    attachments::audit_downloaded(app, actor, ATTACHMENT_KIND, record.as_str(), &file.0).await?;
    Ok(file)
}

#[cfg(test)]
mod step_tests {
    use super::*;

    #[test]
    fn the_default_rule_set_holds_todays_steps() {
        let set = irnet_domain::rules::RuleSet::default();
        let vi =
            |s: &[irnet_domain::rules::Step]| s.iter().map(|s| s.vi.clone()).collect::<Vec<_>>();
        assert_eq!(vi(&set.handling_steps.normal), STEPS);
        assert_eq!(vi(&set.handling_steps.serious), SERIOUS_STEPS);
    }
}
