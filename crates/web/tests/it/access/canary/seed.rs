//! The canary's network and records. The demo network on 06/10/2025 (after the mergers; Cao
//! Bằng leads cluster 1 this year): member A is Lạng Sơn, member B Thái Nguyên (both in cluster
//! 1), C a member of a second cluster made here, D a member of no cluster. A's records are made at
//! every TLP through every pillar, each text field carrying a marker; every step that answers
//! unexpectedly is noted (not failed on), so that the crawl still runs and reports.

use irnet_domain::{Grant, Role, Scope, TokenScope};
use irnet_store::directory::clusters::{self, MembershipRow};
use irnet_testkit::{TestApp, org_grant};
use reqwest::StatusCode;
use serde_json::{Value, json};

use super::oracle::{Markers, Pillar, TLPS, Who};
use super::{Person, Shared, note};

pub(super) struct Orgs {
    pub a: String,
    pub b: String,
    pub c: String,
    pub d: String,
    pub coordinator: String,
    pub lead: String,
}

/// Ids of everything seeded, for the crawl's path parameters.
#[derive(Default)]
pub(super) struct Ids {
    pub incidents: Vec<String>,
    /// (incident, attachment)
    pub incident_files: Vec<(String, String)>,
    /// (incident, report)
    pub incident_reports: Vec<(String, String)>,
    /// (incident, filed document): what filing the report froze
    pub incident_filed: Vec<(String, String)>,
    /// (organisation, filed document): A's filed Mẫu 05 and Mẫu 01
    pub org_filed: Vec<(String, String)>,
    pub alerts: Vec<String>,
    pub alert_files: Vec<(String, String)>,
    pub indicators: Vec<String>,
    pub channels: Vec<String>,
    /// (channel, message)
    pub messages: Vec<(String, String)>,
    /// (channel, message, attachment)
    pub message_files: Vec<(String, String, String)>,
    pub people: Vec<String>,
    pub systems: Vec<String>,
    pub clusters: Vec<String>,
    pub drills: Vec<String>,
    /// (drill, inject): one released, one not
    pub drill_injects: Vec<(String, String)>,
    /// training programmes
    pub programmes: Vec<String>,
}

pub(super) struct World {
    pub people: Vec<Person>,
    pub orgs: Orgs,
    pub ids: Ids,
    /// the anonymous sighter of B (an account outside the matrix)
    pub sighter: Option<Person>,
}

impl World {
    pub(super) fn person(&self, who: Who) -> &Person {
        self.people.iter().find(|p| p.who == who).unwrap()
    }
    pub(super) fn token(&self, who: Who) -> &str {
        &self.person(who).token
    }
}

/// A write that must succeed for the canary to cover something; otherwise the gap is noted.
async fn expect(
    findings: &Shared,
    what: &str,
    wanted: StatusCode,
    (status, body): (StatusCode, Value),
) -> Option<Value> {
    if status == wanted {
        Some(body)
    } else {
        note(
            findings,
            format!("seed: {what} answered {status}: {}", short(&body)),
        );
        None
    }
}

pub(super) fn short(v: &Value) -> String {
    let s = v.to_string();
    s.chars().take(300).collect()
}

fn id_of(v: &Value) -> String {
    v["id"].as_str().unwrap_or_default().to_owned()
}

