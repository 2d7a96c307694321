//! An organisation's webhooks: its org admins (and administrators) register URLs that receive
//! the organisation's notices as signed JSON posts. Deliveries run in the jobs worker, retried
//! with its backoff; every attempt is written to the delivery log.
//!
//! Each post carries `X-Irnet-Event` (the notice kind), `X-Irnet-Delivery` (the delivery id),
//! `X-Irnet-Timestamp` (Unix seconds) and `X-Irnet-Signature: sha256=<hex>`, the HMAC-SHA256 of
//! `timestamp + "." + body` with the webhook's secret, so a receiver can check both origin and
//! freshness.

use std::collections::BTreeSet;
use std::net::{IpAddr, SocketAddr};
use std::time::Duration as StdDuration;

use chrono::{DateTime, SecondsFormat, Utc};
use hmac::{Hmac, KeyInit, Mac};
use irnet_domain::ids::OrgId;
use irnet_domain::ip_scope::{self, IpScope};
use irnet_domain::webhook::{NoticeKind, WebhookUrl};
use irnet_domain::{Locale, Role};
use irnet_store::DbConn;
use irnet_store::directory::orgs;
use irnet_store::identity::grants;
use irnet_store::identity::users::UserRow;
use irnet_store::notify::webhooks::{
    self as store, Attempt, DELIVERED, DeliveryRow, FAILED, PENDING, WebhookRow,
};
use irnet_store::page::{Page, clamp_limit};
use irnet_store::time::{from_db, to_db};
use sha2::Sha256;

use super::{Notice, notify};
use crate::audit::{self, Change};
use crate::error::Problems;
use crate::jobs;
use crate::messages::text_args;
use crate::{Actor, App, AppError};

/// The jobs kind of one delivery attempt.
pub const JOB: &str = "webhook";

/// Registered in `crate::pillars`: one job per delivery, retried with the queue's backoff.
pub const JOBS: crate::jobs::Jobs = crate::jobs::Jobs {
    kinds: &[crate::jobs::Kind {
        name: JOB,
        run: |app, job| {
            Box::pin(async move {
                match deliver(app, &job.payload, job.attempts, job.max_attempts).await {
                    Ok(()) => crate::jobs::Outcome::Done,
                    Err(DeliveryError::Retry(e)) => crate::jobs::Outcome::Retry(e),
                    Err(DeliveryError::GiveUp(e)) => crate::jobs::Outcome::GiveUp(e),
                }
            })
        },
    }],
    periodic: &[],
};
/// Longest wait for a receiver's answer.
const TIMEOUT: StdDuration = StdDuration::from_secs(10);
const MAX_KINDS: usize = 50;

#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct WebhookView {
    pub id: String,
    pub org_id: String,
    pub url: String,
    /// notice kinds it receives; empty for all
    pub kinds: Vec<String>,
    pub active: bool,
    pub created_at: DateTime<Utc>,
}

/// A new webhook with its secret, shown this once.
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct CreatedWebhook {
    #[serde(flatten)]
    pub webhook: WebhookView,
    /// signs every delivery (HMAC-SHA256); it is not shown again
    pub secret: String,
}

#[derive(Debug, Clone, Default)]
pub struct NewWebhook {
    pub url: String,
    pub kinds: Vec<String>,
    pub active: Option<bool>,
}

#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct DeliveryView {
    pub id: String,
    /// the notice's id, the same for every webhook it went to (the body's `id`)
    pub event_id: String,
    /// the notice kind (`X-Irnet-Event`)
    pub event: String,
    /// pending, delivered or failed (given up)
    pub status: String,
    pub attempts: i32,
    /// the receiver's last HTTP status, if it answered
    pub last_status: Option<i32>,
    pub last_error: Option<String>,
    pub created_at: DateTime<Utc>,
    pub last_attempt_at: Option<DateTime<Utc>>,
    pub delivered_at: Option<DateTime<Utc>>,
}

fn view(r: &WebhookRow) -> WebhookView {
    WebhookView {
        id: r.id.clone(),
        org_id: r.org_id.clone(),
        url: r.url.clone(),
        kinds: serde_json::from_str(&r.kinds).unwrap_or_default(),
        active: r.active,
        created_at: from_db(r.created_at),
    }
}

