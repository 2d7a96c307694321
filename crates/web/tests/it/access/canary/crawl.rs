//! The canary's crawl: as each principal, in parallel, everything irnet lets out — every GET
//! route of the OpenAPI document with the seeded ids, the pages reachable from the start page,
//! the seeded records' pages and the admin pages, TAXII, the live streams opened before the
//! records were made, the mail the sink received and the audit log.

use std::collections::{BTreeSet, HashMap, VecDeque};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use base64::Engine as _;
use futures_util::future::join_all;
use irnet_testkit::TestApp;
use irnet_testkit::smtp::SmtpSink;
use reqwest::StatusCode;
use serde_json::Value;

use super::oracle::{Markers, Who};
use super::seed::World;
use super::{Shared, check, note};

/// The longest wait for one answer or for a stream to catch up.
const WAIT: Duration = Duration::from_secs(10);
/// Pages followed per principal, beyond the seeds.
const MAX_PAGES: usize = 250;

/// One open live stream, read into a buffer by its own task.
pub(super) struct Tap {
    who: Who,
    label: String,
    /// the list whose every item the stream must have carried before it is read
    list: String,
    buf: Arc<Mutex<String>>,
    task: tokio::task::JoinHandle<()>,
}

/// Opens, before anything is made, each principal's notification stream and the stream of each
/// channel it may open.
pub(super) async fn open_streams(app: &TestApp, w: &World) -> Vec<Tap> {
    let mut taps = Vec::new();
    for p in &w.people {
        let mut wanted = vec![(
            "stream notifications".to_owned(),
            "/api/v1/notifications/stream".to_owned(),
            "/api/v1/notifications?limit=100".to_owned(),
        )];
        for ch in &w.ids.channels {
            wanted.push((
                format!("stream channel {ch}"),
                format!("/api/v1/channels/{ch}/stream"),
                format!("/api/v1/channels/{ch}/messages?limit=100"),
            ));
        }
        for (label, path, list) in wanted {
            let res = app.bearer(&p.token).open(&path).await;
            if res.status() != StatusCode::OK {
                continue;
            }
            let buf = Arc::new(Mutex::new(String::new()));
            let into = buf.clone();
            let task = tokio::spawn(async move {
                let mut res = res;
                while let Ok(Some(chunk)) = res.chunk().await {
                    into.lock()
                        .unwrap()
                        .push_str(&String::from_utf8_lossy(&chunk));
                }
            });
            taps.push(Tap {
                who: p.who,
                label,
                list,
                buf,
                task,
            });
        }
    }
    taps
}