/// The principals, their organisations and the second cluster.
pub(super) async fn world(app: &TestApp, findings: &Shared) -> World {
    irnet_app::demo::load(&app.app).await.unwrap();
    app.set_local_time(2025, 10, 6, 9, 0);
    let a = app.demo_org("Sở KH&CN Lạng Sơn").await;
    let b = app.demo_org("Sở KH&CN Thái Nguyên").await;
    let lead_org = app.demo_org("Sở KH&CN Cao Bằng").await;
    let bac_ninh = app.demo_org("Sở KH&CN Bắc Ninh").await;
    let coordinator_org = app.demo_org("VNCERT/CC").await;
    let c = app.org("Sở Khoa học và Công nghệ tỉnh Canary C").await;
    let d = app.org("Sở Khoa học và Công nghệ tỉnh Canary D").await;

    let admin_token = app.token("admin@demo.irnet.vn", TokenScope::Write).await;
    let (status, clusters) = app
        .bearer(&admin_token)
        .get("/api/v1/clusters")
        .await
        .parts();
    assert_eq!(status, 200, "{clusters}");
    let cluster1 = clusters[0]["id"].as_str().unwrap().to_owned();
    let (status, two) = app
        .bearer(&admin_token)
        .post_json(
            "/api/v1/clusters",
            &json!({"number": 2, "name_vi": "Cụm thành viên số 2 (canary)"}),
        )
        .await
        .parts();
    assert_eq!(status, 201, "{two}");
    let cluster2 = id_of(&two);
    // No API adds a member to a cluster: the directory's own store call does.
    let (c2, c_org) = (cluster2.clone(), c.clone());
    app.app
        .store
        .write(move |conn| {
            clusters::insert_membership(
                conn,
                &MembershipRow {
                    id: uuid::Uuid::now_v7().to_string(),
                    cluster_id: c2,
                    org_id: c_org,
                    valid_from: chrono::NaiveDate::from_ymd_opt(2020, 1, 1).unwrap(),
                    valid_to: None,
                    reason: "founding".to_owned(),
                },
            )?;
            Ok::<_, irnet_app::AppError>(())
        })
        .await
        .unwrap();

    let org_grant =
        |role: Role, org: &str| Grant::new(role, Scope::Org(org.parse().unwrap())).unwrap();
    let made: Vec<(Who, &str, &str, Vec<Grant>)> = vec![
        (
            Who::AResp,
            "a.resp@canary.test",
            &a,
            vec![org_grant(Role::Responder, &a)],
        ),
        (
            Who::AAdmin,
            "a.admin@canary.test",
            &a,
            vec![org_grant(Role::OrgAdmin, &a)],
        ),
        (
            Who::A2,
            "a2@canary.test",
            &a,
            vec![org_grant(Role::Responder, &a)],
        ),
        (
            Who::AView,
            "a.viewer@canary.test",
            &a,
            vec![org_grant(Role::Viewer, &a)],
        ),
        (Who::ANoGrant, "a.nogrant@canary.test", &a, vec![]),
        (
            Who::BResp,
            "b.resp@canary.test",
            &b,
            vec![org_grant(Role::Responder, &b)],
        ),
        (
            Who::CResp,
            "c.resp@canary.test",
            &c,
            vec![org_grant(Role::Responder, &c)],
        ),
        (
            Who::DResp,
            "d.resp@canary.test",
            &d,
            vec![org_grant(Role::Responder, &d)],
        ),
        (
            Who::StaleLead,
            "stale.lead@canary.test",
            &bac_ninh,
            vec![Grant::new(Role::ClusterLead, Scope::Cluster(cluster1.parse().unwrap())).unwrap()],
        ),
    ];
    let mut people = Vec::new();
    for (who, email, org, grants) in made {
        let acc = app.account(email, org, grants).await;
        people.push(Person {
            who,
            email: email.to_owned(),
            token: app.token(email, TokenScope::Write).await,
            user_id: acc.id,
        });
    }
    for (who, email) in [
        (Who::Coordinator, "dieuphoi@demo.irnet.vn"),
        (Who::Admin, "admin@demo.irnet.vn"),
        (Who::Lead, "cumtruong@demo.irnet.vn"),
    ] {
        let token = app.token(email, TokenScope::Write).await;
        let (_, me) = app.bearer(&token).get("/api/v1/me").await.parts();
        people.push(Person {
            who,
            email: email.to_owned(),
            token,
            user_id: id_of(&me),
        });
    }
    people.sort_by_key(|p| p.who);
    let (_, channels) = app
        .bearer(&people[0].token)
        .get("/api/v1/channels")
        .await
        .parts();
    let mut ids = Ids {
        clusters: vec![cluster1, cluster2],
        ..Ids::default()
    };
    for ch in channels.as_array().cloned().unwrap_or_default() {
        ids.channels.push(id_of(&ch));
    }
    if ids.channels.len() < 2 {
        note(
            findings,
            format!("seed: A sees channels {}", short(&channels)),
        );
    }
    World {
        people,
        orgs: Orgs {
            a,
            b,
            c,
            d,
            coordinator: coordinator_org,
            lead: lead_org,
        },
        ids,
        sighter: None,
    }
}

/// Every record of every pillar, at every TLP.
pub(super) async fn all(app: &TestApp, w: &mut World, m: &mut Markers, f: &Shared) {
    directory(app, w, m, f).await;
    let alerts = alerts(app, w, m, f).await;
    indicators(app, w, m, f, &alerts).await;
    stix_objects(app, w, m, f).await;
    incidents(app, w, m, f).await;
    filed_forms(app, w, f).await;
    messages(app, w, m, f).await;
    drills(app, w, m, f).await;
    training(app, w, m, f).await;
    writes(app, w, f).await;
    // The GREEN indicator pointing at the RED incident and the AMBER+STRICT alert is made last,
    // when both exist.
    link_indicators(app, w, m, f, &alerts).await;
}

