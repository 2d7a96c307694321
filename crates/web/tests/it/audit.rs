//! Every change is audited in its transaction; the chain exposes any edited or deleted entry.

use irnet_domain::{Grant, Role, Scope, TokenScope};
use irnet_store::audit::Verification;
use irnet_store::diesel::{self, RunQueryDsl};
use irnet_testkit::{Backend, TestApp, both, spawn_app};
use serde_json::Value;

async fn verify(app: &TestApp) -> Verification {
    irnet_app::audit::verify(&app.app).await.unwrap()
}

#[both]
async fn changes_are_audited_and_tampering_is_named(backend: Backend) {
    let (app, _db) = spawn_app(backend).await;
    let org = app.org("VNCERT/CC").await;
    app.account(
        "admin@vncert.vn",
        &org,
        vec![Grant::new(Role::Admin, Scope::Network).unwrap()],
    )
    .await;
    let token = app.token("admin@vncert.vn", TokenScope::Write).await;
    for n in 0..3 {
        let r = app
            .bearer(&token)
            .post_json(
                "/api/v1/organisations",
                &serde_json::json!({"name_vi": format!("Đơn vị {n}"), "kind": "enterprise"}),
            )
            .await;
        assert_eq!(r.status(), 201);
    }
    let page: Value = app
        .bearer(&token)
        .get("/api/v1/audit?action=org.created")
        .await
        .json();
    let items = page["items"].as_array().unwrap();
    // The operator created the first organisation; the admin the three others, newest first.
    assert_eq!(items.len(), 4, "{backend:?}");
    assert_eq!(items[0]["actor"], "admin@vncert.vn");
    assert_eq!(items[0]["summary"]["name_vi"], "Đơn vị 2");
    assert!(items[0]["request_id"].is_string());
    // Cursor pagination walks the same entries.
    let first: Value = app
        .bearer(&token)
        .get("/api/v1/audit?action=org.created&limit=3")
        .await
        .json();
    let cursor = first["next_cursor"].as_str().unwrap();
    let second: Value = app
        .bearer(&token)
        .get(&format!(
            "/api/v1/audit?action=org.created&limit=3&cursor={cursor}"
        ))
        .await
        .json();
    assert_eq!(second["items"].as_array().unwrap().len(), 1);
    assert!(second["next_cursor"].is_null());

    let Verification::Intact { entries } = verify(&app).await else {
        panic!("chain broken before tampering")
    };
    // 4 organisations, 1 account, 1 token.
    assert_eq!(entries, 6);

    let target = items[1]["seq"].as_i64().unwrap();
    let target_id = items[1]["id"].as_str().unwrap().to_owned();
    let sql =
        format!("UPDATE audit_log SET summary = '{{\"name_vi\":\"forged\"}}' WHERE seq = {target}");
    app.app
        .store
        .read(move |c| Ok::<_, irnet_store::StoreError>(diesel::sql_query(sql).execute(c)?))
        .await
        .unwrap();
    match verify(&app).await {
        Verification::Broken { seq, id, .. } => {
            assert_eq!(seq, Some(target));
            assert_eq!(id.as_deref(), Some(target_id.as_str()));
        }
        other => panic!("{backend:?}: edit not detected: {other:?}"),
    }
}

#[both]
async fn deleting_an_entry_in_the_middle_or_at_the_end_is_detected(backend: Backend) {
    for at_end in [false, true] {
        let (app, _db) = spawn_app(backend).await;
        for n in 0..4 {
            app.org(&format!("Đơn vị {n}")).await;
        }
        let sql = if at_end {
            "DELETE FROM audit_log WHERE seq = (SELECT MAX(seq) FROM audit_log)"
        } else {
            "DELETE FROM audit_log WHERE seq = (SELECT MIN(seq) + 1 FROM audit_log)"
        };
        app.app
            .store
            .read(move |c| Ok::<_, irnet_store::StoreError>(diesel::sql_query(sql).execute(c)?))
            .await
            .unwrap();
        let v = verify(&app).await;
        assert!(
            matches!(v, Verification::Broken { .. }),
            "{backend:?} at_end={at_end}: {v:?}"
        );
    }
}

