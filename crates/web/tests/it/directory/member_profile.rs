//! The member profile (Mẫu 01): Cao Bằng's team, capabilities, staff and experts in the demo; the
//! whole profile as JSON and DOCX; edits with their refusals; and the private part reaching only
//! Cao Bằng, its cluster lead and the coordinator.

use irnet_domain::{Grant, Role, Scope, TokenScope};
use irnet_testkit::{Backend, TestApp, both, form_token, spawn_app};
use reqwest::Method;
use serde_json::{Value, json};

async fn find(app: &TestApp, token: &str, q: &str) -> String {
    let hits: Value = app
        .bearer(token)
        .get(&format!("/api/v1/organisations/search?q={q}"))
        .await
        .json();
    hits[0]["org"]["id"].as_str().unwrap().to_owned()
}

/// Records `org` as the lead of its cluster for 2026, the tests' year: a lead grant counts only
/// in a year its organisation leads the cluster, and the demo records leads for 2024 and 2025.
async fn lead_in_2026(app: &irnet_testkit::TestApp, org: &str) {
    let org = org.to_owned();
    let today = app.app.today();
    app.app
        .store
        .write(move |conn| {
            use irnet_store::directory::clusters;
            for cluster_id in clusters::clusters_of_org(conn, &org, today)? {
                clusters::insert_lead(
                    conn,
                    &clusters::LeadRow {
                        id: format!("lead-2026-{cluster_id}"),
                        cluster_id,
                        year: 2026,
                        org_id: org.clone(),
                        handed_over_on: None,
                        handed_over_from: None,
                        handover_event: None,
                        handed_over_by: None,
                    },
                )?;
            }
            Ok::<_, irnet_app::AppError>(())
        })
        .await
        .unwrap();
}