/// A's private directory: a person (made focal point) and a system.
async fn directory(app: &TestApp, w: &mut World, m: &mut Markers, f: &Shared) {
    let t = w.token(Who::AAdmin).to_owned();
    let a = w.orgs.a.clone();
    let p = Pillar::PrivateDirectory;
    let body = json!({
        "family_name": m.text("dir", "priv", "family", p),
        "given_name": m.text("dir", "priv", "given", p),
        "title": m.text("dir", "priv", "title", p),
        "phones": ["0205 3870 999"],
        "emails": [format!("{}@canary.test", m.text("dir", "priv", "email", p))],
    });
    let res = app
        .bearer(&t)
        .post_json(&format!("/api/v1/organisations/{a}/people"), &body)
        .await
        .parts();
    if let Some(person) = expect(f, "A's person", StatusCode::CREATED, res).await {
        let pid = id_of(&person);
        w.ids.people.push(pid.clone());
        let res = app
            .bearer(&t)
            .put_json(
                &format!("/api/v1/organisations/{a}/focal-points/backup"),
                &json!({"person_id": pid}),
            )
            .await
            .parts();
        expect(f, "A's focal point", StatusCode::OK, res).await;
    }
    let body = json!({
        "name": m.text("dir", "priv", "sysname", p),
        "purpose": m.text("dir", "priv", "purpose", p),
        "information_classes": [m.text("dir", "priv", "infoclass", p)],
        "proposed_level": 2,
        "domains": [format!("{}.example.vn", m.text("dir", "priv", "domain", p).to_ascii_lowercase())],
    });
    let res = app
        .bearer(&t)
        .post_json(&format!("/api/v1/organisations/{a}/systems"), &body)
        .await
        .parts();
    if let Some(s) = expect(f, "A's system", StatusCode::CREATED, res).await {
        w.ids.systems.push(id_of(&s));
    }
    // Mẫu 01's address and head: read with the rest of A's profile.
    let body = json!({
        "address": m.text("dir", "priv", "address", p),
        "head_name": m.text("dir", "priv", "head", p),
        "head_title": m.text("dir", "priv", "headtitle", p),
    });
    let res = app
        .bearer(&t)
        .put_json(&format!("/api/v1/organisations/{a}/profile/details"), &body)
        .await
        .parts();
    expect(f, "A's address and head", StatusCode::OK, res).await;
}

/// The coordinator's alerts to A, one per TLP, each with a file; returns (tlp, id).
async fn alerts(
    app: &TestApp,
    w: &mut World,
    m: &mut Markers,
    f: &Shared,
) -> Vec<(&'static str, String)> {
    let t = w.token(Who::Coordinator).to_owned();
    let mut made = Vec::new();
    for (tlp, _) in TLPS {
        let p = Pillar::Alert;
        let mut audience = json!({"orgs": [w.orgs.a]});
        if tlp == "RED" {
            // RED reaches named people; the API has no field for them yet, so A's org is named.
            audience = json!({"orgs": [w.orgs.a]});
        }
        let body = json!({
            "title": m.text("alert", tlp, "title", p),
            "description": m.text("alert", tlp, "description", p),
            "severity": "high",
            "affected_products": [m.text("alert", tlp, "product", p)],
            "required_actions": m.text("alert", tlp, "actions", p),
            "action_deadline": "2025-10-08T17:00",
            "tlp": tlp,
            "audience": audience,
        });
        let res = app
            .bearer(&t)
            .post_json("/api/v1/alerts", &body)
            .await
            .parts();
        let Some(draft) = expect(f, &format!("{tlp} alert draft"), StatusCode::CREATED, res).await
        else {
            continue;
        };
        let id = id_of(&draft);
        m.id(&id, "alert", p, tlp);
        let file = m.text("alert", tlp, "file", p);
        let res = app
            .bearer(&t)
            .request(
                reqwest::Method::POST,
                &format!("/api/v1/alerts/{id}/attachments?filename={file}.pdf"),
            )
            .header("content-type", "application/octet-stream")
            .body(format!("%PDF-1.4 {file}").into_bytes())
            .send()
            .await;
        let res = res.parts();
        expect(f, &format!("{tlp} alert file"), StatusCode::CREATED, res).await;
        let res = app
            .bearer(&t)
            .post_json(&format!("/api/v1/alerts/{id}/send"), &json!({}))
            .await
            .parts();
        if let Some(sent) = expect(f, &format!("{tlp} alert send"), StatusCode::OK, res).await {
            for a in sent["attachments"].as_array().cloned().unwrap_or_default() {
                w.ids.alert_files.push((id.clone(), id_of(&a)));
            }
        }
        w.ids.alerts.push(id.clone());
        made.push((tlp, id));
    }
    // A answers: acknowledgement and a report of what it did (under the alert's rule). A RED
    // alert names A's focal points, not A's responder in the matrix, who cannot answer it.
    for (tlp, id) in made.iter().filter(|(tlp, _)| *tlp != "RED") {
        let t = w.token(Who::AResp).to_owned();
        app.bearer(&t)
            .post_json(&format!("/api/v1/alerts/{id}/acknowledge"), &json!({}))
            .await
            .parts();
        let text = m.text("alert", tlp, "actionreport", Pillar::Alert);
        app.bearer(&t)
            .put_json(
                &format!("/api/v1/alerts/{id}/action"),
                &json!({"status": "patched", "note": text}),
            )
            .await
            .parts();
    }
    made
}