/// An instance whose checkpoints go to a directory of its own, with five organisations created
/// and a checkpoint written after them: the log as an operator left it.
async fn checkpointed(
    backend: irnet_testkit::Backend,
) -> (TestApp, irnet_testkit::TestDb, std::path::PathBuf) {
    let db = irnet_testkit::TestDb::new(backend);
    let dir = std::env::temp_dir().join(format!("irnet-checkpoints-{}", uuid::Uuid::now_v7()));
    let settings = irnet_app::Settings {
        audit_checkpoint_dir: Some(dir.clone()),
        ..irnet_app::Settings::default()
    };
    let app = irnet_testkit::start(
        &db,
        std::sync::Arc::new(irnet_domain::FixedClock::new(irnet_testkit::test_epoch())),
        settings,
    )
    .await;
    for n in 0..5 {
        app.org(&format!("Đơn vị {n}")).await;
    }
    let written = irnet_app::audit::checkpoints::write(&app.app)
        .await
        .unwrap();
    assert!(written.is_some_and(|p| p.starts_with(&dir)));
    assert_eq!(verify(&app).await, Verification::Intact { entries: 5 });
    (app, db, dir)
}

async fn sql(app: &TestApp, statements: &[&str]) {
    for s in statements {
        let s = (*s).to_owned();
        app.app
            .store
            .read(move |c| Ok::<_, irnet_store::StoreError>(diesel::sql_query(s).execute(c)?))
            .await
            .unwrap();
    }
}

fn reason(v: &Verification) -> &str {
    match v {
        Verification::Broken { reason, .. } => reason,
        Verification::Intact { .. } => panic!("forgery not detected: {v:?}"),
    }
}

#[both]
async fn a_cut_tail_with_its_head_moved_back_is_named(backend: Backend) {
    let (app, _db, dir) = checkpointed(backend).await;
    // The last two entries go, and the head is made to point at the new last one, so the
    // chain itself is consistent.
    sql(
        &app,
        &[
            "DELETE FROM audit_log WHERE seq > 3",
            "UPDATE audit_head SET last_id = (SELECT id FROM audit_log WHERE seq = 3), hash = (SELECT hash FROM audit_log WHERE seq = 3)",
        ],
    )
    .await;
    let v = verify(&app).await;
    assert_eq!(
        reason(&v),
        "entries after #3 missing (checkpoint says #5, log ends at #3)",
        "{backend:?}"
    );
    // The periodic job refuses to sign the cut log as good.
    assert!(
        irnet_app::audit::checkpoints::write(&app.app)
            .await
            .is_err()
    );
    std::fs::remove_dir_all(dir).unwrap();
}

#[both]
async fn an_emptied_log_is_named(backend: Backend) {
    let (app, _db, dir) = checkpointed(backend).await;
    sql(&app, &["DELETE FROM audit_log", "DELETE FROM audit_head"]).await;
    let v = verify(&app).await;
    assert_eq!(
        reason(&v),
        "the log is empty but checkpoint #5 exists",
        "{backend:?}"
    );
    std::fs::remove_dir_all(dir).unwrap();
}

/// The chain as it was computed before it was keyed: SHA-256 over the previous hash and the
/// fields, which anyone with the database can recompute.
fn unkeyed(prev: &str, r: &irnet_store::audit::AuditRow) -> String {
    use sha2::{Digest, Sha256};
    let mut h = Sha256::new();
    let at = r.at.format("%Y-%m-%dT%H:%M:%S%.6fZ").to_string();
    for v in [
        Some(prev),
        Some(r.id.as_str()),
        Some(at.as_str()),
        r.actor_id.as_deref(),
        Some(r.actor.as_str()),
        r.actor_org_id.as_deref(),
        Some(r.action.as_str()),
        Some(r.object_type.as_str()),
        r.object_id.as_deref(),
        r.object_org_id.as_deref(),
        Some(r.summary.as_str()),
        r.request_id.as_deref(),
        r.client_addr.as_deref(),
    ] {
        match v {
            Some(s) => {
                h.update([0x1f]);
                h.update(s.as_bytes());
            }
            None => h.update([0x1e]),
        }
    }
    hex::encode(h.finalize())
}

