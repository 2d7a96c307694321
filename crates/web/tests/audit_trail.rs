//! Every change is audited in its transaction; the chain exposes any edited or deleted entry.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // a failed unwrap in a test is a failed assertion

use irnet_domain::{Grant, Role, Scope, TokenScope};
use irnet_store::audit::{Verification, verify};
use irnet_store::diesel::{self, RunQueryDsl};
use irnet_testkit::{backends, spawn_app};
use serde_json::Value;

#[tokio::test]
async fn changes_are_audited_and_tampering_is_named() {
    for backend in backends() {
        let (app, _db) = spawn_app(backend).await;
        let org = app.org("VNCERT/CC").await;
        app.account(
            "admin@vncert.vn",
            &org,
            vec![Grant::new(Role::Admin, Scope::Network).unwrap()],
        )
        .await;
        let token = app.token("admin@vncert.vn", TokenScope::Write).await;
        let http = reqwest::Client::new();
        for n in 0..3 {
            let r = http
                .post(app.api("/api/v1/organisations"))
                .bearer_auth(&token)
                .json(&serde_json::json!({"name_vi": format!("Đơn vị {n}"), "kind": "enterprise"}))
                .send()
                .await
                .unwrap();
            assert_eq!(r.status(), 201);
        }
        let page: Value = http
            .get(app.api("/api/v1/audit?action=org.created"))
            .bearer_auth(&token)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        let items = page["items"].as_array().unwrap();
        // The operator created the first organisation; the admin the three others, newest first.
        assert_eq!(items.len(), 4, "{backend:?}");
        assert_eq!(items[0]["actor"], "admin@vncert.vn");
        assert_eq!(items[0]["summary"]["name_vi"], "Đơn vị 2");
        assert!(items[0]["request_id"].is_string());
        // Cursor pagination walks the same entries.
        let first: Value = http
            .get(app.api("/api/v1/audit?action=org.created&limit=3"))
            .bearer_auth(&token)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        let cursor = first["next_cursor"].as_str().unwrap();
        let second: Value = http
            .get(app.api(&format!(
                "/api/v1/audit?action=org.created&limit=3&cursor={cursor}"
            )))
            .bearer_auth(&token)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        assert_eq!(second["items"].as_array().unwrap().len(), 1);
        assert!(second["next_cursor"].is_null());

        let check = |app: &irnet_testkit::TestApp| {
            let store = app.app.store.clone();
            async move { store.read(verify).await.unwrap() }
        };
        let Verification::Intact { entries } = check(&app).await else {
            panic!("chain broken before tampering")
        };
        // 4 organisations, 1 account, 1 token.
        assert_eq!(entries, 6);

        let target = items[1]["seq"].as_i64().unwrap();
        let target_id = items[1]["id"].as_str().unwrap().to_owned();
        let sql = format!(
            "UPDATE audit_log SET summary = '{{\"name_vi\":\"forged\"}}' WHERE seq = {target}"
        );
        app.app
            .store
            .read(move |c| Ok::<_, irnet_store::StoreError>(diesel::sql_query(sql).execute(c)?))
            .await
            .unwrap();
        match check(&app).await {
            Verification::Broken { seq, id, .. } => {
                assert_eq!(seq, Some(target));
                assert_eq!(id.as_deref(), Some(target_id.as_str()));
            }
            other => panic!("{backend:?}: edit not detected: {other:?}"),
        }
    }
}

#[tokio::test]
async fn deleting_an_entry_in_the_middle_or_at_the_end_is_detected() {
    for backend in backends() {
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
            let v = app.app.store.read(verify).await.unwrap();
            assert!(
                matches!(v, Verification::Broken { .. }),
                "{backend:?} at_end={at_end}: {v:?}"
            );
        }
    }
}
