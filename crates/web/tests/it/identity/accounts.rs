//! Who may see and change accounts: the one policy, applied in SQL for lists.

use irnet_domain::ids::OrgId;
use irnet_domain::{Grant, Role, Scope, TokenScope};
use irnet_testkit::{Backend, both, spawn_app};
use serde_json::Value;

#[both]
async fn an_org_admin_manages_only_their_organisation(backend: Backend) {
    let (app, _db) = spawn_app(backend).await;
    let cao_bang = app.org("Sở Khoa học và Công nghệ tỉnh Cao Bằng").await;
    let lang_son = app.org("Sở Khoa học và Công nghệ tỉnh Lạng Sơn").await;
    let org_admin =
        |o: &str| Grant::new(Role::OrgAdmin, Scope::Org(OrgId::parse(o).unwrap())).unwrap();
    app.account(
        "admin@caobang.gov.vn",
        &cao_bang,
        vec![org_admin(&cao_bang)],
    )
    .await;
    let outsider = app.account("mai@langson.gov.vn", &lang_son, vec![]).await;
    let token = app.token("admin@caobang.gov.vn", TokenScope::Write).await;
    let http = reqwest::Client::new();

    let list: Value = http
        .get(app.api("/api/v1/users"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let emails: Vec<&str> = list["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u["email"].as_str().unwrap())
        .collect();
    assert_eq!(emails, vec!["admin@caobang.gov.vn"], "{backend:?}");
    let r = http
        .get(app.api(&format!("/api/v1/users/{}", outsider.id)))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(
        r.status(),
        404,
        "another organisation's account must not be found"
    );

    let mk = |org: &str, roles: Value| serde_json::json!({"email": format!("new{}@x.vn", org.len()), "display_name": "Mới", "org_id": org, "password": "a long enough password", "roles": roles});
    let r = http
        .post(app.api("/api/v1/users"))
        .bearer_auth(&token)
        .json(&mk(&lang_son, serde_json::json!([])))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 403);
    let r = http
        .post(app.api("/api/v1/users"))
        .bearer_auth(&token)
        .json(&mk(
            &cao_bang,
            serde_json::json!([{"role": "admin", "scope": "network"}]),
        ))
        .send()
        .await
        .unwrap();
    assert_eq!(
        r.status(),
        403,
        "an org admin granted platform administration"
    );
    let r = http
        .post(app.api("/api/v1/users"))
        .bearer_auth(&token)
        .json(&mk(
            &cao_bang,
            serde_json::json!([{"role": "responder", "scope": "org", "scope_id": cao_bang}]),
        ))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 201);

    let audit = http
        .get(app.api("/api/v1/audit"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    let entries: Value = audit.json().await.unwrap();
    assert!(
        entries["items"]
            .as_array()
            .unwrap()
            .iter()
            .all(
                |e| e["object_org_id"] == cao_bang.as_str() || e["actor"] == "admin@caobang.gov.vn"
            ),
        "{entries}"
    );

    let outsider_token = app.token("mai@langson.gov.vn", TokenScope::Write).await;
    assert_eq!(
        http.get(app.api("/api/v1/audit"))
            .bearer_auth(&outsider_token)
            .send()
            .await
            .unwrap()
            .status(),
        403
    );
}