fn delivery_view(r: DeliveryRow) -> DeliveryView {
    DeliveryView {
        id: r.id,
        event_id: r.event_id,
        event: r.kind,
        status: r.status,
        attempts: r.attempts,
        last_status: r.last_status,
        last_error: r.last_error,
        created_at: from_db(r.created_at),
        last_attempt_at: r.last_attempt_at.map(from_db),
        delivered_at: r.delivered_at.map(from_db),
    }
}

/// The organisation exists and its webhooks are the actor's to see; anyone else: not found.
fn managed(conn: &mut DbConn, actor: &Actor, org_id: &str) -> Result<(), AppError> {
    let org = OrgId::parse(org_id).map_err(|_| AppError::NotFound)?;
    orgs::get(conn, org.as_str())?.ok_or(AppError::NotFound)?;
    if actor.principal.may_manage_webhooks_of(&org) {
        Ok(())
    } else {
        Err(AppError::NotFound)
    }
}

fn writable(actor: &Actor) -> Result<(), AppError> {
    if actor.principal.may_write() {
        Ok(())
    } else {
        Err(AppError::ReadOnly)
    }
}

pub async fn list(app: &App, actor: &Actor, org_id: &str) -> Result<Vec<WebhookView>, AppError> {
    let (actor, org_id) = (actor.clone(), org_id.to_owned());
    app.store
        .read(move |conn| {
            managed(conn, &actor, &org_id)?;
            Ok(store::of_org(conn, &org_id)?.iter().map(view).collect())
        })
        .await
}

fn validate(app: &App, input: &NewWebhook) -> Result<(WebhookUrl, Vec<String>), AppError> {
    let mut problems = Problems::default();
    let url = problems.check(
        "url",
        WebhookUrl::parse(&input.url, app.settings.webhook_allow_private_targets),
    );
    let mut kinds = BTreeSet::new();
    for k in &input.kinds {
        if let Some(k) = problems.check("kinds", NoticeKind::parse(k)) {
            kinds.insert(k.as_str().to_owned());
        }
    }
    problems.into_result()?;
    if kinds.len() > MAX_KINDS {
        return Err(AppError::invalid("kinds", "too_many_kinds"));
    }
    let url = url.ok_or_else(|| AppError::invalid("url", "invalid_webhook_url"))?;
    Ok((url, kinds.into_iter().collect()))
}

/// Registers a webhook for the organisation; its org admins are told (in the app and by mail),
/// since a webhook sends the organisation's notices out of the platform.
pub async fn create(
    app: &App,
    actor: &Actor,
    org_id: &str,
    input: NewWebhook,
) -> Result<CreatedWebhook, AppError> {
    let (app2, actor, org_id) = (app.clone(), actor.clone(), org_id.to_owned());
    let now = app.now();
    app.store
        .write(move |conn| {
            managed(conn, &actor, &org_id)?;
            writable(&actor)?;
            let (url, kinds) = validate(&app2, &input)?;
            let secret = format!("whsec_{}", crate::identity::secrets::random_secret());
            let row = WebhookRow {
                id: uuid::Uuid::now_v7().to_string(),
                org_id: org_id.clone(),
                url: url.as_str().to_owned(),
                secret: secret.clone(),
                kinds: serde_json::to_string(&kinds).map_err(AppError::internal)?,
                active: input.active.unwrap_or(true),
                created_by: actor.user_id().map(str::to_owned),
                created_at: to_db(now),
            };
            // Told before it exists, so the new webhook does not receive its own announcement.
            let admins = grants::holders(conn, Role::OrgAdmin.as_str(), "org", &org_id)?;
            notify(
                conn,
                &app2,
                &Notice {
                    kind: "webhook.created".to_owned(),
                    object_type: "webhook".to_owned(),
                    object_id: row.id.clone(),
                    org_id: Some(org_id.clone()),
                    link: format!("/orgs/{org_id}"),
                    message: "webhook-created".to_owned(),
                    args: vec![
                        ("url".to_owned(), row.url.clone()),
                        ("by".to_owned(), actor.label.clone()),
                    ],
                    recipients: admins.into_iter().map(|u| u.id).collect(),
                    email: true,
                    restricted: false,
                },
            )?;
            store::insert(conn, &row)?;
            audit::record(
                conn,
                &app2,
                &actor,
                Change {
                    action: "webhook.create",
                    object_type: "webhook",
                    object_id: Some(&row.id),
                    object_org_id: Some(&org_id),
                    summary: serde_json::json!({
                        "url": row.url, "kinds": kinds, "active": row.active,
                    }),
                },
            )?;
            Ok(CreatedWebhook {
                webhook: view(&row),
                secret,
            })
        })
        .await
}