#[both]
async fn cao_bangs_profile_reaches_only_it_its_lead_and_the_coordinator_as_json_docx_and_page(
    backend: Backend,
) {
    let (app, _db) = spawn_app(backend).await;
    irnet_app::demo::load(&app.app).await.unwrap();
    let coordinator = app.token("dieuphoi@demo.irnet.vn", TokenScope::Read).await;
    let lead = app.token("cumtruong@demo.irnet.vn", TokenScope::Read).await;
    let lang_son = app
        .token("ungcuu.langson@demo.irnet.vn", TokenScope::Write)
        .await;
    let cao_bang = find(&app, &coordinator, "cao%20bang").await;
    lead_in_2026(&app, &cao_bang).await;

    // The whole profile, as the coordinator reads it.
    let p: Value = app
        .bearer(&coordinator)
        .get(&format!("/api/v1/organisations/{cao_bang}/profile"))
        .await
        .json();
    assert_eq!(
        p["organisation"]["name_vi"], "Sở Khoa học và Công nghệ tỉnh Cao Bằng",
        "{backend:?}"
    );
    assert_eq!(p["organisation"]["clusters"][0]["number"], 1);
    assert_eq!(p["team"]["decision_number"], "125/QĐ-SKHCN");
    let roles: Vec<(&str, &str)> = p["team"]["members"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| {
            (
                m["person"]["full_name"].as_str().unwrap(),
                m["role"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        roles,
        [("Nông Văn Dũng", "leader"), ("Bế Thị Ánh", "deputy")]
    );
    assert_eq!(p["focal_points"][0]["kind"], "main");
    assert_eq!(p["focal_points"][0]["person"]["full_name"], "Nông Văn Dũng");
    assert_eq!(p["capabilities"][0]["skill"], "incident_handling");
    assert_eq!(p["capabilities"][0]["level"], "advanced");
    assert_eq!(p["staff"]["by_field"]["security"], 6);
    assert_eq!(p["staff"]["by_degree"]["master"], 4);
    assert!(
        p["staff"]["certificates"]
            .as_array()
            .unwrap()
            .iter()
            .any(|c| c["name"] == "CEH" && c["count"] == 2)
    );
    assert_eq!(p["experts"][0]["person"]["full_name"], "Bế Thị Ánh");
    assert_eq!(p["confirmed_on"], "2026-01-15");
    let systems: Vec<&str> = p["systems"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["name"].as_str().unwrap())
        .collect();
    assert_eq!(
        systems,
        ["Cơ sở dữ liệu dùng chung tại Trung tâm Tích hợp dữ liệu tỉnh Cao Bằng"]
    );
    // As of 2024 the organisation had its former name.
    let old: Value = app
        .bearer(&lead)
        .get(&format!(
            "/api/v1/organisations/{cao_bang}/profile?as_of=2024-12-31"
        ))
        .await
        .json();
    assert_eq!(
        old["organisation"]["name_vi"],
        "Sở Thông tin và Truyền thông tỉnh Cao Bằng"
    );

    // The DOCX: a zip whose document holds the form's title, focal points and systems.
    let r = app
        .bearer(&coordinator)
        .get(&format!("/api/v1/organisations/{cao_bang}/profile.docx"))
        .await;
    assert_eq!(r.status(), 200);
    assert_eq!(
        r.headers()["content-type"],
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    );
    let disposition = r.headers()["content-disposition"]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(
        disposition.starts_with("attachment; filename=\"mau-01-so-kh-cn-cao-bang-2026-03-02.docx\"; filename*=UTF-8''M%E1%BA%ABu%2001"),
        "{disposition}"
    );
    let xml = irnet_testkit::docx_xml(r.bytes());
    for expected in [
        "Mẫu 01",
        "THÔNG TIN THÀNH VIÊN MẠNG LƯỚI ỨNG CỨU SỰ CỐ",
        "Nông Văn Dũng",
        "Bế Thị Ánh",
        "Cơ sở dữ liệu dùng chung tại Trung tâm Tích hợp dữ liệu tỉnh Cao Bằng",
        "125/QĐ-SKHCN",
        "ngày 02 tháng 3 năm 2026",
    ] {
        assert!(xml.contains(expected), "{expected} missing from the DOCX");
    }

    // The cluster lead (Cao Bằng itself leads Cluster 1 in 2025) reads it too.
    for path in ["profile", "profile.docx", "team", "staff"] {
        let r = app
            .bearer(&lead)
            .get(&format!("/api/v1/organisations/{cao_bang}/{path}"))
            .await;
        assert_eq!(r.status(), 200, "{path}");
    }

    // Lạng Sơn's responder: none of it exists, read or write.
    for path in [
        "profile",
        "profile.docx",
        "team",
        "capabilities",
        "staff",
        "experts",
    ] {
        let r = app
            .bearer(&lang_son)
            .get(&format!("/api/v1/organisations/{cao_bang}/{path}"))
            .await;
        assert_eq!(r.status(), 404, "{path} {backend:?}");
        let body = r.text();
        assert!(!body.contains("Nông Văn Dũng"));
    }
    let expert_id = p["experts"][0]["id"].as_str().unwrap();
    let outsider = app.bearer(&lang_son);
    let base = format!("/api/v1/organisations/{cao_bang}");
    let writes = [
        outsider
            .put_json(&format!("{base}/team"), &json!({"members": []}))
            .await,
        outsider
            .put_json(
                &format!("{base}/capabilities"),
                &json!({"capabilities": []}),
            )
            .await,
        outsider
            .put_json(&format!("{base}/staff"), &json!({}))
            .await,
        outsider
            .post_json(
                &format!("{base}/experts"),
                &json!({"person_id": "x", "expertise": "x"}),
            )
            .await,
        outsider
            .delete(&format!("{base}/experts/{expert_id}"))
            .await,
        outsider
            .request(Method::POST, &format!("{base}/profile/confirm"))
            .send()
            .await,
    ];
    for r in writes {
        assert_eq!(r.status(), 404);
    }
    let still: Value = app
        .bearer(&coordinator)
        .get(&format!("/api/v1/organisations/{cao_bang}/team"))
        .await
        .json();
    assert_eq!(still["members"].as_array().unwrap().len(), 2);

    // The page: the public part for Lạng Sơn, the profile for the coordinator.
    let (browser, _) = app
        .sign_in("ungcuu.langson@demo.irnet.vn", "demo-responder-2024")
        .await;
    let page = browser.get(&format!("/orgs/{cao_bang}")).await.text();
    assert!(page.contains("Sở Thông tin và Truyền thông tỉnh Cao Bằng"));
    assert!(page.contains("Cụm thành viên số 1"));
    for hidden in [
        "Nông Văn Dũng",
        "125/QĐ-SKHCN",
        "profile.docx",
        "Đội ứng cứu sự cố",
    ] {
        assert!(!page.contains(hidden), "{hidden} shown to Lạng Sơn");
    }
    let token_form = form_token(&page);
    let r = browser
        .post_form(
            &format!("/orgs/{cao_bang}/staff"),
            &[("csrf_token", token_form.as_str()), ("by_field.it", "99")],
        )
        .await;
    assert_eq!(r.status(), 404);

    let (browser, _) = app
        .sign_in("dieuphoi@demo.irnet.vn", "demo-coordinator-2024")
        .await;
    let page = browser.get(&format!("/orgs/{cao_bang}")).await.text();
    for shown in [
        "Nông Văn Dũng",
        "125/QĐ-SKHCN",
        "Đội trưởng",
        "Xử lý sự cố",
        "Cơ sở dữ liệu dùng chung tại Trung tâm Tích hợp dữ liệu tỉnh Cao Bằng",
        "Phân tích nhật ký và điều tra sự cố",
        "profile.docx",
        "15/01/2026",
    ] {
        assert!(page.contains(shown), "{shown} missing for the coordinator");
    }
    // Cluster and search pages link to the organisation page.
    let cluster_id = p["organisation"]["clusters"][0]["id"].as_str().unwrap();
    let cluster_page = browser.get(&format!("/clusters/{cluster_id}")).await.text();
    assert!(cluster_page.contains(&format!("href=\"/orgs/{cao_bang}\"")));
    let search_page = browser.get("/search?q=cao+bang").await.text();
    assert!(search_page.contains(&format!("href=\"/orgs/{cao_bang}\"")));
}

#[both]
async fn a_member_edits_its_team_capabilities_staff_and_experts_and_bad_input_stores_nothing(
    backend: Backend,
) {
    let (app, _db) = spawn_app(backend).await;
    irnet_app::demo::load(&app.app).await.unwrap();
    let coordinator = app.token("dieuphoi@demo.irnet.vn", TokenScope::Write).await;
    let cao_bang = find(&app, &coordinator, "cao%20bang").await;
    // Cao Bằng's own org admin.
    app.account(
        "quantri.caobang@demo.irnet.vn",
        &cao_bang,
        vec![
            Grant::new(
                Role::OrgAdmin,
                Scope::Org(irnet_domain::ids::OrgId::from_trusted(cao_bang.clone())),
            )
            .unwrap(),
        ],
    )
    .await;
    let own = app
        .token("quantri.caobang@demo.irnet.vn", TokenScope::Write)
        .await;
    let people: Value = app
        .bearer(&own)
        .get(&format!("/api/v1/organisations/{cao_bang}/people"))
        .await
        .json();
    let person = |given: &str| {
        people
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["given_name"] == given)
            .unwrap()["id"]
            .as_str()
            .unwrap()
            .to_owned()
    };
    let get = |path: &str| {
        let (own, path) = (
            app.bearer(&own),
            format!("/api/v1/organisations/{cao_bang}/{path}"),
        );
        async move { own.get(&path).await.json::<Value>() }
    };

    // Team: a new decision and two members.
    let r = app
        .bearer(&own)
        .put_json(
            &format!("/api/v1/organisations/{cao_bang}/team"),
            &json!({
                "decision_number": "  140/QĐ-SKHCN ",
                "decision_date": "2026-02-01",
                "decision_issuer": "Giám đốc Sở",
                "members": [
                    {"person_id": person("Ánh"), "role": "leader"},
                    {"person_id": person("Dũng"), "role": "member"},
                ]
            }),
        )
        .await;
    assert_eq!(r.status(), 200, "{backend:?}");
    let team = get("team").await;
    assert_eq!(team["decision_number"], "140/QĐ-SKHCN");
    assert_eq!(team["members"][0]["person"]["full_name"], "Bế Thị Ánh");
    assert_eq!(team["members"][0]["role"], "leader");
    assert_eq!(team["members"].as_array().unwrap().len(), 2);

    // Bad team: an unknown role, a person of another member, a decision in the future.
    let r = app
        .bearer(&own)
        .request(
            Method::PUT,
            &format!("/api/v1/organisations/{cao_bang}/team"),
        )
        .header("accept-language", "vi")
        .json(&json!({
            "decision_number": "1/QĐ",
            "decision_date": "2030-01-01",
            "members": [
                {"person_id": person("Ánh"), "role": "boss"},
                {"person_id": "someone-else", "role": "member"},
            ]
        }))
        .send()
        .await;
    assert_eq!(r.status(), 422);
    let problem: Value = r.json();
    let fields: Vec<&str> = problem["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["field"].as_str().unwrap())
        .collect();
    assert!(fields.contains(&"decision_date"), "{problem}");
    assert!(fields.contains(&"members[0].role"), "{problem}");
    assert!(fields.contains(&"members[1].person_id"), "{problem}");
    assert!(problem["errors"].as_array().unwrap().iter().any(
        |e| e["message"] == "Vai trò phải là đội trưởng, đội phó, thành viên hoặc chuyên gia."
    ));
    assert_eq!(get("team").await["decision_number"], "140/QĐ-SKHCN");

    // Capabilities.
    let r = app
        .bearer(&own)
        .put_json(
            &format!("/api/v1/organisations/{cao_bang}/capabilities"),
            &json!({"capabilities": [
                {"skill": "forensics", "level": "advanced", "note": "Phòng thí nghiệm điều tra số"},
                {"skill": "ot_ics", "level": "basic"},
            ]}),
        )
        .await;
    assert_eq!(r.status(), 200);
    let caps = get("capabilities").await;
    assert_eq!(caps.as_array().unwrap().len(), 2);
    assert_eq!(caps[0]["skill"], "forensics");
    assert_eq!(caps[0]["label_vi"], "Điều tra số");
    let r = app
        .bearer(&own)
        .put_json(
            &format!("/api/v1/organisations/{cao_bang}/capabilities"),
            &json!({"capabilities": [
                {"skill": "astrology", "level": "advanced"},
                {"skill": "forensics", "level": "expert"},
            ]}),
        )
        .await;
    assert_eq!(r.status(), 422);
    let problem: Value = r.json();
    let codes: Vec<(&str, &str)> = problem["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| (e["field"].as_str().unwrap(), e["code"].as_str().unwrap()))
        .collect();
    assert_eq!(
        codes,
        [
            ("capabilities[0].skill", "unknown_skill"),
            ("capabilities[1].level", "invalid_skill_level"),
        ]
    );
    assert_eq!(get("capabilities").await.as_array().unwrap().len(), 2);

    // Staff counts.
    let r = app
        .bearer(&own)
        .put_json(
            &format!("/api/v1/organisations/{cao_bang}/staff"),
            &json!({
                "by_field": {"it": 15, "security": 7, "other": 2},
                "by_degree": {"master": 5, "bachelor": 18},
                "certificates": [{"name": "CISSP", "count": 1}, {"name": "CEH", "count": 3}],
            }),
        )
        .await;
    assert_eq!(r.status(), 200);
    let staff = get("staff").await;
    assert_eq!(staff["by_field"]["security"], 7);
    assert_eq!(staff["by_degree"]["doctorate"], 0);
    assert_eq!(staff["certificates"][0]["name"], "CEH");
    let r = app
        .bearer(&own)
        .put_json(
            &format!("/api/v1/organisations/{cao_bang}/staff"),
            &json!({
                "by_field": {"it": -1},
                "certificates": [{"name": " ", "count": 1}, {"name": "CEH", "count": 1000000}],
            }),
        )
        .await;
    assert_eq!(r.status(), 422);
    let problem: Value = r.json();
    let fields: Vec<&str> = problem["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["field"].as_str().unwrap())
        .collect();
    assert_eq!(
        fields,
        [
            "by_field.it",
            "certificates[0].name",
            "certificates[1].count"
        ]
    );
    assert_eq!(get("staff").await["by_field"]["it"], 15);

    // Experts: add, refuse a stranger and a repeat, remove.
    let r = app.bearer(&own).post_json(&format!("/api/v1/organisations/{cao_bang}/experts"), &json!({"person_id": person("Dũng"), "expertise": "Phân tích mã độc", "certificates": ["GREM"]})).await;
    assert_eq!(r.status(), 201);
    let added: Value = r.json();
    assert_eq!(added["person"]["full_name"], "Nông Văn Dũng");
    for (body, field, code) in [
        (
            json!({"person_id": "nobody", "expertise": "x"}),
            "person_id",
            "unknown_person",
        ),
        (
            json!({"person_id": person("Ánh"), "expertise": "x"}),
            "person_id",
            "already_expert",
        ),
        (
            json!({"person_id": person("Dũng"), "expertise": ""}),
            "expertise",
            "required",
        ),
    ] {
        let r = app
            .bearer(&own)
            .post_json(&format!("/api/v1/organisations/{cao_bang}/experts"), &body)
            .await;
        assert_eq!(r.status(), 422);
        let problem: Value = r.json();
        assert_eq!(problem["errors"][0]["field"], field);
        assert_eq!(problem["errors"][0]["code"], code);
    }
    assert_eq!(get("experts").await.as_array().unwrap().len(), 2);
    let r = app
        .bearer(&own)
        .delete(&format!(
            "/api/v1/organisations/{cao_bang}/experts/{}",
            added["id"].as_str().unwrap()
        ))
        .await;
    assert_eq!(r.status(), 204);
    assert_eq!(get("experts").await.as_array().unwrap().len(), 1);

    // The yearly confirmation.
    app.clock.advance(chrono::Duration::days(40));
    let r = app
        .bearer(&own)
        .request(
            Method::POST,
            &format!("/api/v1/organisations/{cao_bang}/profile/confirm"),
        )
        .send()
        .await;
    assert_eq!(r.status(), 200);
    assert_eq!(get("profile").await["confirmed_on"], "2026-04-11");

    // A read-only token cannot edit; the edits are in the audit trail.
    let read = app
        .token("quantri.caobang@demo.irnet.vn", TokenScope::Read)
        .await;
    let r = app
        .bearer(&read)
        .put_json(
            &format!("/api/v1/organisations/{cao_bang}/staff"),
            &json!({}),
        )
        .await;
    assert_eq!(r.status(), 403);
    let audit = app.bearer(&coordinator).get("/api/v1/audit").await.text();
    for action in [
        "response_team.set",
        "capabilities.set",
        "staff_counts.set",
        "expert.added",
        "expert.removed",
        "member_profile.confirmed",
    ] {
        assert!(audit.contains(action), "{action} not audited");
    }
}

#[both]
async fn the_page_forms_save_and_name_the_field_of_a_bad_value(backend: Backend) {
    let (app, _db) = spawn_app(backend).await;
    irnet_app::demo::load(&app.app).await.unwrap();
    let coordinator = app.token("dieuphoi@demo.irnet.vn", TokenScope::Read).await;
    let cao_bang = find(&app, &coordinator, "cao%20bang").await;
    let (browser, _) = app
        .sign_in("dieuphoi@demo.irnet.vn", "demo-coordinator-2024")
        .await;
    let page = browser.get(&format!("/orgs/{cao_bang}")).await.text();
    let csrf = form_token(&page);
    let r = browser
        .post_form(
            &format!("/orgs/{cao_bang}/staff"),
            &[
                ("csrf_token", csrf.as_str()),
                ("by_field.it", "-3"),
                ("by_field.security", "abc"),
                ("certificates", "CISSP: 2"),
            ],
        )
        .await;
    assert_eq!(r.status(), 422, "{backend:?}");
    let body = r.text();
    assert!(
        body.contains("Nhân lực theo lĩnh vực — An toàn thông tin: Hãy nhập một số nguyên."),
        "{body}"
    );
    let r = browser
        .post_form(
            &format!("/orgs/{cao_bang}/staff"),
            &[
                ("csrf_token", csrf.as_str()),
                ("by_field.it", "-3"),
                ("certificates", "CISSP: 2"),
            ],
        )
        .await;
    assert_eq!(r.status(), 422);
    let body = r.text();
    assert!(
        body.contains(
            "Nhân lực theo lĩnh vực — Công nghệ thông tin: Số người phải từ 0 đến 100000."
        ),
        "{body}"
    );
    let r = browser
        .post_form(
            &format!("/orgs/{cao_bang}/staff"),
            &[
                ("csrf_token", csrf.as_str()),
                ("by_field.it", "31"),
                ("by_degree.doctorate", "2"),
                ("certificates", "CISSP: 2\nGIAC GCIH: 1"),
            ],
        )
        .await;
    assert_eq!(r.status(), 303);
    let team = browser
        .post_form(
            &format!("/orgs/{cao_bang}/capabilities"),
            &[
                ("csrf_token", csrf.as_str()),
                ("level:forensics", "intermediate"),
                ("note:forensics", "Bộ công cụ điều tra số"),
            ],
        )
        .await;
    assert_eq!(team.status(), 303);
    let page = browser.get(&format!("/orgs/{cao_bang}")).await.text();
    assert!(page.contains("<td>31</td>"));
    assert!(page.contains("GIAC GCIH (1)"));
    assert!(page.contains("Bộ công cụ điều tra số"));
    assert!(
        !page.contains("Xử lý sự cố</td>"),
        "capabilities are replaced whole"
    );
}
