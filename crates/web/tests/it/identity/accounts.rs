//! Who may see and change accounts: the one policy, applied in SQL for lists.

use irnet_app::identity::users::UserView;
use irnet_domain::{Role, TokenScope};
use irnet_testkit::{Backend, both, org_grant, spawn_app};
use irnet_web::api::PageOf;
use serde_json::Value;

#[both]
async fn an_org_admin_manages_only_their_organisation(backend: Backend) {
    let (app, _db) = spawn_app(backend).await;
    let cao_bang = app.org("Sở Khoa học và Công nghệ tỉnh Cao Bằng").await;
    let lang_son = app.org("Sở Khoa học và Công nghệ tỉnh Lạng Sơn").await;
    app.account(
        "admin@caobang.gov.vn",
        &cao_bang,
        vec![org_grant(Role::OrgAdmin, &cao_bang)],
    )
    .await;
    let outsider = app.account("mai@langson.gov.vn", &lang_son, vec![]).await;
    let admin = app.client_of("admin@caobang.gov.vn").await;

    let list: PageOf<UserView> = admin.get("/api/v1/users").await.json();
    let emails: Vec<&str> = list.items.iter().map(|u| u.email.as_str()).collect();
    assert_eq!(emails, vec!["admin@caobang.gov.vn"], "{backend:?}");
    let r = admin.get(&format!("/api/v1/users/{}", outsider.id)).await;
    assert_eq!(
        r.status(),
        404,
        "another organisation's account must not be found"
    );

    let mk = |org: &str, roles: Value| serde_json::json!({"email": format!("new{}@x.vn", org.len()), "display_name": "Mới", "org_id": org, "password": "a long enough password", "roles": roles});
    let r = admin
        .post_json("/api/v1/users", &mk(&lang_son, serde_json::json!([])))
        .await;
    assert_eq!(r.status(), 403);
    let r = admin
        .post_json(
            "/api/v1/users",
            &mk(
                &cao_bang,
                serde_json::json!([{"role": "admin", "scope": "network"}]),
            ),
        )
        .await;
    assert_eq!(
        r.status(),
        403,
        "an org admin granted platform administration"
    );
    let r = admin
        .post_json(
            "/api/v1/users",
            &mk(
                &cao_bang,
                serde_json::json!([{"role": "responder", "scope": "org", "scope_id": cao_bang}]),
            ),
        )
        .await;
    assert_eq!(r.status(), 201);

    let audit = admin.get("/api/v1/audit").await;
    let entries: Value = audit.json();
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
        app.bearer(&outsider_token)
            .get("/api/v1/audit")
            .await
            .status(),
        403
    );
}