#[both]
async fn an_edit_with_the_chain_recomputed_without_the_key_is_named(backend: Backend) {
    use irnet_store::diesel::prelude::*;
    use irnet_store::schema::{audit_head, audit_log};
    let (app, _db, dir) = checkpointed(backend).await;
    // Entry #3 is edited, and the chain from it on recomputed as the unkeyed chain was.
    app.app
        .store
        .read(|c| {
            let rows: Vec<irnet_store::audit::AuditRow> = audit_log::table
                .order(audit_log::seq)
                .select(irnet_store::audit::AuditRow::as_select())
                .load(c)?;
            let mut prev = rows[1].hash.clone();
            for mut r in rows.into_iter().skip(2) {
                if r.seq == 3 {
                    r.summary = r#"{"name_vi":"forged"}"#.to_owned();
                }
                let hash = unkeyed(&prev, &r);
                diesel::update(audit_log::table.find(r.seq))
                    .set((
                        audit_log::summary.eq(&r.summary),
                        audit_log::prev_hash.eq(&prev),
                        audit_log::hash.eq(&hash),
                    ))
                    .execute(c)?;
                diesel::update(audit_head::table.find(1))
                    .set((audit_head::last_id.eq(&r.id), audit_head::hash.eq(&hash)))
                    .execute(c)?;
                prev = hash;
            }
            Ok::<_, irnet_store::StoreError>(())
        })
        .await
        .unwrap();
    let v = verify(&app).await;
    assert_eq!(
        reason(&v),
        "entry #3 does not match its keyed hash (edited)",
        "{backend:?}"
    );
    std::fs::remove_dir_all(dir).unwrap();
}

/// The text of everything a reader gets from the log: the API's entries and the page, in English.
async fn log_as(app: &TestApp, token: &str) -> (Vec<Value>, String) {
    let (status, page) = app
        .bearer(token)
        .get("/api/v1/audit?limit=200")
        .await
        .parts();
    assert_eq!(status, 200, "{page}");
    let (status, html) = app
        .bearer(token)
        .lang("en")
        .get("/admin/audit")
        .await
        .page();
    assert_eq!(status, 200);
    (page["items"].as_array().unwrap().clone(), html)
}

fn entry<'a>(items: &'a [Value], action: &str) -> &'a Value {
    items
        .iter()
        .find(|e| e["action"] == action)
        .unwrap_or_else(|| panic!("no {action} entry"))
}

/// Markers carried by the RED incident (title, observable, file, comment) and by the files of a
/// RED and an AMBER+STRICT channel message.
const RED_MARKERS: [&str; 4] = [
    "Canary tiêu đề đỏ",
    "198.51.100.77",
    "canary-bang-chung.log",
    "canary-tin-do.pdf",
];
const STRICT_MARKER: &str = "canary-tin-rieng.pdf";

