//! Editing and removing people and information systems: the same checks as creating them, only
//! by those who may edit the organisation, audited, and not found for outsiders.

use super::org_id;
use irnet_domain::TokenScope;
use irnet_testkit::{Backend, both, form_token, spawn_app};
use serde_json::{Value, json};

fn person_named<'a>(people: &'a Value, given: &str) -> &'a Value {
    people
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["given_name"] == given)
        .unwrap_or_else(|| panic!("no {given} in {people}"))
}

#[both]
async fn people_are_edited_and_removed_by_those_who_may_and_focal_points_only_once_replaced(
    backend: Backend,
) {
    let (app, _db) = spawn_app(backend).await;
    irnet_app::demo::load(&app.app).await.unwrap();
    // Cao Bằng leads Cluster 1 in 2025 (a lead grant counts only in its organisation's lead year).
    app.set_local_time(2025, 12, 15, 9, 0);
    let coordinator = app.token("dieuphoi@demo.irnet.vn", TokenScope::Write).await;
    let outsider = app
        .token("ungcuu.langson@demo.irnet.vn", TokenScope::Write)
        .await;
    let lead = app
        .token("cumtruong@demo.irnet.vn", TokenScope::Write)
        .await;
    let cao_bang = org_id(&app, &coordinator, "cao+bang").await;
    let people = app
        .bearer(&coordinator)
        .get(&format!("/api/v1/organisations/{cao_bang}/people"))
        .await
        .json::<Value>();
    let anh = person_named(&people, "Ánh")["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let path = format!("/api/v1/people/{anh}");
    let body = json!({"family_name": "Bế", "middle_name": "Thị", "given_name": "Ánh", "title": "Phó trưởng phòng", "phones": ["0206 3852 499"], "emails": ["anh.caobang@demo.irnet.vn"]});

    // The Lạng Sơn responder: Cao Bằng's people do not exist, to read, change or remove.
    for r in [
        app.bearer(&outsider).get(&path).await,
        app.bearer(&outsider).put_json(&path, &body).await,
        app.bearer(&outsider).delete(&path).await,
    ] {
        assert_eq!(r.status(), 404, "{backend:?}");
        assert!(!r.text().contains("Ánh"));
    }
    // The cluster lead reads but does not edit another member's directory.
    let r = app.bearer(&lead).put_json(&path, &body).await;
    assert_eq!(r.status(), 403);

    // Bad input names each field and changes nothing.
    let r = app.bearer(&coordinator).put_json(&path, &json!({"family_name": "", "given_name": "Ánh", "phones": ["0206"], "emails": ["anh@"]})).await;
    assert_eq!(r.status(), 422);
    let p: Value = r.json();
    let fields: Vec<&str> = p["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["field"].as_str().unwrap())
        .collect();
    assert_eq!(fields, ["family_name", "phones[0]", "emails[0]"]);
    assert_eq!(
        app.bearer(&coordinator).get(&path).await.json::<Value>()["title"],
        "Chuyên viên ứng cứu sự cố"
    );

    let r = app.bearer(&coordinator).put_json(&path, &body).await;
    assert_eq!(r.status(), 200);
    let after: Value = r.json();
    assert_eq!(after["title"], "Phó trưởng phòng");
    assert_eq!(after["phones"], json!(["0206 3852 499"]));

    // Ánh is the backup focal point: not removable until someone else is named.
    let r = app.bearer(&coordinator).delete(&path).await;
    assert_eq!(r.status(), 409);
    let p: Value = r.json();
    assert_eq!(p["code"], "person_is_focal_point");
    assert!(p["title"].as_str().unwrap().contains("đầu mối"), "{p}");
    let new: Value = app
        .bearer(&coordinator)
        .post_json(
            &format!("/api/v1/organisations/{cao_bang}/people"),
            &json!({"family_name": "Đàm", "given_name": "Sơn"}),
        )
        .await
        .json();
    let r = app
        .bearer(&coordinator)
        .put_json(
            &format!("/api/v1/organisations/{cao_bang}/focal-points/backup"),
            &json!({"person_id": new["id"]}),
        )
        .await;
    assert_eq!(r.status(), 200);
    // Ánh is also the team's deputy: the member profile must let go of her first.
    let r = app.bearer(&coordinator).delete(&path).await;
    assert_eq!(r.status(), 409);
    let p: Value = r.json();
    assert_eq!(p["code"], "person_in_profile");
    let team_path = format!("/api/v1/organisations/{cao_bang}/team");
    let mut team = app
        .bearer(&coordinator)
        .get(&team_path)
        .await
        .json::<Value>();
    let members: Vec<Value> = team["members"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|m| m["person"]["id"] != anh.as_str())
        .map(|m| json!({"person_id": m["person"]["id"], "role": m["role"]}))
        .collect();
    team = json!({
        "decision_number": team["decision_number"],
        "decision_date": team["decision_date"],
        "decision_issuer": team["decision_issuer"],
        "members": members,
    });
    let r = app.bearer(&coordinator).put_json(&team_path, &team).await;
    assert_eq!(r.status(), 200, "{}", r.text());
    // …and she is one of its experts.
    let experts_path = format!("/api/v1/organisations/{cao_bang}/experts");
    let experts = app
        .bearer(&coordinator)
        .get(&experts_path)
        .await
        .json::<Value>();
    for e in experts.as_array().unwrap() {
        if e["person"]["id"] == anh.as_str() {
            let r = app
                .bearer(&coordinator)
                .delete(&format!("{experts_path}/{}", e["id"].as_str().unwrap()))
                .await;
            assert!(r.status().is_success(), "{}", r.status());
        }
    }
    let r = app.bearer(&coordinator).delete(&path).await;
    assert_eq!(r.status(), 204);
    let r = app.bearer(&coordinator).get(&path).await;
    assert_eq!(r.status(), 404);

    // Both changes are in the audit trail.
    let audit = app
        .bearer(&coordinator)
        .get("/api/v1/audit?limit=20")
        .await
        .json::<Value>();
    let actions: Vec<&str> = audit["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["action"].as_str().unwrap())
        .collect();
    assert!(
        actions.contains(&"person.updated") && actions.contains(&"person.deleted"),
        "{actions:?}"
    );
}

#[both]
async fn systems_are_edited_and_removed_with_the_same_checks_as_on_creation(backend: Backend) {
    let (app, _db) = spawn_app(backend).await;
    irnet_app::demo::load(&app.app).await.unwrap();
    let coordinator = app.token("dieuphoi@demo.irnet.vn", TokenScope::Write).await;
    let outsider = app
        .token("ungcuu.langson@demo.irnet.vn", TokenScope::Write)
        .await;
    let cao_bang = org_id(&app, &coordinator, "cao+bang").await;
    let systems = app
        .bearer(&coordinator)
        .get(&format!("/api/v1/organisations/{cao_bang}/systems"))
        .await
        .json::<Value>();
    let id = systems[0]["id"].as_str().unwrap().to_owned();
    let path = format!("/api/v1/systems/{id}");
    let body = json!({"name": "Cơ sở dữ liệu dùng chung tỉnh Cao Bằng", "approved_level": 3, "approval_decision": "45/QĐ-UBND", "approval_date": "2024-06-12", "domains": ["csdl.caobang.gov.vn"], "ip_ranges": ["203.113.10.0/24"], "critical": true});

    for r in [
        app.bearer(&outsider).put_json(&path, &body).await,
        app.bearer(&outsider).delete(&path).await,
    ] {
        assert_eq!(r.status(), 404, "{backend:?}");
    }

    let r = app.bearer(&coordinator).put_json(&path, &json!({"name": "X", "approved_level": 7, "ip_ranges": ["10.0.0.0/33"], "public_urls": ["javascript:alert(1)"]})).await;
    assert_eq!(r.status(), 422);
    let p: Value = r.json();
    let fields: Vec<&str> = p["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["field"].as_str().unwrap())
        .collect();
    assert_eq!(fields, ["approved_level", "public_urls[0]", "ip_ranges[0]"]);

    let r = app.bearer(&coordinator).put_json(&path, &body).await;
    assert_eq!(r.status(), 200);
    let after: Value = r.json();
    assert_eq!(after["approval_decision"], "45/QĐ-UBND");
    assert_eq!(after["critical"], true);
    assert_eq!(after["owner_org_id"], cao_bang.as_str());

    let r = app.bearer(&coordinator).delete(&path).await;
    assert_eq!(r.status(), 204);
    let r = app.bearer(&coordinator).get(&path).await;
    assert_eq!(r.status(), 404);
}

#[both]
async fn the_people_and_systems_pages_edit_for_org_admins_and_do_not_exist_for_outsiders(
    backend: Backend,
) {
    let (app, _db) = spawn_app(backend).await;
    irnet_app::demo::load(&app.app).await.unwrap();
    let token = app.token("dieuphoi@demo.irnet.vn", TokenScope::Read).await;
    let thai_nguyen = org_id(&app, &token, "thai+nguyen").await;
    let cao_bang = org_id(&app, &token, "cao+bang").await;

    let (outsider, _) = app
        .sign_in("ungcuu.langson@demo.irnet.vn", "demo-responder-2024")
        .await;
    for path in [
        format!("/orgs/{cao_bang}/people"),
        format!("/orgs/{cao_bang}/systems"),
    ] {
        let r = outsider.get(&path).await;
        assert_eq!(r.status(), 404, "{backend:?} {path}");
        assert!(!r.text().contains("Dũng"));
    }

    let (admin, _) = app
        .sign_in("quantri.thainguyen@demo.irnet.vn", "demo-orgadmin-2024")
        .await;
    let page = admin
        .get(&format!("/orgs/{thai_nguyen}/people"))
        .await
        .text();
    assert!(
        page.contains("Đỗ Minh Khôi") && page.contains("Thêm cán bộ"),
        "{page}"
    );
    let csrf = form_token(&page);
    let people = app
        .bearer(&token)
        .get(&format!("/api/v1/organisations/{thai_nguyen}/people"))
        .await
        .json::<Value>();
    let khoi = person_named(&people, "Khôi")["id"]
        .as_str()
        .unwrap()
        .to_owned();

    // A bad email: the page says which field, and nothing changes.
    let r = admin
        .post_form(
            &format!("/people/{khoi}/edit"),
            &[
                ("csrf_token", csrf.as_str()),
                ("family_name", "Đỗ"),
                ("middle_name", "Minh"),
                ("given_name", "Khôi"),
                ("title", "Kỹ sư"),
                ("phones", "0208 3856 602"),
                ("emails", "khoi@"),
            ],
        )
        .await;
    assert_eq!(r.status(), 422);
    assert!(r.text().contains("Email: Địa chỉ email không hợp lệ."));

    let r = admin
        .post_form(
            &format!("/people/{khoi}/edit"),
            &[
                ("csrf_token", csrf.as_str()),
                ("family_name", "Đỗ"),
                ("middle_name", "Minh"),
                ("given_name", "Khôi"),
                ("title", "Trưởng nhóm ứng cứu"),
                ("phones", "0208 3856 602; 0912 000 602"),
                ("emails", "khoi.thainguyen@demo.irnet.vn"),
            ],
        )
        .await;
    assert_eq!(r.status(), 303);
    let after = app
        .bearer(&token)
        .get(&format!("/api/v1/people/{khoi}"))
        .await
        .json::<Value>();
    assert_eq!(after["title"], "Trưởng nhóm ứng cứu");
    assert_eq!(after["phones"], json!(["0208 3856 602", "0912 000 602"]));

    // Adding a system from its page, then removing it.
    let r = admin
        .post_form(
            &format!("/orgs/{thai_nguyen}/systems"),
            &[
                ("csrf_token", csrf.as_str()),
                ("name", "Hệ thống một cửa điện tử"),
                ("approved_level", "2"),
                ("approval_date", "2024-03-15"),
                ("domains", "motcua.thainguyen.gov.vn"),
                ("internet_facing", "1"),
            ],
        )
        .await;
    assert_eq!(r.status(), 303);
    let page = admin
        .get(&format!("/orgs/{thai_nguyen}/systems"))
        .await
        .text();
    assert!(page.contains("Hệ thống một cửa điện tử"));
    let systems = app
        .bearer(&token)
        .get(&format!("/api/v1/organisations/{thai_nguyen}/systems"))
        .await
        .json::<Value>();
    let added = systems
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["name"] == "Hệ thống một cửa điện tử")
        .unwrap();
    assert_eq!(added["internet_facing"], true);
    assert_eq!(added["approval_date"], "2024-03-15");
    let r = admin
        .post_form(
            &format!("/systems/{}/delete", added["id"].as_str().unwrap()),
            &[("csrf_token", csrf.as_str())],
        )
        .await;
    assert_eq!(r.status(), 303);
    let r = app
        .bearer(&token)
        .get(&format!(
            "/api/v1/systems/{}",
            added["id"].as_str().unwrap()
        ))
        .await;
    assert_eq!(r.status(), 404);
}