pub async fn delete(app: &App, actor: &Actor, id: &str) -> Result<(), AppError> {
    let (app2, actor, id) = (app.clone(), actor.clone(), id.to_owned());
    app.store
        .write(move |conn| {
            let hook = store::get(conn, &id)?.ok_or(AppError::NotFound)?;
            managed(conn, &actor, &hook.org_id)?;
            writable(&actor)?;
            store::delete(conn, &id)?;
            audit::record(
                conn,
                &app2,
                &actor,
                Change {
                    action: "webhook.delete",
                    object_type: "webhook",
                    object_id: Some(&id),
                    object_org_id: Some(&hook.org_id),
                    summary: serde_json::json!({ "url": hook.url }),
                },
            )
        })
        .await
}

/// A webhook's delivery log, newest first.
pub async fn deliveries(
    app: &App,
    actor: &Actor,
    id: &str,
    cursor: Option<String>,
    limit: Option<i64>,
) -> Result<Page<DeliveryView>, AppError> {
    let (actor, id, limit) = (actor.clone(), id.to_owned(), clamp_limit(limit));
    let page = app
        .store
        .read(move |conn| {
            let hook = store::get(conn, &id)?.ok_or(AppError::NotFound)?;
            managed(conn, &actor, &hook.org_id)?;
            Ok::<_, AppError>(store::deliveries(conn, &id, cursor.as_deref(), limit)?)
        })
        .await?;
    Ok(Page {
        items: page.items.into_iter().map(delivery_view).collect(),
        next_cursor: page.next_cursor,
    })
}

/// The body every webhook receives for a notice.
#[derive(Debug, serde::Serialize)]
struct Payload<'a> {
    id: &'a str,
    kind: &'a str,
    object_type: &'a str,
    object_id: &'a str,
    link: String,
    occurred_at: String,
    /// in Vietnamese, the language the network works in
    title: String,
}

#[derive(Debug, serde::Serialize, serde::Deserialize)]
struct JobPayload {
    delivery_id: String,
}

/// Enqueues a delivery of `notice` to each active webhook (that wants its kind) of the
/// recipients' organisations, each organisation once. Part of `notify`.
pub(super) fn enqueue(
    conn: &mut DbConn,
    app: &App,
    notice: &Notice,
    event_id: &str,
    recipients: &[UserRow],
) -> Result<(), AppError> {
    let orgs: BTreeSet<String> = recipients.iter().map(|u| u.org_id.clone()).collect();
    if orgs.is_empty() {
        return Ok(());
    }
    let now = app.now();
    let args: Vec<(&str, String)> = notice
        .args
        .iter()
        .map(|(k, v)| (k.as_str(), v.clone()))
        .collect();
    let body = serde_json::to_string(&Payload {
        id: event_id,
        kind: &notice.kind,
        object_type: &notice.object_type,
        object_id: &notice.object_id,
        link: format!("{}{}", app.settings.public_url, notice.link),
        occurred_at: now.to_rfc3339_opts(SecondsFormat::Micros, true),
        title: text_args(Locale::Vi, &format!("{}-subject", notice.message), &args),
    })
    .map_err(AppError::internal)?;
    let orgs: Vec<String> = orgs.into_iter().collect();
    for hook in store::active_of_orgs(conn, &orgs)? {
        let kinds: Vec<String> = serde_json::from_str(&hook.kinds).unwrap_or_default();
        if !kinds.is_empty() && !kinds.contains(&notice.kind) {
            continue;
        }
        let delivery = DeliveryRow {
            id: uuid::Uuid::now_v7().to_string(),
            webhook_id: hook.id.clone(),
            event_id: event_id.to_owned(),
            kind: notice.kind.clone(),
            payload: body.clone(),
            status: PENDING.to_owned(),
            attempts: 0,
            last_status: None,
            last_error: None,
            created_at: to_db(now),
            last_attempt_at: None,
            delivered_at: None,
        };
        store::insert_delivery(conn, &delivery)?;
        jobs::enqueue(
            conn,
            now,
            JOB,
            &JobPayload {
                delivery_id: delivery.id.clone(),
            },
            Some(format!("{JOB}:{}", delivery.id)),
            now,
        )?;
    }
    Ok(())
}