#[both]
async fn entries_show_their_details_only_to_readers_of_their_record(backend: Backend) {
    let (app, _db) = spawn_app(backend).await;
    irnet_app::demo::load(&app.app).await.unwrap();
    // Lạng Sơn: Bắc Kạn merged away on 01/07/2025 and files nothing in 2026.
    let lang_son = app.demo_org("Sở KH&CN Lạng Sơn").await;
    let cao_bang = app.demo_org("Sở KH&CN Cao Bằng").await;
    let grant = |role, org: &str| vec![Grant::new(role, Scope::Org(org.parse().unwrap())).unwrap()];
    app.account(
        "ungcuu.backan@test.vn",
        &lang_son,
        grant(Role::Responder, &lang_son),
    )
    .await;
    let named = app
        .account(
            "quantri1.backan@test.vn",
            &lang_son,
            grant(Role::OrgAdmin, &lang_son),
        )
        .await;
    app.account(
        "quantri2.backan@test.vn",
        &lang_son,
        grant(Role::OrgAdmin, &lang_son),
    )
    .await;
    app.account(
        "ungcuu.caobang@test.vn",
        &cao_bang,
        grant(Role::Responder, &cao_bang),
    )
    .await;
    let bk = app.token("ungcuu.backan@test.vn", TokenScope::Write).await;
    let cb = app.token("ungcuu.caobang@test.vn", TokenScope::Write).await;
    let named_admin = app.token("quantri1.backan@test.vn", TokenScope::Read).await;
    let other_admin = app.token("quantri2.backan@test.vn", TokenScope::Read).await;
    let admin = app.token("admin@demo.irnet.vn", TokenScope::Read).await;
    let coordinator = app.token("dieuphoi@demo.irnet.vn", TokenScope::Read).await;
    let post = |token: &str, path: &str, body: Value| {
        let (app, token, path) = (&app, token.to_owned(), path.to_owned());
        async move { app.bearer(&token).post_json(&path, &body).await.parts() }
    };

    // A RED incident of Lạng Sơn, its notice reaching the coordinator, naming one of its org admins.
    let (s, inc) = post(&bk, "/api/v1/incidents", serde_json::json!({"title": RED_MARKERS[0], "detected_at": "2026-03-01T08:00", "tlp": "RED", "submit": true})).await;
    assert_eq!(s, 201, "{inc}");
    let id = inc["id"].as_str().unwrap().to_owned();
    let (s, r) = post(
        &bk,
        &format!("/api/v1/incidents/{id}/shares"),
        serde_json::json!({"user_id": named.id}),
    )
    .await;
    assert_eq!(s, 200, "{r}");
    let (s, r) = post(
        &bk,
        &format!("/api/v1/incidents/{id}/observables"),
        serde_json::json!({"kind": "ip", "value": RED_MARKERS[1]}),
    )
    .await;
    assert_eq!(s, 201, "{r}");
    let res = app
        .bearer(&bk)
        .request(
            reqwest::Method::POST,
            &format!(
                "/api/v1/incidents/{id}/attachments?filename={}",
                RED_MARKERS[2]
            ),
        )
        .body("GET /wp-login.php 404\n")
        .send()
        .await;
    assert_eq!(res.status(), 201);
    // Files of a RED message naming nobody and of an AMBER+STRICT one, on the network channel.
    for (tlp, file) in [("RED", RED_MARKERS[3]), ("AMBER+STRICT", STRICT_MARKER)] {
        let res = app
            .bearer(&bk)
            .multipart(
                "/api/v1/channels/network/messages",
                &[("body", "Tin có tệp"), ("tlp", tlp)],
                file,
                "application/pdf",
                b"%PDF-1.4 canary",
            )
            .await;
        assert_eq!(res.status(), 201, "{tlp}");
    }
    // An anonymous sighting of Cao Bằng's GREEN indicator by Lạng Sơn.
    let (s, ind) = post(&cb, "/api/v1/indicators", serde_json::json!({"observables": [{"kind": "domain", "value": "canary.example"}], "tlp": "GREEN", "name": "Tên miền lạ"})).await;
    assert_eq!(s, 201, "{ind}");
    let (s, r) = post(
        &bk,
        &format!(
            "/api/v1/indicators/{}/sightings",
            ind["id"].as_str().unwrap()
        ),
        serde_json::json!({"kind": "seen", "anonymous": true}),
    )
    .await;
    assert_eq!(s, 200, "{r}");

    // The coordinator is named on the RED notice when it is submitted (the notice reaches it at
    // once), so it reads the incident's entries in full — but not the RED message's file nor the
    // AMBER+STRICT one, which it may not read.
    let (items, html) = log_as(&app, &coordinator).await;
    let text = serde_json::to_string(&items).unwrap();
    let added = entry(&items, "incident.attachment_added");
    assert_eq!(added["details_withheld"], false, "{backend:?}: {added}");
    assert!(
        text.contains(RED_MARKERS[2]),
        "{backend:?}: the incident's file"
    );
    for m in [RED_MARKERS[3], STRICT_MARKER] {
        assert!(
            !text.contains(m),
            "{backend:?} coordinator: {m} in the API log"
        );
        assert!(
            !html.contains(m),
            "{backend:?} coordinator: {m} on the log page"
        );
    }

    for (who, token, strict_readable) in [
        ("admin", &admin, false),
        ("org admin not named", &other_admin, true),
    ] {
        let (items, html) = log_as(&app, token).await;
        let text = serde_json::to_string(&items).unwrap();
        for m in RED_MARKERS {
            assert!(!text.contains(m), "{backend:?} {who}: {m} in the API log");
            assert!(!html.contains(m), "{backend:?} {who}: {m} on the log page");
        }
        assert_eq!(
            text.contains(STRICT_MARKER),
            strict_readable,
            "{backend:?} {who}"
        );
        assert_eq!(
            html.contains(STRICT_MARKER),
            strict_readable,
            "{backend:?} {who}"
        );
        // The entries are there, with who did what and when, and nothing of the record.
        let added = entry(&items, "incident.attachment_added");
        assert_eq!(added["actor"], "ungcuu.backan@test.vn", "{who}");
        assert_eq!(added["details_withheld"], true, "{who}");
        assert!(
            added["summary"].is_null() && added["object_id"].is_null(),
            "{who}: {added}"
        );
        // (in the reader's language: the demo accounts read Vietnamese)
        assert!(
            html.contains("A record you cannot open")
                || html.contains("Một hồ sơ bạn không có quyền mở"),
            "{who}"
        );
    }
    // The person named on the RED incident, with audit rights, sees its entries in full (and
    // not the RED message, which names nobody).
    let (items, html) = log_as(&app, &named_admin).await;
    let text = serde_json::to_string(&items).unwrap();
    for m in &RED_MARKERS[..3] {
        assert!(
            text.contains(m) && html.contains(m),
            "{backend:?}: named reader misses {m}"
        );
    }
    assert!(!text.contains(RED_MARKERS[3]) && !html.contains(RED_MARKERS[3]));
    assert_eq!(
        entry(&items, "incident.attachment_added")["details_withheld"],
        false
    );

    // The anonymous sighting: its actor hidden from the coordinator and the platform
    // administrator, shown to the reporter's own organisation only (as the sighting is).
    for token in [&coordinator, &admin] {
        let (items, _) = log_as(&app, token).await;
        let sighted = entry(&items, "indicator.sighted");
        assert_eq!(sighted["actor"], "anonymous", "{backend:?}");
        assert!(sighted["actor_id"].is_null() && sighted["client_addr"].is_null());
    }
    let (items, _) = log_as(&app, &other_admin).await;
    assert_eq!(
        entry(&items, "indicator.sighted")["actor"],
        "ungcuu.backan@test.vn"
    );
}