/// Waits until each stream carried every item its reader's list now holds (bounded), then
/// checks what it carried.
pub(super) async fn drain_streams(
    app: &TestApp,
    w: &World,
    taps: Vec<Tap>,
    markers: &Markers,
    f: &Shared,
) {
    for tap in taps {
        let token = &w.person(tap.who).token;
        let (_, list) = app.bearer(token).get(&tap.list).await.parts();
        let ids: Vec<String> = items(&list)
            .iter()
            .filter_map(|i| i["id"].as_str().map(str::to_owned))
            .collect();
        let deadline = tokio::time::Instant::now() + WAIT;
        loop {
            let caught_up = {
                let buf = tap.buf.lock().unwrap();
                ids.iter().all(|id| buf.contains(id.as_str()))
            };
            if caught_up {
                break;
            }
            if tokio::time::Instant::now() > deadline {
                note(
                    f,
                    format!(
                        "{}: {} did not carry every item of its list within {WAIT:?}",
                        tap.who.name(),
                        tap.label
                    ),
                );
                break;
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        tap.task.abort();
        let text = tap.buf.lock().unwrap().clone();
        check(f, markers, tap.who, &tap.label, &text);
    }
}

fn items(v: &Value) -> Vec<Value> {
    v["items"]
        .as_array()
        .or(v.as_array())
        .cloned()
        .unwrap_or_default()
}

/// What one GET answered, as text (the entries of a DOCX or XLSX unzipped).
struct Answer {
    status: StatusCode,
    content_type: String,
    text: String,
}

async fn fetch(client: &reqwest::Client, url: &str, auth: &Auth<'_>) -> Option<Answer> {
    let req = client.get(url).timeout(WAIT);
    let req = match auth {
        Auth::Bearer(t) => req.bearer_auth(t),
        Auth::Basic(t) => req
            .header(
                "authorization",
                format!(
                    "Basic {}",
                    base64::engine::general_purpose::STANDARD.encode(format!("canary:{t}"))
                ),
            )
            .header("accept", "application/taxii+json;version=2.1"),
        Auth::None => req,
    };
    let res = req.send().await.ok()?;
    let status = res.status();
    let content_type = res
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    let bytes = res.bytes().await.ok()?;
    Some(Answer {
        status,
        content_type,
        text: readable(&bytes),
    })
}

enum Auth<'a> {
    Bearer(&'a str),
    Basic(&'a str),
    None,
}

/// The text a person could read in an answer: a zip (DOCX, XLSX) is every entry's text.
fn readable(bytes: &[u8]) -> String {
    use std::io::Read as _;
    if bytes.starts_with(b"PK")
        && let Ok(mut zip) = zip::ZipArchive::new(std::io::Cursor::new(bytes))
    {
        let mut out = String::new();
        for i in 0..zip.len() {
            if let Ok(mut entry) = zip.by_index(i) {
                let mut raw = Vec::new();
                let _ = entry.read_to_end(&mut raw);
                out.push_str(&String::from_utf8_lossy(&raw));
                out.push('\n');
            }
        }
        return out;
    }
    String::from_utf8_lossy(bytes).into_owned()
}

/// RFC 2047 encoded words (`=?utf-8?b?…?=`, `=?utf-8?q?…?=`) decoded, adjacent ones joined, so
/// that a subject reads as its reader sees it.
fn decode_words(raw: &str) -> String {
    let joined = raw.replace("?=\r\n =?", "?==?").replace("?= =?", "?==?");
    let mut out = String::new();
    let mut rest = joined.as_str();
    while let Some(at) = rest.find("=?") {
        out.push_str(&rest[..at]);
        let word = &rest[at + 2..];
        let parts: Vec<&str> = word.splitn(3, '?').collect();
        let end = parts.get(2).and_then(|p| p.find("?="));
        match (parts.as_slice(), end) {
            ([_, enc, text], Some(end)) => {
                let data = &text[..end];
                let bytes = if enc.eq_ignore_ascii_case("b") {
                    base64::engine::general_purpose::STANDARD
                        .decode(data)
                        .unwrap_or_default()
                } else {
                    q_decode(data)
                };
                out.push_str(&String::from_utf8_lossy(&bytes));
                let consumed = parts[0].len() + 1 + enc.len() + 1 + end + 2;
                rest = &word[consumed..];
            }
            _ => {
                out.push_str("=?");
                rest = word;
            }
        }
    }
    out.push_str(rest);
    out
}

fn q_decode(s: &str) -> Vec<u8> {
    let b = s.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'_' => out.push(b' '),
            b'=' if i + 2 < b.len() => {
                if let Some(v) = std::str::from_utf8(&b[i + 1..i + 3])
                    .ok()
                    .and_then(|h| u8::from_str_radix(h, 16).ok())
                {
                    out.push(v);
                    i += 2;
                }
            }
            c => out.push(c),
        }
        i += 1;
    }
    out
}

/// The concrete paths for an OpenAPI path template, from the seeded ids; `None` when a
/// parameter is not known to the canary.
fn expand(template: &str, w: &World, extra: &Extra) -> Option<Vec<String>> {
    let params: Vec<&str> = template
        .split('{')
        .skip(1)
        .filter_map(|p| p.split('}').next())
        .collect();
    if params.is_empty() {
        return Some(vec![template.to_owned()]);
    }
    let resource = template
        .trim_start_matches("/api/v1/")
        .split('/')
        .next()
        .unwrap_or_default();
    let ids = &w.ids;
    let one = |list: &[String]| -> Vec<String> {
        list.iter().map(|id| template.replace("{id}", id)).collect()
    };
    let two = |list: &[(String, String)], child: &str| -> Vec<String> {
        list.iter()
            .map(|(a, b)| {
                template
                    .replace("{id}", a)
                    .replace(&format!("{{{child}}}"), b)
            })
            .collect()
    };
    let orgs = [
        w.orgs.a.clone(),
        w.orgs.b.clone(),
        w.orgs.c.clone(),
        w.orgs.d.clone(),
        w.orgs.coordinator.clone(),
        w.orgs.lead.clone(),
    ];
    let out = match (resource, params.as_slice()) {
        ("incidents", ["id"]) => one(&ids.incidents),
        ("incidents", ["id", "attachment_id"]) => two(&ids.incident_files, "attachment_id"),
        ("incidents", ["id", "report_id"]) => two(&ids.incident_reports, "report_id"),
        // The documents filing froze, each under its incident's rule.
        ("incidents", ["id", "filed_id"]) => two(&ids.incident_filed, "filed_id"),
        ("incidents", ["id", "kind"]) => ids
            .incidents
            .iter()
            .flat_map(|i| {
                ["initial", "closing"].map(|k| template.replace("{id}", i).replace("{kind}", k))
            })
            .collect(),
        ("alerts", ["id"]) => one(&ids.alerts),
        ("alerts", ["id", "attachment_id"]) => two(&ids.alert_files, "attachment_id"),
        ("indicators", ["id"]) => one(&ids.indicators),
        ("organisations", ["id"]) => one(&orgs),
        // A's filed Mẫu 05 and Mẫu 01, by their own ids (each route answers only its kind).
        ("organisations", ["id", "filed_id"]) => two(&ids.org_filed, "filed_id"),
        ("clusters", ["id"]) => one(&ids.clusters),
        ("channels", ["id"]) => one(&ids.channels),
        ("channels", ["id", "message_id"]) => two(&ids.messages, "message_id"),
        ("channels", ["id", "message_id", "attachment_id"]) => ids
            .message_files
            .iter()
            .map(|(c, m, a)| {
                template
                    .replace("{id}", c)
                    .replace("{message_id}", m)
                    .replace("{attachment_id}", a)
            })
            .collect(),
        ("training", ["id"]) => one(&ids.programmes),
        ("drills", ["id"]) => one(&ids.drills),
        ("drills", ["id", "inject"]) => two(&ids.drill_injects, "inject"),
        ("people", ["id"]) => one(&ids.people),
        ("systems", ["id"]) => one(&ids.systems),
        ("users", ["id"]) => one(&extra.users),
        ("notifications", ["id"]) => one(&extra.notifications),
        ("misp", ["file"]) => extra
            .misp_files
            .iter()
            .map(|f| template.replace("{file}", f))
            .collect(),
        _ => return None,
    };
    Some(out)
}

/// Ids the crawl learns before it starts: every account, every notification, every MISP file.
#[derive(Default)]
struct Extra {
    users: Vec<String>,
    notifications: Vec<String>,
    misp_files: Vec<String>,
}

/// The query variants of a list: as it comes, searched for the canary, filtered by TLP.
fn variants(path: &str, query: &BTreeSet<String>) -> Vec<String> {
    let mut base = Vec::new();
    if query.contains("limit") {
        base.push("limit=100".to_owned());
    }
    if query.contains("year") {
        base.push("year=2025".to_owned());
    }
    let with = |extra: &str| {
        let mut q = base.clone();
        if !extra.is_empty() {
            q.push(extra.to_owned());
        }
        if q.is_empty() {
            path.to_owned()
        } else {
            format!("{path}?{}", q.join("&"))
        }
    };
    let mut out = vec![with("")];
    if query.contains("q") {
        out.push(with("q=CANARY"));
    }
    if query.contains("tlp") {
        out.push(with("tlp=RED"));
        out.push(with("tlp=AMBER%2BSTRICT"));
    }
    if query.contains("format") {
        out.push(with("format=xlsx"));
    }
    out
}

/// The OpenAPI document's GET operations: (path template, query parameter names).
async fn get_operations(app: &TestApp) -> Vec<(String, BTreeSet<String>)> {
    let doc: Value = app.client().get("/api/openapi.json").await.json();
    let mut ops = Vec::new();
    for (path, item) in doc["paths"].as_object().unwrap() {
        let Some(get) = item.get("get") else { continue };
        let query = get["parameters"]
            .as_array()
            .cloned()
            .unwrap_or_default()
            .iter()
            .filter(|p| p["in"] == "query")
            .filter_map(|p| p["name"].as_str().map(str::to_owned))
            .collect();
        ops.push((path.clone(), query));
    }
    ops
}

pub(super) async fn everything(
    app: &TestApp,
    w: &World,
    markers: &Arc<Markers>,
    f: &Shared,
    sink: &SmtpSink,
) {
    let client = reqwest::Client::new();
    // Every account's id; every notification of anyone (each principal then asks for all).
    let mut extra = Extra::default();
    let admin = w.token(Who::Admin);
    for p in &w.people {
        extra.users.push(p.user_id.clone());
        let (_, list) = app
            .bearer(&p.token)
            .get("/api/v1/notifications?limit=100")
            .await
            .parts();
        for n in items(&list) {
            if let Some(id) = n["id"].as_str() {
                extra.notifications.push(id.to_owned());
            }
        }
        let (_, manifest) = app
            .bearer(&p.token)
            .get("/api/v1/misp/feed/manifest.json")
            .await
            .parts();
        for key in manifest
            .as_object()
            .map(|m| m.keys().cloned().collect::<Vec<_>>())
            .unwrap_or_default()
        {
            let file = format!("{key}.json");
            if !extra.misp_files.contains(&file) {
                extra.misp_files.push(file);
            }
        }
    }
    if let Some(s) = &w.sighter {
        extra.users.push(s.user_id.clone());
    }
    let _ = admin;
    let ops = get_operations(app).await;
    let mut paths = Vec::new();
    for (template, query) in &ops {
        if template.ends_with("/stream") {
            continue; // read as live streams, opened before the records were made
        }
        match expand(template, w, &extra) {
            Some(list) => {
                for p in list {
                    paths.extend(variants(&p, query));
                }
            }
            None => note(
                f,
                format!("crawl: no ids for the parameters of GET {template}"),
            ),
        }
    }
    let paths = Arc::new(paths);
    let mail = sink.messages();

    let crawls = w.people.iter().map(|p| {
        let client = client.clone();
        let paths = paths.clone();
        let markers = markers.clone();
        let f = f.clone();
        let mail = &mail;
        async move {
            let who = p.who;
            let token = p.token.as_str();
            // The API, with every page of a paged list.
            for path in paths.iter() {
                let mut url = app.api(path);
                for _ in 0..20 {
                    let Some(a) = fetch(&client, &url, &Auth::Bearer(token)).await else {
                        note(&f, format!("{}: GET {path} did not answer", who.name()));
                        break;
                    };
                    if a.status.is_server_error() {
                        note(
                            &f,
                            format!("crawl: GET {path} answered {} ({})", a.status, who.name()),
                        );
                    }
                    check(&f, &markers, who, &format!("GET {path}"), &a.text);
                    if path.starts_with("/api/v1/audit") {
                        unmasked(w, who, path, &a.text, &f);
                    }
                    let next = serde_json::from_str::<Value>(&a.text)
                        .ok()
                        .and_then(|v| v["next_cursor"].as_str().map(str::to_owned));
                    match next {
                        Some(c) => {
                            let sep = if path.contains('?') { '&' } else { '?' };
                            url = app.api(&format!("{path}{sep}cursor={c}"));
                        }
                        None => break,
                    }
                }
            }
            taxii(app, &client, who, token, &markers, &f).await;
            pages(app, &client, w, who, token, &markers, &f).await;
            // The mail this principal received.
            for m in mail
                .iter()
                .filter(|m| m.to.iter().any(|t| t.eq_ignore_ascii_case(&p.email)))
            {
                let subject = decode_words(&m.header("Subject").unwrap_or_default());
                let text = format!("{subject}\n{}", decode_words(&m.data));
                check(
                    &f,
                    &markers,
                    who,
                    &format!("mail \"{}\"", subject.chars().take(60).collect::<String>()),
                    &text,
                );
            }
        }
    });
    join_all(crawls).await;

    // Mail to addresses outside the matrix (the sighter's aside) is nobody's to check; count it.
    let known: Vec<String> = w
        .people
        .iter()
        .map(|p| p.email.to_ascii_lowercase())
        .collect();
    let others = mail
        .iter()
        .filter(|m| !m.to.iter().any(|t| known.contains(&t.to_ascii_lowercase())))
        .count();
    if others > 0 {
        note(
            f,
            format!("mail: {others} messages to addresses outside the matrix (not checked)"),
        );
    }
    // `/metrics` without signing in.
    if let Some(a) = fetch(&client, &app.api("/metrics"), &Auth::None).await
        && a.status == StatusCode::OK
    {
        f.lock().unwrap().leaks.insert((
            Who::DResp,
            "GET /metrics (signed out)".to_owned(),
            "answered 200 to anyone".to_owned(),
        ));
    }
}

/// An anonymous sighting's audit entry that names its sighter: only the sighter's own
/// organisation (B) may link the account to the indicator it sighted.
fn unmasked(w: &World, who: Who, path: &str, text: &str, f: &Shared) {
    let Some(sighter) = &w.sighter else { return };
    if who == Who::BResp {
        return;
    }
    let page: Value = serde_json::from_str(text).unwrap_or_default();
    for entry in items(&page) {
        let action = entry["action"].as_str().unwrap_or_default();
        if action.contains("sight") && entry.to_string().contains(&sighter.user_id) {
            f.lock().unwrap().leaks.insert((
                who,
                format!("GET {path}"),
                format!(
                    "{action} by the anonymous sighter {} [sighter-id]",
                    sighter.user_id
                ),
            ));
        }
    }
}

/// TAXII 2.1: discovery, the API root, every collection, its manifest and all its objects.
async fn taxii(
    app: &TestApp,
    client: &reqwest::Client,
    who: Who,
    token: &str,
    markers: &Markers,
    f: &Shared,
) {
    let auth = Auth::Basic(token);
    for path in ["/taxii2/", "/taxii2/api/"] {
        if let Some(a) = fetch(client, &app.api(path), &auth).await {
            check(f, markers, who, &format!("TAXII {path}"), &a.text);
        }
    }
    let Some(list) = fetch(client, &app.api("/taxii2/api/collections/"), &auth).await else {
        return;
    };
    check(f, markers, who, "TAXII collections", &list.text);
    let list: Value = serde_json::from_str(&list.text).unwrap_or_default();
    for c in list["collections"].as_array().cloned().unwrap_or_default() {
        let id = c["id"].as_str().unwrap_or_default();
        for tail in ["", "manifest/", "objects/"] {
            let base = format!("/taxii2/api/collections/{id}/{tail}");
            let mut path = base.clone();
            for _ in 0..50 {
                let Some(a) = fetch(client, &app.api(&path), &auth).await else {
                    break;
                };
                check(f, markers, who, &format!("TAXII {base}"), &a.text);
                let page: Value = serde_json::from_str(&a.text).unwrap_or_default();
                match page["next"].as_str() {
                    Some(next) if page["more"] == true => path = format!("{base}?next={next}"),
                    _ => break,
                }
            }
        }
    }
}

/// Every page reachable by links from the start page, the seeded records' pages and the admin
/// pages; every download they link to.
async fn pages(
    app: &TestApp,
    client: &reqwest::Client,
    w: &World,
    who: Who,
    token: &str,
    markers: &Markers,
    f: &Shared,
) {
    let mut queue: VecDeque<String> = [
        "/",
        "/incidents",
        "/alerts",
        "/indicators",
        "/channels",
        "/notifications",
        "/clusters",
        "/search?q=CANARY",
        "/admin/audit",
        "/admin/users",
        "/admin/organisations",
        "/profile",
    ]
    .into_iter()
    .map(str::to_owned)
    .collect();
    for id in &w.ids.incidents {
        queue.push_back(format!("/incidents/{id}"));
    }
    for id in &w.ids.alerts {
        queue.push_back(format!("/alerts/{id}"));
    }
    for id in &w.ids.indicators {
        queue.push_back(format!("/indicators/{id}"));
    }
    for id in &w.ids.channels {
        queue.push_back(format!("/channels/{id}"));
    }
    for id in &w.ids.clusters {
        queue.push_back(format!("/clusters/{id}"));
    }
    for id in [&w.orgs.a, &w.orgs.b, &w.orgs.c, &w.orgs.d, &w.orgs.lead] {
        queue.push_back(format!("/orgs/{id}"));
        queue.push_back(format!("/orgs/{id}/training"));
    }
    for id in &w.ids.programmes {
        queue.push_back(format!("/training/{id}"));
    }
    let mut seen: HashMap<String, ()> = HashMap::new();
    let mut followed = 0;
    while let Some(path) = queue.pop_front() {
        if seen.insert(path.clone(), ()).is_some() {
            continue;
        }
        followed += 1;
        if followed > MAX_PAGES {
            note(
                f,
                format!(
                    "pages: {} had more than {MAX_PAGES} pages; the rest were not read",
                    who.name()
                ),
            );
            break;
        }
        let Some(a) = fetch(client, &app.api(&path), &Auth::Bearer(token)).await else {
            continue;
        };
        if a.status.is_server_error() {
            note(
                f,
                format!("pages: GET {path} answered {} ({})", a.status, who.name()),
            );
        }
        check(f, markers, who, &format!("page {path}"), &a.text);
        if a.status != StatusCode::OK || !a.content_type.starts_with("text/html") {
            continue;
        }
        for link in links(&a.text) {
            if !seen.contains_key(&link) {
                queue.push_back(link);
            }
        }
    }
}

/// The same-site links of a page (`href="/…"`), minus what is not a page to read.
fn links(html: &str) -> Vec<String> {
    let mut out = Vec::new();
    for part in html.split("href=\"").skip(1) {
        let Some(end) = part.find('"') else { continue };
        let link = part[..end].replace("&amp;", "&");
        let link = link.split('#').next().unwrap_or_default().to_owned();
        if !link.starts_with('/')
            || link.starts_with("//")
            || link.starts_with("/static/")
            || link.starts_with("/api/docs")
            || link.contains("/stream")
            || link == "/logout"
        {
            continue;
        }
        out.push(link);
    }
    out
}