/// Why an attempt did not deliver.
#[derive(Debug, thiserror::Error)]
pub enum DeliveryError {
    /// the receiver failed or could not be reached: try again later
    #[error("{0}")]
    Retry(String),
    /// nothing to retry (the webhook is gone or inactive, the job is unreadable)
    #[error("{0}")]
    GiveUp(String),
}

/// `hex(HMAC-SHA256(secret, timestamp + "." + body))`, the `X-Irnet-Signature` value after
/// `sha256=`.
pub fn signature(secret: &str, timestamp: &str, body: &str) -> String {
    // HMAC takes a key of any length; the error case cannot happen.
    let Ok(mut mac) = Hmac::<Sha256>::new_from_slice(secret.as_bytes()) else {
        return String::new();
    };
    mac.update(timestamp.as_bytes());
    mac.update(b".");
    mac.update(body.as_bytes());
    hex::encode(mac.finalize().into_bytes())
}

/// One attempt of a delivery job (`attempt` counts from 1; after `max_attempts` the worker
/// gives up, and the log says so).
pub async fn deliver(
    app: &App,
    job_payload: &str,
    attempt: i32,
    max_attempts: i32,
) -> Result<(), DeliveryError> {
    let job: JobPayload = serde_json::from_str(job_payload)
        .map_err(|e| DeliveryError::GiveUp(format!("payload: {e}")))?;
    let id = job.delivery_id.clone();
    let found = app
        .store
        .read(move |conn| Ok::<_, AppError>(store::delivery_with_webhook(conn, &id)?))
        .await
        .map_err(|e| DeliveryError::Retry(e.to_string()))?;
    let Some((delivery, hook)) = found else {
        return Err(DeliveryError::GiveUp("the webhook was removed".to_owned()));
    };
    if !hook.active {
        return Err(DeliveryError::GiveUp("the webhook is inactive".to_owned()));
    }
    let timestamp = app.now().timestamp().to_string();
    let sig = signature(&hook.secret, &timestamp, &delivery.payload);
    let allow_internal = app.settings.webhook_allow_private_targets;
    let sent = match target(&hook.url, allow_internal).await {
        Ok(target) => post(&target, &delivery, &timestamp, &sig).await,
        Err(e) => Err(e),
    };
    let last = attempt >= max_attempts;
    let (http_status, error, status) = match &sent {
        Ok(code) if (200..300).contains(code) => (Some(i32::from(*code)), None, DELIVERED),
        Ok(code) => (
            Some(i32::from(*code)),
            Some(format!("HTTP {code}")),
            if last { FAILED } else { PENDING },
        ),
        // Nothing to retry, and nothing about the target in the log: not whether it answered,
        // how fast, or with what.
        Err(Unsent::Refused) => (None, Some(REFUSED.to_owned()), FAILED),
        Err(Unsent::Failed(e)) => (None, Some(e.clone()), if last { FAILED } else { PENDING }),
    };
    let at = to_db(app.now());
    let (id, err) = (delivery.id.clone(), error.clone());
    app.store
        .write(move |conn| {
            Ok::<_, AppError>(store::record_attempt(
                conn,
                &id,
                &Attempt {
                    at,
                    http_status,
                    error: err.as_deref(),
                    status,
                },
            )?)
        })
        .await
        .map_err(|e| DeliveryError::Retry(e.to_string()))?;
    match (sent, error) {
        (Err(Unsent::Refused), _) => Err(DeliveryError::GiveUp(REFUSED.to_owned())),
        (_, None) => Ok(()),
        (_, Some(e)) => Err(DeliveryError::Retry(e)),
    }
}

/// What the delivery log says of a target that is not a public address, whatever it is.
pub const REFUSED: &str = "refused: not a public address";

const UNRESOLVED: &str = "the host name could not be resolved";