#[both]
async fn failed_sign_ins_wrong_codes_comments_exports_and_downloads_are_audited(backend: Backend) {
    let (app, _db) = spawn_app(backend).await;
    let org = app.org("Sở KH&CN Bắc Kạn").await;
    let grant = |role| vec![Grant::new(role, Scope::Org(org.parse().unwrap())).unwrap()];
    app.account("ungcuu@backan.gov.vn", &org, grant(Role::Responder))
        .await;
    app.account("quantri@backan.gov.vn", &org, grant(Role::OrgAdmin))
        .await;
    let admin_org = app.org("VNCERT/CC").await;
    app.account(
        "admin@vncert.vn",
        &admin_org,
        vec![Grant::new(Role::Admin, Scope::Network).unwrap()],
    )
    .await;
    let bk = app.token("ungcuu@backan.gov.vn", TokenScope::Write).await;
    let admin = app.token("admin@vncert.vn", TokenScope::Read).await;

    // A wrong password for an account and for an address with no account.
    for email in ["ungcuu@backan.gov.vn", "khongco@backan.gov.vn"] {
        let (_, r) = app.sign_in(email, "sai mật khẩu").await;
        assert_ne!(r.status(), 303);
    }
    // A wrong second factor after the right password.
    // Enrolment needs a signed-in browser that has just given the password (a token manages
    // no credential): the page shows the secret, a code from the app confirms it.
    let (enrol, _) = app
        .sign_in("quantri@backan.gov.vn", irnet_testkit::PASSWORD)
        .await;
    let page = enrol.get("/profile/mfa").await.text();
    let marker = "id=\"mfa-secret\" class=\"secret-text\">";
    let at = page
        .find(marker)
        .expect("the enrolment page shows the secret")
        + marker.len();
    let secret = page[at..at + page[at..].find('<').unwrap()].to_owned();
    let now = irnet_domain::Clock::now(app.clock.as_ref());
    let code = irnet_app::identity::mfa::code_at(&secret, now).unwrap();
    let csrf = irnet_testkit::form_token(&page);
    let r = enrol
        .post_form(
            "/profile/mfa",
            &[("csrf_token", csrf.as_str()), ("code", code.as_str())],
        )
        .await;
    assert_eq!(r.status(), 200);
    let (client, _) = app
        .sign_in("quantri@backan.gov.vn", irnet_testkit::PASSWORD)
        .await;
    let page = client.get("/login/mfa").await.text();
    let csrf = irnet_testkit::form_token(&page);
    let r = client
        .post_form(
            "/login/mfa",
            &[("csrf_token", csrf.as_str()), ("code", "000000")],
        )
        .await;
    assert_eq!(r.status(), 401);

    // A comment, a file and its download.
    let (s, inc) = app.bearer(&bk).post_json("/api/v1/incidents", &serde_json::json!({"title": "Mã độc", "detected_at": "2026-03-01T08:00", "submit": true})).await.parts();
    assert_eq!(s, 201, "{inc}");
    let id = inc["id"].as_str().unwrap();
    let (s, r) = app
        .bearer(&bk)
        .post_json(
            &format!("/api/v1/incidents/{id}/comments"),
            &serde_json::json!({"text": "Đã cô lập máy chủ."}),
        )
        .await
        .parts();
    assert_eq!(s, 201, "{r}");
    let a: Value = app
        .bearer(&bk)
        .request(
            reqwest::Method::POST,
            &format!("/api/v1/incidents/{id}/attachments?filename=nhat-ky.log"),
        )
        .body("log\n")
        .send()
        .await
        .json();
    let r = app
        .bearer(&bk)
        .get(&format!(
            "/api/v1/incidents/{id}/attachments/{}",
            a["id"].as_str().unwrap()
        ))
        .await;
    assert_eq!(r.status(), 200);
    // Exports: STIX, MISP, the directory's people.
    for path in [
        "/api/v1/stix/export",
        "/api/v1/misp/events",
        "/api/v1/people/export.xlsx",
    ] {
        let r = app.bearer(&bk).get(path).await;
        assert_eq!(r.status(), 200, "{path}");
    }

    let (_, page) = app
        .bearer(&admin)
        .get("/api/v1/audit?limit=200")
        .await
        .parts();
    let items = page["items"].as_array().unwrap();
    let failed: Vec<&Value> = items
        .iter()
        .filter(|e| e["action"] == "auth.sign_in_failed")
        .collect();
    assert_eq!(failed.len(), 2, "{backend:?}");
    // The entries of a known and an unknown address differ only in the address typed.
    for f in &failed {
        assert!(
            f["object_id"].is_null() && f["object_org_id"].is_null(),
            "{f}"
        );
        assert_eq!(f["summary"]["failures"], 1);
    }
    let mfa = entry(items, "auth.mfa_failed");
    assert_eq!(mfa["summary"]["email"], "quantri@backan.gov.vn");
    for action in ["export.stix", "export.misp", "export.directory.people"] {
        assert_eq!(
            entry(items, action)["actor"],
            "ungcuu@backan.gov.vn",
            "{action}"
        );
    }
    // The comment and the download are entries about the incident: the administrator, outside
    // its audience, is told only that they happened; Bắc Kạn's org admin reads them.
    assert_eq!(
        entry(items, "incident.attachment_downloaded")["details_withheld"],
        true
    );
    let quantri = app.token("quantri@backan.gov.vn", TokenScope::Read).await;
    let (_, page) = app
        .bearer(&quantri)
        .get("/api/v1/audit?limit=200")
        .await
        .parts();
    let items = page["items"].as_array().unwrap();
    assert_eq!(entry(items, "incident.commented")["object_id"], id);
    let download = entry(items, "incident.attachment_downloaded");
    assert_eq!(download["summary"]["filename"], "nhat-ky.log");
    assert_eq!(download["actor"], "ungcuu@backan.gov.vn");
}