/// A's STIX objects as imported (issue 17): a malware object at every TLP but RED (which no
/// channel serves, so its marker could be seen by nobody), read back by the TAXII crawl under
/// the indicators' read rule.
async fn stix_objects(app: &TestApp, w: &mut World, m: &mut Markers, f: &Shared) {
    let t = w.token(Who::AResp).to_owned();
    let markings = [
        (
            "CLEAR",
            "marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487",
        ),
        (
            "GREEN",
            "marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb",
        ),
        (
            "AMBER",
            "marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421",
        ),
        (
            "AMBER+STRICT",
            "marking-definition--939a9414-2ddd-4d32-a0cd-375ea402b003",
        ),
    ];
    let mut objects = Vec::new();
    for (tlp, marking) in markings {
        objects.push(json!({
            "type": "malware", "spec_version": "2.1",
            "id": format!("malware--{}", uuid::Uuid::new_v4()),
            "created": "2025-01-01T00:00:00.000Z", "modified": "2025-01-01T00:00:00.000Z",
            "name": m.text("stix", tlp, "name", Pillar::Indicator), "is_family": true,
            "object_marking_refs": [marking],
        }));
    }
    let bundle = json!({"type": "bundle", "id": format!("bundle--{}", uuid::Uuid::new_v4()),
                        "objects": objects});
    let res = app
        .bearer(&t)
        .post_body(
            "/api/v1/stix/import",
            "application/stix+json",
            bundle.to_string(),
        )
        .await
        .parts();
    expect(f, "STIX objects", StatusCode::OK, res).await;
}