/// Why nothing was posted.
#[derive(Debug)]
enum Unsent {
    /// the target is, or resolves to, an address that is not public
    Refused,
    /// the receiver failed or could not be reached
    Failed(String),
}

/// Where a delivery goes: the URL, and for a name, the addresses it resolved to, every one checked.
struct Target {
    url: reqwest::Url,
    /// the host name and its checked addresses; `None` for an address literal
    pinned: Option<(String, Vec<SocketAddr>)>,
}

fn allowed(ip: IpAddr, allow_internal: bool) -> bool {
    match ip_scope::scope(ip) {
        IpScope::Public => true,
        IpScope::Internal => allow_internal,
        IpScope::Nowhere => false,
    }
}

/// Resolves the webhook's host now, at delivery (a name's addresses may have changed since it was
/// registered, or have pointed inside from the start), and refuses it unless every address is
/// public (or the operator allows internal targets). The post then connects to these addresses
/// only: no second resolution between the check and the connection.
async fn target(url: &str, allow_internal: bool) -> Result<Target, Unsent> {
    let url = reqwest::Url::parse(url).map_err(|_| Unsent::Refused)?;
    let port = url.port_or_known_default().ok_or(Unsent::Refused)?;
    let host = url.host_str().ok_or(Unsent::Refused)?;
    let (addrs, name) = match host.trim_start_matches('[').trim_end_matches(']').parse() {
        Ok(ip) => (vec![SocketAddr::new(ip, port)], None),
        Err(_) => {
            let found: Vec<SocketAddr> = tokio::net::lookup_host((host, port))
                .await
                // The resolver's own words could describe the server's network: a fixed text.
                .map_err(|_| Unsent::Failed(UNRESOLVED.to_owned()))?
                .collect();
            (found, Some(host.to_owned()))
        }
    };
    if addrs.is_empty() {
        return Err(Unsent::Failed(UNRESOLVED.to_owned()));
    }
    if !addrs.iter().all(|a| allowed(a.ip(), allow_internal)) {
        return Err(Unsent::Refused);
    }
    Ok(Target {
        pinned: name.map(|n| (n, addrs)),
        url,
    })
}

/// Posts the delivery; the receiver's status code, or why none came.
async fn post(t: &Target, d: &DeliveryRow, timestamp: &str, sig: &str) -> Result<u16, Unsent> {
    // No redirects: a webhook's target was checked, whatever it redirects to was not. No proxy
    // from the environment either: the checked address is the one connected to.
    let mut builder = reqwest::Client::builder()
        .timeout(TIMEOUT)
        .redirect(reqwest::redirect::Policy::none())
        .no_proxy()
        .user_agent(concat!("irnet-webhooks/", env!("CARGO_PKG_VERSION")));
    if let Some((name, addrs)) = &t.pinned {
        builder = builder.resolve_to_addrs(name, addrs);
    }
    let client = builder.build().map_err(|e| Unsent::Failed(e.to_string()))?;
    let res = client
        .post(t.url.clone())
        .header("content-type", "application/json")
        .header("x-irnet-event", &d.kind)
        .header("x-irnet-delivery", &d.id)
        .header("x-irnet-timestamp", timestamp)
        .header("x-irnet-signature", format!("sha256={sig}"))
        .body(d.payload.clone())
        .send()
        .await
        .map_err(|e| Unsent::Failed(describe(&e.without_url())))?;
    Ok(res.status().as_u16())
}

/// reqwest's message for a failed request with its causes ("connection refused").
fn describe(e: &reqwest::Error) -> String {
    let mut msg = e.to_string();
    let mut source = std::error::Error::source(e);
    while let Some(s) = source {
        msg.push_str(": ");
        msg.push_str(&s.to_string());
        source = s.source();
    }
    msg
}

#[cfg(test)]
mod tests {
    use super::signature;

    #[test]
    fn signature_is_hmac_sha256_of_timestamp_dot_body() {
        // Python: hmac.new(b"whsec_test", b'1700000000.{"a":1}', hashlib.sha256).hexdigest()
        assert_eq!(
            signature("whsec_test", "1700000000", r#"{"a":1}"#),
            "38877139021993b830af32feea6e18a8da83eb2f6e49ee50bd9e4cf4ca4d3789"
        );
    }
}