/// A's indicators at every TLP, an anonymous sighting by B, and A2 posting the value of a RED
/// indicator it may not read.
async fn indicators(
    app: &TestApp,
    w: &mut World,
    m: &mut Markers,
    f: &Shared,
    _alerts: &[(&'static str, String)],
) {
    let t = w.token(Who::AResp).to_owned();
    let p = Pillar::Indicator;
    let mut green = None;
    for (tlp, _) in TLPS {
        let value = format!(
            "{}.example.org",
            m.text("ind", tlp, "value", p).to_ascii_lowercase()
        );
        let body = json!({
            "observables": [{"kind": "domain", "value": value}],
            "name": m.text("ind", tlp, "name", p),
            "description": m.text("ind", tlp, "description", p),
            "tlp": tlp,
            "confidence": 80,
        });
        let res = app
            .bearer(&t)
            .post_json("/api/v1/indicators", &body)
            .await
            .parts();
        if let Some(v) = expect(f, &format!("{tlp} indicator"), StatusCode::CREATED, res).await {
            let id = id_of(&v);
            m.id(&id, "ind", p, tlp);
            w.ids.indicators.push(id.clone());
            if tlp == "GREEN" {
                green = Some(id);
            }
        }
    }
    // An anonymous sighting of A's GREEN indicator by an account of B whose name is a marker:
    // A must never learn who it was.
    let name = m.text("anon", "priv", "sighter", Pillar::AnonymousSighter);
    let email = format!("{}@canary.test", name.to_ascii_lowercase());
    let grant = org_grant(Role::Responder, &w.orgs.b);
    let acc = app.account(&email, &w.orgs.b, vec![grant]).await;
    m.person(&acc.id, "sighter-id", Pillar::AnonymousSighter);
    let sighter = Person {
        who: Who::BResp,
        token: app.token(&email, TokenScope::Write).await,
        email,
        user_id: acc.id,
    };
    if let Some(green) = green {
        let res = app.bearer(&sighter.token).post_json(&format!("/api/v1/indicators/{green}/sightings"), &json!({"kind": "seen", "anonymous": true, "note": m.text("ind", "GREEN", "sighting", p)})).await.parts();
        expect(f, "anonymous sighting", StatusCode::OK, res).await;
    }
    w.sighter = Some(sighter);

    // A RED indicator whose value A2 then posts at TLP:CLEAR: A2 must get a record of its own.
    let value = format!("dedupe-{}.example.org", m.run);
    let body = json!({
        "observables": [{"kind": "domain", "value": value}],
        "name": m.text("inddup", "RED", "name", p),
        "description": m.text("inddup", "RED", "description", p),
        "tlp": "RED",
        "confidence": 80,
    });
    let res = app
        .bearer(&t)
        .post_json("/api/v1/indicators", &body)
        .await
        .parts();
    if let Some(v) = expect(f, "RED indicator (dedupe)", StatusCode::CREATED, res).await {
        let id = id_of(&v);
        m.id(&id, "inddup", p, "RED");
        w.ids.indicators.push(id);
    }
    let body = json!({
        "observables": [{"kind": "domain", "value": value}],
        "name": m.text("ind2", "CLEAR", "name", p),
        "tlp": "CLEAR",
        "confidence": 50,
    });
    let (status, answer) = app
        .bearer(w.token(Who::A2))
        .post_json("/api/v1/indicators", &body)
        .await
        .parts();
    if status.is_success() {
        super::check(
            f,
            m,
            Who::A2,
            "POST /api/v1/indicators (dedupe)",
            &answer.to_string(),
        );
        w.ids.indicators.push(id_of(&answer));
    } else {
        note(f, format!("seed: A2's CLEAR indicator answered {status}"));
    }
}

/// GREEN indicators of A linking A's RED incident and the coordinator's AMBER+STRICT alert.
async fn link_indicators(
    app: &TestApp,
    w: &mut World,
    m: &mut Markers,
    f: &Shared,
    alerts: &[(&'static str, String)],
) {
    let t = w.token(Who::AResp).to_owned();
    let p = Pillar::Indicator;
    let red_incident = w.ids.incidents.get(4).cloned();
    let strict_alert = alerts
        .iter()
        .find(|(t, _)| *t == "AMBER+STRICT")
        .map(|(_, id)| id.clone());
    for (field, link) in [
        ("incidentlink", json!({"incident_id": red_incident})),
        ("alertlink", json!({"alert_id": strict_alert})),
    ] {
        let value = format!(
            "{}.example.org",
            m.text("ind", "GREEN", field, p).to_ascii_lowercase()
        );
        let mut body = json!({
            "observables": [{"kind": "domain", "value": value}],
            "name": m.text("ind", "GREEN", &format!("{field}name"), p),
            "tlp": "GREEN",
            "confidence": 60,
        });
        for (k, v) in link.as_object().unwrap() {
            body[k] = v.clone();
        }
        let res = app
            .bearer(&t)
            .post_json("/api/v1/indicators", &body)
            .await
            .parts();
        if let Some(v) = expect(
            f,
            &format!("GREEN indicator {field}"),
            StatusCode::CREATED,
            res,
        )
        .await
        {
            w.ids.indicators.push(id_of(&v));
        }
    }
}

/// A's incidents at every TLP: reported, classified (with free-text damage), commented (naming
/// A2), observables, a file, a task, a report, support asked of B, offered and accepted;
/// AMBER and RED escalated to the coordinator.
async fn incidents(app: &TestApp, w: &mut World, m: &mut Markers, f: &Shared) {
    let t = w.token(Who::AResp).to_owned();
    let tb = w.token(Who::BResp).to_owned();
    let p = Pillar::Incident;
    for (tlp, _) in TLPS {
        let body = json!({
            "title": m.text("inc", tlp, "title", p),
            "summary": m.text("inc", tlp, "summary", p),
            "detected_at": "2025-10-06T08:00",
            "type_key": "defacement",
            "tlp": tlp,
            "submit": true,
        });
        let res = app
            .bearer(&t)
            .post_json("/api/v1/incidents", &body)
            .await
            .parts();
        let Some(inc) = expect(f, &format!("{tlp} incident"), StatusCode::CREATED, res).await
        else {
            continue;
        };
        let id = id_of(&inc);
        // The organisation asked for support (B) is told which incident it is asked about.
        m.id(&id, "inc", Pillar::SupportRequest, tlp);
        w.ids.incidents.push(id.clone());
        let path = |s: &str| format!("/api/v1/incidents/{id}{s}");
        let res = app
            .bearer(&t)
            .put_json(
                &path("/classification"),
                &json!({
                    "type_key": "defacement",
                    "severity": "high",
                    "tlp": tlp,
                    "data_loss": "confirmed",
                    "data_loss_detail": m.text("inc", tlp, "dataloss", p),
                    "damage_estimate": m.text("inc", tlp, "damage", p),
                }),
            )
            .await
            .parts();
        expect(
            f,
            &format!("{tlp} incident classification"),
            StatusCode::OK,
            res,
        )
        .await;
        let comment = format!("{} @a2@canary.test", m.text("inc", tlp, "comment", p));
        let res = app
            .bearer(&t)
            .post_json(&path("/comments"), &json!({"text": comment}))
            .await
            .parts();
        if !res.0.is_success() {
            note(
                f,
                format!("seed: {tlp} incident comment answered {}", res.0),
            );
        }
        let obs = format!(
            "{}.example.net",
            m.text("inc", tlp, "observable", p).to_ascii_lowercase()
        );
        let res = app.bearer(&t).post_json(&path("/observables"), &json!({"kind": "domain", "value": obs, "is_indicator": false, "note": m.text("inc", tlp, "obsnote", p)})).await.parts();
        if !res.0.is_success() {
            note(
                f,
                format!("seed: {tlp} incident observable answered {}", res.0),
            );
        }
        let file = m.text("inc", tlp, "file", p);
        let res = app
            .bearer(&t)
            .request(
                reqwest::Method::POST,
                &path(&format!("/attachments?filename={file}.log")),
            )
            .header("content-type", "application/octet-stream")
            .body(format!("log {file}").into_bytes())
            .send()
            .await;
        if let Some(a) = expect(
            f,
            &format!("{tlp} incident file"),
            StatusCode::CREATED,
            res.parts(),
        )
        .await
        {
            w.ids.incident_files.push((id.clone(), id_of(&a)));
        }
        let res = app
            .bearer(&t)
            .post_json(
                &path("/tasks"),
                &json!({"title": m.text("inc", tlp, "task", p), "due_on": "2025-10-07"}),
            )
            .await
            .parts();
        if !res.0.is_success() {
            note(f, format!("seed: {tlp} incident task answered {}", res.0));
        }
        let res = app
            .bearer(&t)
            .post_json(&path("/reports"), &json!({"kind": "initial"}))
            .await
            .parts();
        if res.0.is_success() {
            let report = res.1["reports"]
                .as_array()
                .and_then(|r| r.last())
                .map(id_of)
                .unwrap_or_else(|| id_of(&res.1));
            w.ids.incident_reports.push((id.clone(), report));
            let filed = app.bearer(&t).get(&path("/filed")).await.parts();
            for doc in filed.1.as_array().into_iter().flatten() {
                w.ids.incident_filed.push((id.clone(), id_of(doc)));
            }
        } else {
            note(
                f,
                format!(
                    "seed: {tlp} incident report answered {}: {}",
                    res.0,
                    short(&res.1)
                ),
            );
        }
        // Support: asked of B, offered by B, accepted by A.
        let res = app.bearer(&t).post_json(&path("/support-requests"), &json!({"message": m.text("inc", tlp, "support", Pillar::SupportRequest), "orgs": [w.orgs.b], "skills": []})).await.parts();
        let support = m.list.last().map(|s| s.text.clone()).unwrap_or_default();
        if expect(
            f,
            &format!("{tlp} support request"),
            StatusCode::CREATED,
            res,
        )
        .await
        .is_some()
        {
            // B answers from its inbox, where the request has an id of its own.
            let (_, inbox) = app
                .bearer(&tb)
                .get("/api/v1/support-requests")
                .await
                .parts();
            let rid = inbox
                .as_array()
                .cloned()
                .unwrap_or_default()
                .iter()
                .find(|r| r.to_string().contains(&support))
                .map(id_of)
                .unwrap_or_default();
            let res = app.bearer(&tb).post_json(&format!("/api/v1/support-requests/{rid}/answer"), &json!({"offer": true, "note": m.text("inc", tlp, "offer", Pillar::SupportRequest)})).await.parts();
            if res.0.is_success() {
                let res = app
                    .bearer(&t)
                    .post_json(
                        &format!("/api/v1/support-requests/{rid}/accept"),
                        &json!({"org_id": w.orgs.b}),
                    )
                    .await
                    .parts();
                if !res.0.is_success() {
                    note(f, format!("seed: {tlp} support accept answered {}", res.0));
                }
            } else {
                note(
                    f,
                    format!(
                        "seed: {tlp} support offer answered {}: {}",
                        res.0,
                        short(&res.1)
                    ),
                );
            }
        }
        if matches!(tlp, "AMBER" | "RED") {
            let res = app
                .bearer(&t)
                .post_json(&path("/escalate"), &json!({}))
                .await
                .parts();
            if !res.0.is_success() {
                note(
                    f,
                    format!(
                        "seed: {tlp} escalation answered {}: {}",
                        res.0,
                        short(&res.1)
                    ),
                );
            }
        }
    }
}

/// A's messages at every TLP in the network's and cluster 1's channel, each with a file; the RED
/// ones mention A2, who is not named (refused today, which is right: then it is sent without).
async fn messages(app: &TestApp, w: &mut World, m: &mut Markers, f: &Shared) {
    let t = w.token(Who::AResp).to_owned();
    let channels = w.ids.channels.clone();
    for ch in channels {
        let network = ch == "network" || !w.ids.clusters.contains(&ch);
        let (kind, pillar) = if network {
            ("msgnet", Pillar::NetworkMessage)
        } else {
            ("msgclu", Pillar::ClusterMessage)
        };
        for (tlp, _) in TLPS {
            let body = m.text(kind, tlp, "body", pillar);
            let file = m.text(kind, tlp, "file", pillar);
            let mut text = body.clone();
            if tlp == "RED" {
                text.push_str(" @a2@canary.test");
            }
            let post_it = |text: String| {
                let (client, path) = (app.bearer(&t), format!("/api/v1/channels/{ch}/messages"));
                let filename = format!("{file}.pdf");
                async move {
                    client
                        .multipart(
                            &path,
                            &[("body", text.as_str()), ("tlp", tlp)],
                            &filename,
                            "application/pdf",
                            b"%PDF-1.4 canary",
                        )
                        .await
                        .parts()
                }
            };
            let mut res = post_it(text).await;
            if tlp == "RED" && res.0 != StatusCode::CREATED {
                note(
                    f,
                    format!(
                        "seed: a RED message mentioning an unnamed colleague answered {}",
                        res.0
                    ),
                );
                res = post_it(body.clone()).await;
            }
            if let Some(msg) = expect(
                f,
                &format!("{tlp} message in {kind}"),
                StatusCode::CREATED,
                res,
            )
            .await
            {
                let mid = id_of(&msg);
                for a in msg["attachments"].as_array().cloned().unwrap_or_default() {
                    w.ids
                        .message_files
                        .push((ch.clone(), mid.clone(), id_of(&a)));
                }
                w.ids.messages.push((ch.clone(), mid));
            }
        }
    }
}

/// Writes the issue says must be refused (a viewer and an account with no grant posting), and
/// B's first incident, whose number must not count A's five.
/// A files its Mẫu 05 of the half-year its incidents fall in (counting them, with their damage
/// estimates) and its Mẫu 01 confirmation (its private directory): each filed document is
/// crawled by its own id, under the reading rule of what was filed.
async fn filed_forms(app: &TestApp, w: &mut World, f: &Shared) {
    let a = w.orgs.a.clone();
    let res = app
        .bearer(w.token(Who::AResp))
        .post_json(
            &format!("/api/v1/organisations/{a}/incident-statistics/filed"),
            &json!({"year": 2025, "half": 2}),
        )
        .await
        .parts();
    if let Some(doc) = expect(f, "A's Mẫu 05 filed", StatusCode::CREATED, res).await {
        w.ids.org_filed.push((a.clone(), id_of(&doc)));
    }
    let res = app
        .bearer(w.token(Who::AAdmin))
        .post_json(
            &format!("/api/v1/organisations/{a}/profile/filed"),
            &json!({}),
        )
        .await
        .parts();
    if let Some(doc) = expect(f, "A's Mẫu 01 filed", StatusCode::CREATED, res).await {
        w.ids.org_filed.push((a, id_of(&doc)));
    }
}

async fn writes(app: &TestApp, w: &World, f: &Shared) {
    let (status, inc) = app.bearer(w.token(Who::BResp)).post_json("/api/v1/incidents", &json!({"title": "B numbering probe", "detected_at": "2025-10-06T08:30", "submit": true})).await.parts();
    let number = inc["number"].as_str().unwrap_or_default().to_owned();
    let serial: u64 = number
        .rsplit(|c: char| !c.is_ascii_digit())
        .next()
        .and_then(|d| d.parse().ok())
        .unwrap_or(0);
    if status.is_success() && serial != 1 {
        f.lock().unwrap().leaks.insert((
            Who::BResp,
            "write: POST /api/v1/incidents (number of B's first incident)".to_owned(),
            format!("numbered {number}: counts other members' incidents"),
        ));
    }
    let Some(network) = w.ids.channels.first().cloned() else {
        return;
    };
    for who in [Who::AView, Who::ANoGrant] {
        let (status, _) = app
            .bearer(w.token(who))
            .post_json(
                &format!("/api/v1/channels/{network}/messages"),
                &json!({"body": "viewer write probe", "tlp": "CLEAR"}),
            )
            .await
            .parts();
        if status.is_success() {
            f.lock().unwrap().leaks.insert((
                who,
                format!("write: POST /api/v1/channels/{network}/messages"),
                format!("accepted ({status})"),
            ));
        }
    }
}

/// Everything periodic: mail now, then 40 days later the overdue reminders, the alert chase and
/// the focal-point reminders, and their mail.
pub(super) async fn sweeps(app: &TestApp, _w: &World) {
    irnet_app::jobs::run_due(&app.app, "canary").await.unwrap();
    app.clock.advance(chrono::Duration::days(40));
    irnet_app::incidents::reminders::check(&app.app)
        .await
        .unwrap();
    irnet_app::jobs::schedule(&app.app).await.unwrap();
    irnet_app::jobs::run_due(&app.app, "canary").await.unwrap();
    irnet_app::jobs::run_due(&app.app, "canary").await.unwrap();
}

/// A's training programme inviting B, with a session A's person attended, and a certificate of
/// A's person expiring within the reminder window after the sweep's 40 days (its reminder
/// notifies A's org admins). The programme is its organiser's and invited members'; attendance
/// and certificates are A's private part.
async fn training(app: &TestApp, w: &mut World, m: &mut Markers, f: &Shared) {
    let t = w.token(Who::AAdmin).to_owned();
    let (a, b) = (w.orgs.a.clone(), w.orgs.b.clone());
    let p = Pillar::TrainingProgramme;
    let body = json!({
        "title": m.text("trn", "prog", "title", p),
        "topic": m.text("trn", "prog", "topic", p),
        "audience": m.text("trn", "prog", "audience", p),
        "year": 2025,
        "invited": [b],
    });
    let res = app
        .bearer(&t)
        .post_json("/api/v1/training/programmes", &body)
        .await
        .parts();
    let Some(programme) = expect(f, "A's programme", StatusCode::CREATED, res).await else {
        return;
    };
    let pid = id_of(&programme);
    w.ids.programmes.push(pid.clone());
    m.id(&pid, "trn-prog", p, "-");
    let body = json!({
        "held_on": "2025-10-01",
        "place": m.text("trn", "prog", "place", p),
        "hours": "3.5",
        "topic": m.text("trn", "prog", "stopic", p),
        "trainer": m.text("trn", "prog", "trainer", p),
    });
    let res = app
        .bearer(&t)
        .post_json(
            &format!("/api/v1/training/programmes/{pid}/sessions"),
            &body,
        )
        .await
        .parts();
    let Some(session) = expect(f, "A's session", StatusCode::CREATED, res).await else {
        return;
    };
    let sid = id_of(&session);
    let Some(person) = w.ids.people.first().cloned() else {
        return;
    };
    let res = app
        .bearer(&t)
        .post_json(
            &format!("/api/v1/training/programmes/{pid}/sessions/{sid}/attendance"),
            &json!({ "person_id": person }),
        )
        .await
        .parts();
    expect(f, "A's attendance", StatusCode::NO_CONTENT, res).await;
    let d = Pillar::PrivateDirectory;
    let body = json!({
        "person_id": person,
        "name": m.text("trn", "priv", "cert", d),
        "issuer": m.text("trn", "priv", "issuer", d),
        "number": m.text("trn", "priv", "number", d),
        "issued_on": "2024-11-20",
        "valid_until": "2025-11-30",
    });
    let res = app
        .bearer(&t)
        .post_json(&format!("/api/v1/organisations/{a}/certificates"), &body)
        .await
        .parts();
    expect(f, "A's certificate", StatusCode::CREATED, res).await;
}

/// The coordinator's scenario drill with A as its only team: a released inject A answered, one
/// not yet released, and the standings frozen after A's answer.
async fn drills(app: &TestApp, w: &mut World, m: &mut Markers, f: &Shared) {
    let coord = app.bearer(w.token(Who::Coordinator));
    let body = json!({
        "kind": "scenario",
        "title": m.text("drill", "-", "title", Pillar::Drill),
        "theme": m.text("drill", "-", "theme", Pillar::Drill),
        "rules": m.text("drill", "-", "rules", Pillar::Drill),
        "starts_at": "2025-10-06T08:00",
        "ends_at": "2025-10-31T17:00",
        "teams": [w.orgs.a],
    });
    let res = coord.post_json("/api/v1/drills", &body).await.parts();
    let Some(drill) = expect(f, "the drill", StatusCode::CREATED, res).await else {
        return;
    };
    let id = id_of(&drill);
    w.ids.drills.push(id.clone());
    for (which, released, pillar) in [
        ("released", "2025-10-06T08:00", Pillar::Drill),
        ("unreleased", "2027-01-01T08:00", Pillar::DrillUnreleased),
    ] {
        let body = json!({
            "title": m.text("inject", "-", &format!("{which}-title"), pillar),
            "task": m.text("inject", "-", &format!("{which}-task"), pillar),
            "released_at": released,
            "deadline": "2027-01-02T08:00",
            "points": 100,
            "answers": [m.text("inject", "-", &format!("{which}-answer"), Pillar::DrillUnreleased)],
        });
        let res = coord
            .post_json(&format!("/api/v1/drills/{id}/injects"), &body)
            .await
            .parts();
        if let Some(i) = expect(f, "an inject", StatusCode::CREATED, res).await {
            w.ids.drill_injects.push((id.clone(), id_of(&i)));
        }
    }
    let res = coord
        .post_json(
            &format!("/api/v1/drills/{id}/state"),
            &json!({ "state": "open" }),
        )
        .await
        .parts();
    expect(f, "the drill opened", StatusCode::OK, res).await;
    if let Some((_, released)) = w.ids.drill_injects.first().cloned() {
        let res = app
            .bearer(w.token(Who::AResp))
            .post_json(
                &format!("/api/v1/drills/{id}/injects/{released}/answers"),
                &json!({ "answer": m.text("answer", "-", "text", Pillar::DrillAnswer) }),
            )
            .await
            .parts();
        expect(f, "A's answer", StatusCode::OK, res).await;
    }
    let res = coord
        .post_json(
            &format!("/api/v1/drills/{id}/state"),
            &json!({ "state": "frozen" }),
        )
        .await
        .parts();
    expect(f, "the drill frozen", StatusCode::OK, res).await;
}
