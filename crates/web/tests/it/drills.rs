//! Drills: a scenario drill from its first inject to its published standings, with the freeze
//! hiding later changes from participants but not from the organiser, the standings equal to a
//! replay of the ledger, unreleased injects and other drills invisible (404) to those without a
//! part; external drills' ranks on the member's page under the name it had then.

use irnet_testkit::{Backend, Client, TestApp, both, fields, spawn_app};
use reqwest::StatusCode;
use serde_json::{Value, json};

struct World {
    coord: Client,
    lang_son: Client,
    cao_bang: Client,
    outsider: Client,
    ls_id: String,
    cb_id: String,
}

async fn world(app: &TestApp) -> World {
    irnet_app::demo::load(&app.app).await.unwrap();
    let ls_id = app.demo_org("Sở KH&CN Lạng Sơn").await;
    let cb_id = app.demo_org("Sở KH&CN Cao Bằng").await;
    let tn_id = app.demo_org("Sở KH&CN Thái Nguyên").await;
    let cb = app.responder("ungcuu.caobang@demo.irnet.vn", &cb_id).await;
    let tn = app
        .responder("ungcuu.thainguyen@demo.irnet.vn", &tn_id)
        .await;
    World {
        coord: app.client_of("dieuphoi@demo.irnet.vn").await,
        lang_son: app.client_of("ungcuu.langson@demo.irnet.vn").await,
        cao_bang: app.bearer(&cb),
        outsider: app.bearer(&tn),
        ls_id,
        cb_id,
    }
}

async fn drill(w: &World, teams: &[&str]) -> String {
    let (s, d) = w
        .coord
        .post_json(
            "/api/v1/drills",
            &json!({
                "kind": "scenario",
                "title": "Diễn tập ứng cứu mã độc mã hoá dữ liệu",
                "starts_at": "2026-11-10T08:00",
                "ends_at": "2026-11-10T17:00",
                "attempts_allowed": 2,
                "teams": teams,
            }),
        )
        .await
        .parts();
    assert_eq!(s, StatusCode::CREATED, "{d}");
    assert_eq!(d["state"], "planned");
    assert_eq!(d["role"], "organiser");
    d["id"].as_str().unwrap().to_owned()
}

async fn inject(w: &World, id: &str, title: &str, released: &str, points: i64) -> String {
    let (s, i) = w
        .coord
        .post_json(
            &format!("/api/v1/drills/{id}/injects"),
            &json!({
                "title": title,
                "task": "Xác định họ mã độc trong mẫu được gửi kèm.",
                "released_at": released,
                "deadline": "2026-11-10T16:00",
                "points": points,
                "answers": ["Emotet", "  mã độc   Emotet "],
            }),
        )
        .await
        .parts();
    assert_eq!(s, StatusCode::CREATED, "{i}");
    assert_eq!(i["answers"], json!(["emotet", "mã độc emotet"]));
    i["id"].as_str().unwrap().to_owned()
}

async fn answer(c: &Client, id: &str, inject: &str, text: &str) -> (StatusCode, Value) {
    c.post_json(
        &format!("/api/v1/drills/{id}/injects/{inject}/answers"),
        &json!({ "answer": text }),
    )
    .await
    .parts()
}

async fn state(w: &World, id: &str, to: &str) {
    let (s, d) = w
        .coord
        .post_json(
            &format!("/api/v1/drills/{id}/state"),
            &json!({ "state": to }),
        )
        .await
        .parts();
    assert_eq!(s, StatusCode::OK, "{d}");
    assert_eq!(d["state"], to);
}

/// (team's Vietnamese name contains, score, "rank/out_of") per line.
pub(crate) fn board(v: &Value) -> Vec<(String, i64, String)> {
    v["lines"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| {
            (
                l["team"]["org_id"].as_str().unwrap().to_owned(),
                l["score"].as_i64().unwrap(),
                format!("{}/{}", l["rank"], l["out_of"]),
            )
        })
        .collect()
}

#[both]
async fn a_scenario_drill_runs_from_injects_to_published_standings(backend: Backend) {
    let (app, _db) = spawn_app(backend).await;
    app.set_local_time(2026, 11, 10, 9, 0);
    let w = world(&app).await;
    let id = drill(&w, &[&w.ls_id, &w.cb_id]).await;
    let first = inject(&w, &id, "Tình huống 1", "2026-11-10T09:00", 100).await;
    let second = inject(&w, &id, "Tình huống 2", "2026-11-10T11:00", 50).await;
    let injects = |c: &Client| {
        let c = c.clone();
        let id = id.clone();
        async move { c.get(&format!("/api/v1/drills/{id}/injects")).await }
    };

    // Planned: the teams see the drill, but no inject yet, even one whose time has come.
    let none: Vec<Value> = injects(&w.lang_son).await.ok();
    assert!(none.is_empty(), "{backend:?}: {none:?}");
    let r = w
        .lang_son
        .get(&format!("/api/v1/drills/{id}/injects/{first}"))
        .await;
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
    let (s, _) = answer(&w.lang_son, &id, &first, "emotet").await;
    assert_eq!(s, StatusCode::NOT_FOUND, "{backend:?}");

    state(&w, &id, "open").await;
    let seen: Vec<Value> = injects(&w.lang_son).await.ok();
    assert_eq!(seen.len(), 1, "{backend:?}: only the released inject");
    assert_eq!(seen[0]["id"], first.as_str());
    assert!(
        seen[0]["answers"].is_null(),
        "a team never sees the answers"
    );
    let r = w
        .lang_son
        .get(&format!("/api/v1/drills/{id}/injects/{second}"))
        .await;
    assert_eq!(r.status(), StatusCode::NOT_FOUND, "before its release");
    let all: Vec<Value> = injects(&w.coord).await.ok();
    assert_eq!(all.len(), 2, "the organiser sees every inject");

    // Answers, normalised; a wrong one costs an attempt.
    let (s, a) = answer(&w.lang_son, &id, &first, "  EMOTET ").await;
    assert_eq!(
        (s, a["correct"].clone(), a["points"].clone()),
        (StatusCode::OK, json!(true), json!(100))
    );
    let (s, p) = answer(&w.lang_son, &id, &first, "emotet").await;
    assert_eq!(s, StatusCode::CONFLICT, "{p}");
    assert_eq!(p["code"], "inject_already_solved");
    app.set_local_time(2026, 11, 10, 9, 5);
    let (_, a) = answer(&w.cao_bang, &id, &first, "wannacry").await;
    assert_eq!(
        (a["correct"].clone(), a["attempts_left"].clone()),
        (json!(false), json!(1))
    );
    // NFD input from another keyboard is the same answer
    let (_, a) = answer(
        &w.cao_bang,
        &id,
        &first,
        "MA\u{0303} đo\u{0323}\u{0302}c emotet",
    )
    .await;
    assert_eq!(a["correct"], true, "{backend:?}: {a}");
    let live: Value = w
        .lang_son
        .get(&format!("/api/v1/drills/{id}/standings"))
        .await
        .ok();
    assert_eq!(
        board(&live),
        vec![
            (w.ls_id.clone(), 100, "1/2".to_owned()),
            (w.cb_id.clone(), 100, "2/2".to_owned())
        ],
        "{backend:?}: equal scores go to the team that got there first"
    );

    // The freeze: what happens after it is the organiser's to see, not the teams'.
    app.set_local_time(2026, 11, 10, 10, 0);
    state(&w, &id, "frozen").await;
    app.set_local_time(2026, 11, 10, 11, 30);
    let (_, a) = answer(&w.cao_bang, &id, &second, "Emotet").await;
    assert_eq!(a["correct"], true);
    let frozen: Value = w
        .cao_bang
        .get(&format!("/api/v1/drills/{id}/standings"))
        .await
        .ok();
    assert_eq!(frozen["frozen"], true);
    assert_eq!(
        board(&frozen),
        vec![
            (w.ls_id.clone(), 100, "1/2".to_owned()),
            (w.cb_id.clone(), 100, "2/2".to_owned())
        ],
        "{backend:?}: a participant sees the board as it stood at the freeze"
    );
    let history: Vec<Value> = w
        .cao_bang
        .get(&format!("/api/v1/drills/{id}/history"))
        .await
        .ok();
    assert_eq!(history.len(), 3);
    assert!(
        history[0]["correct"].is_null(),
        "the outcome after the freeze is hidden"
    );
    assert_eq!(history[1]["correct"], true);
    let live: Value = w
        .coord
        .get(&format!("/api/v1/drills/{id}/standings"))
        .await
        .ok();
    assert_eq!(live["frozen"], false);
    assert_eq!(
        board(&live)[0],
        (w.cb_id.clone(), 150, "1/2".to_owned()),
        "{backend:?}: the organiser sees it live"
    );
    // The workbook is the board each of them sees: frozen for the team, live for the organiser.
    let sheet = |c: &Client| {
        let (c, id) = (c.clone(), id.clone());
        async move {
            let r = c.get(&format!("/api/v1/drills/{id}/standings.xlsx")).await;
            assert_eq!(r.status(), StatusCode::OK);
            crate::directory::files::cells(r.bytes())
        }
    };
    let team_sheet = sheet(&w.cao_bang).await;
    assert_eq!(
        team_sheet[0],
        ["Hạng", "Đội", "Điểm", "Đạt điểm lúc", "Bảng đóng băng lúc"]
    );
    let scores = |rows: &[Vec<String>]| -> Vec<(String, String)> {
        rows[1..]
            .iter()
            .map(|r| (r[0].clone(), r[2].clone()))
            .collect()
    };
    assert_eq!(
        scores(&team_sheet),
        [("1/2".into(), "100".into()), ("2/2".into(), "100".into())],
        "{backend:?}: the team's workbook holds nothing after the freeze"
    );
    assert_eq!(team_sheet[1][4], "10/11/2026 10:00", "{backend:?}");
    assert_eq!(team_sheet[2][3], "10/11/2026 09:05", "{backend:?}");
    let organiser_sheet = sheet(&w.coord).await;
    assert_eq!(
        scores(&organiser_sheet),
        [("1/2".into(), "150".into()), ("2/2".into(), "100".into())],
        "{backend:?}: the organiser's is live"
    );
    assert_eq!(
        organiser_sheet[1][4], "",
        "{backend:?}: not frozen for the organiser"
    );
    let r = w
        .outsider
        .get(&format!("/api/v1/drills/{id}/standings.xlsx"))
        .await;
    assert_eq!(
        r.status(),
        StatusCode::NOT_FOUND,
        "{backend:?}: no part, no drill"
    );
    // An award and a penalty are ledger events like answers; the standings equal the replay.
    let adjusted: Value = w
        .coord
        .post_json(
            &format!("/api/v1/drills/{id}/adjustments"),
            &json!({ "team_org_id": w.ls_id, "points": -30, "note": "Nộp báo cáo muộn" }),
        )
        .await
        .ok();
    let replay: Value = w
        .coord
        .get(&format!("/api/v1/drills/{id}/standings/replay"))
        .await
        .ok();
    assert_eq!(board(&adjusted), board(&replay), "{backend:?}");
    assert_eq!(board(&replay)[1], (w.ls_id.clone(), 70, "2/2".to_owned()));
    let r = w
        .lang_son
        .get(&format!("/api/v1/drills/{id}/standings/replay"))
        .await;
    assert_eq!(
        r.status(),
        StatusCode::FORBIDDEN,
        "the replay is for judges and organisers"
    );

    // Closed: no more answers; published: everyone sees the final standings.
    state(&w, &id, "closed").await;
    let (s, _) = answer(&w.lang_son, &id, &second, "emotet").await;
    assert_eq!(s, StatusCode::FORBIDDEN, "{backend:?}");
    let still: Value = w
        .lang_son
        .get(&format!("/api/v1/drills/{id}/standings"))
        .await
        .ok();
    assert_eq!(
        still["frozen"], true,
        "closed but not published: still frozen"
    );
    state(&w, &id, "published").await;
    let done: Value = w
        .lang_son
        .get(&format!("/api/v1/drills/{id}/standings"))
        .await
        .ok();
    assert_eq!(done["frozen"], false);
    assert_eq!(board(&done), board(&replay), "{backend:?}");
    // A published board is final: no team joins it and its "x/2" stays.
    let tn = app.demo_org("Sở KH&CN Thái Nguyên").await;
    let (s, p) = w
        .coord
        .post_json(
            &format!("/api/v1/drills/{id}/members"),
            &json!({ "role": "participant", "org_id": tn }),
        )
        .await
        .parts();
    assert_eq!(
        (s, p["code"].clone()),
        (StatusCode::CONFLICT, json!("drill_takes_no_teams")),
        "{backend:?}"
    );
    let (s, p) = w
        .coord
        .post_json(
            &format!("/api/v1/drills/{id}/state"),
            &json!({ "state": "open" }),
        )
        .await
        .parts();
    assert_eq!(s, StatusCode::CONFLICT, "{p}");
}

#[both]
async fn a_drill_does_not_exist_for_those_without_a_part_in_it(backend: Backend) {
    let (app, _db) = spawn_app(backend).await;
    app.set_local_time(2026, 11, 10, 9, 0);
    let w = world(&app).await;
    let a = drill(&w, &[&w.ls_id]).await;
    let b = drill(&w, &[&w.cb_id]).await;
    let first = inject(&w, &a, "Tình huống 1", "2026-11-10T09:00", 100).await;
    state(&w, &a, "open").await;

    // Lạng Sơn takes part in A only; Cao Bằng in B only; Thái Nguyên in neither.
    let list: Vec<Value> = w.lang_son.get("/api/v1/drills").await.ok();
    let ids: Vec<&str> = list.iter().filter_map(|d| d["id"].as_str()).collect();
    assert!(
        ids.contains(&a.as_str()) && !ids.contains(&b.as_str()),
        "{backend:?}: {ids:?}"
    );
    // Thái Nguyên knows external drills' results and the demo's 2024 drill it took part in,
    // nothing of A or B.
    let list: Vec<Value> = w.outsider.get("/api/v1/drills").await.ok();
    let ids: Vec<&str> = list.iter().filter_map(|d| d["id"].as_str()).collect();
    assert!(
        !ids.contains(&a.as_str()) && !ids.contains(&b.as_str()),
        "{backend:?}: {list:?}"
    );
    assert!(
        list.iter().all(
            |d| d["kind"] == "external" || d["starts_at"].as_str().unwrap().starts_with("2024")
        ),
        "{backend:?}: {list:?}"
    );
    for c in [&w.cao_bang, &w.outsider] {
        for path in [
            format!("/api/v1/drills/{a}"),
            format!("/api/v1/drills/{a}/injects"),
            format!("/api/v1/drills/{a}/injects/{first}"),
            format!("/api/v1/drills/{a}/standings"),
            format!("/api/v1/drills/{a}/standings/replay"),
            format!("/api/v1/drills/{a}/history"),
            format!("/drills/{a}"),
        ] {
            assert_eq!(
                c.get(&path).await.status(),
                StatusCode::NOT_FOUND,
                "{backend:?}: {path}"
            );
        }
        for (path, body) in [
            (
                format!("/api/v1/drills/{a}/injects/{first}/answers"),
                json!({ "answer": "emotet" }),
            ),
            (
                format!("/api/v1/drills/{a}/state"),
                json!({ "state": "frozen" }),
            ),
            (
                format!("/api/v1/drills/{a}/members"),
                json!({ "role": "participant", "org_id": w.cb_id }),
            ),
            (
                format!("/api/v1/drills/{a}/adjustments"),
                json!({ "team_org_id": w.ls_id, "points": 5, "note": "x" }),
            ),
            (
                format!("/api/v1/drills/{a}/results"),
                json!({ "org_id": w.cb_id, "rank": 1, "out_of": 2 }),
            ),
            (
                format!("/api/v1/drills/{a}/injects"),
                json!({ "title": "x", "task": "x", "released_at": "2026-11-10T09:00", "deadline": "2026-11-10T10:00", "points": 1, "answers": ["x"] }),
            ),
        ] {
            let r = c.post_json(&path, &body).await;
            assert_eq!(r.status(), StatusCode::NOT_FOUND, "{backend:?}: {path}");
        }
    }
    // A participant may not run the drill it takes part in, nor create one.
    let r = w
        .lang_son
        .post_json(
            &format!("/api/v1/drills/{a}/state"),
            &json!({ "state": "frozen" }),
        )
        .await;
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    let r = w
        .lang_son
        .post_json(
            "/api/v1/drills",
            &json!({ "kind": "scenario", "title": "x", "starts_at": "2026-11-10T08:00", "ends_at": "2026-11-10T17:00" }),
        )
        .await;
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    let r = app.client().anonymous().get("/api/v1/drills").await;
    assert_eq!(r.status(), StatusCode::UNAUTHORIZED);

    // A judge granted in A sees A's unreleased injects; the grant reaches A only.
    let judge = app
        .account(
            "giamkhao@demo.irnet.vn",
            &w.cb_id,
            vec![irnet_testkit::org_grant(
                irnet_domain::Role::Responder,
                &w.cb_id,
            )],
        )
        .await;
    w.coord
        .post_json(
            &format!("/api/v1/drills/{a}/members"),
            &json!({ "role": "judge", "user_id": judge.id }),
        )
        .await
        .success();
    let judge = app.client_of("giamkhao@demo.irnet.vn").await;
    let d: Value = judge.get(&format!("/api/v1/drills/{a}")).await.ok();
    assert_eq!(d["role"], "judge");
    let d: Value = judge.get(&format!("/api/v1/drills/{b}")).await.ok();
    assert_eq!(
        d["role"], "participant",
        "in B it is only its team's member"
    );
}

#[both]
async fn bad_drill_input_is_refused_naming_the_field(backend: Backend) {
    let (app, _db) = spawn_app(backend).await;
    app.set_local_time(2026, 11, 10, 9, 0);
    let w = world(&app).await;
    let cases = [
        (
            json!({ "kind": "tabletop", "title": "x", "starts_at": "2026-11-10T08:00", "ends_at": "2026-11-10T17:00" }),
            "kind",
        ),
        (
            json!({ "kind": "scenario", "title": "  ", "starts_at": "2026-11-10T08:00", "ends_at": "2026-11-10T17:00" }),
            "title",
        ),
        (
            json!({ "kind": "scenario", "title": "x", "starts_at": "hôm qua", "ends_at": "2026-11-10T17:00" }),
            "starts_at",
        ),
        (
            json!({ "kind": "scenario", "title": "x", "starts_at": "2026-11-10T18:00", "ends_at": "2026-11-10T17:00" }),
            "ends_at",
        ),
        (
            json!({ "kind": "scenario", "title": "x", "starts_at": "2026-11-10T08:00", "ends_at": "2026-11-10T17:00", "attempts_allowed": 0 }),
            "attempts_allowed",
        ),
        (
            json!({ "kind": "scenario", "title": "x", "starts_at": "2026-11-10T08:00", "ends_at": "2026-11-10T17:00", "teams": ["not-an-id"] }),
            "teams",
        ),
    ];
    for (body, field) in cases {
        let p = w
            .coord
            .post_json("/api/v1/drills", &body)
            .await
            .problem(422);
        assert_eq!(fields(&p), vec![field], "{backend:?}: {body}");
    }
    let id = drill(&w, &[&w.ls_id]).await;
    let p = w
        .coord
        .post_json(
            &format!("/api/v1/drills/{id}/injects"),
            &json!({ "title": "x", "task": "x", "released_at": "2026-11-10T09:00", "deadline": "2026-11-10T10:00", "points": 10, "answers": ["  "] }),
        )
        .await
        .problem(422);
    assert_eq!(fields(&p), vec!["answers"]);
    // The demo's 2024 drill and the one made here: nothing else stored.
    let list: Vec<Value> = w.coord.get("/api/v1/drills").await.ok();
    assert_eq!(
        list.iter().filter(|d| d["kind"] == "scenario").count(),
        2,
        "{backend:?}: nothing stored"
    );
}

#[both]
async fn the_member_page_lists_its_drills_under_the_name_it_had_then(backend: Backend) {
    let (app, _db) = spawn_app(backend).await;
    app.set_local_time(2026, 11, 10, 9, 0);
    irnet_app::demo::load(&app.app).await.unwrap();
    let bac_ninh = app.demo_org("Sở KH&CN Bắc Ninh").await;
    let (viewer, _) = app.sign_in("xem@demo.irnet.vn", "demo-viewer-2024").await;
    let results: Vec<Value> = viewer
        .get(&format!("/api/v1/organisations/{bac_ninh}/drills"))
        .await
        .ok();
    let acid = results
        .iter()
        .find(|r| r["title"] == "ACID 2024" && r["org"]["org_id"] == bac_ninh.as_str())
        .unwrap();
    assert_eq!(
        (
            acid["rank"].clone(),
            acid["out_of"].clone(),
            acid["demo"].clone()
        ),
        (json!(3), json!(63), json!(false))
    );
    assert_eq!(acid["day"], "2024-10-15");
    assert_eq!(
        acid["org"]["name_vi"],
        "Sở Thông tin và Truyền thông tỉnh Bắc Ninh"
    );
    // Bắc Giang merged into Bắc Ninh: its 6/63 stays Bắc Giang's, listed on its successor's page.
    assert!(
        results.iter().any(|r| r["title"] == "ACID 2024"
            && r["rank"] == 6
            && r["org"]["name_vi"] == "Sở Thông tin và Truyền thông tỉnh Bắc Giang"),
        "{backend:?}: {results:?}"
    );
    let (s, page) = viewer.get(&format!("/orgs/{bac_ninh}")).await.page();
    assert_eq!(s, StatusCode::OK);
    assert!(page.contains("ACID 2024 — hạng 3/63"), "{backend:?}");
    assert!(page.contains("15/10/2024"));
    assert!(page.contains("Sở Thông tin và Truyền thông tỉnh Bắc Ninh"));
    let bac_kan = app.demo_org("Sở KH&CN Bắc Kạn").await;
    let results: Vec<Value> = viewer
        .get(&format!("/api/v1/organisations/{bac_kan}/drills"))
        .await
        .ok();
    assert!(
        results.iter().any(|r| r["title"] == "APCERT Drill 2024"
            && r["rank"] == 10
            && r["demo"] == false
            && r["org"]["name_vi"] == "Sở Thông tin và Truyền thông tỉnh Bắc Kạn"),
        "{backend:?}: {results:?}"
    );
    let en = app
        .person(
            "en.viewer@demo.irnet.vn",
            &bac_ninh,
            "en",
            vec![irnet_testkit::org_grant(
                irnet_domain::Role::Viewer,
                &bac_ninh,
            )],
        )
        .await;
    let (en, _) = app.sign_in(&en.email, &en.password).await;
    let (_, page) = en.get(&format!("/orgs/{bac_ninh}")).await.page();
    assert!(page.contains("ACID 2024 — rank 3/63"), "{backend:?}");
    // The drill's page shows every member's published rank, the made-up ones marked.
    let (s, list) = viewer.get("/drills").await.page();
    assert_eq!(s, StatusCode::OK);
    assert!(
        list.contains("APCERT Drill 2024") && list.contains("29/08/2024"),
        "{backend:?}"
    );
}

#[both]
async fn an_organiser_names_a_judge_by_email_in_the_drill_page(backend: Backend) {
    let (app, _db) = spawn_app(backend).await;
    app.set_local_time(2026, 11, 10, 9, 0);
    let w = world(&app).await;
    let id = drill(&w, &[&w.ls_id]).await;
    let replay = format!("/api/v1/drills/{id}/standings/replay");
    assert_eq!(
        w.outsider.get(&replay).await.status(),
        StatusCode::NOT_FOUND,
        "{backend:?}: no part yet"
    );
    let (coord, _) = app
        .sign_in("dieuphoi@demo.irnet.vn", "demo-coordinator-2024")
        .await;
    let page = coord.get(&format!("/drills/{id}")).await.text();
    assert!(page.contains("id=\"add-person\""), "{backend:?}");
    assert!(page.contains("Chưa giao vai trò cho ai."), "{backend:?}");
    let csrf = irnet_testkit::form_token(&page);
    let grant = |email: &'static str| {
        let (coord, id, csrf) = (coord.clone(), id.clone(), csrf.clone());
        async move {
            coord
                .post_form(
                    &format!("/drills/{id}/people"),
                    &[
                        ("csrf_token", csrf.as_str()),
                        ("role", "judge"),
                        ("email", email),
                    ],
                )
                .await
        }
    };
    // The address as the organiser typed it, in any case.
    let r = grant(" UngCuu.ThaiNguyen@demo.irnet.vn ").await;
    assert_eq!(
        r.status(),
        StatusCode::SEE_OTHER,
        "{backend:?}: {}",
        r.text()
    );
    let page = coord.get(&format!("/drills/{id}")).await.text();
    assert!(
        page.contains("ungcuu.thainguyen — Giám khảo"),
        "{backend:?}: the judge is listed"
    );
    assert_eq!(
        w.outsider.get(&replay).await.status(),
        StatusCode::OK,
        "{backend:?}: the judge sees behind the scenes"
    );
    // An address with no account is named, in the organiser's language, and nothing is granted.
    let r = grant("khong.co@demo.irnet.vn").await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY, "{backend:?}");
    assert!(
        r.text().contains("Không tìm thấy người dùng."),
        "{backend:?}"
    );
    // A team sees neither the people nor the form; someone without a part cannot grant.
    let (team, _) = app
        .sign_in("ungcuu.langson@demo.irnet.vn", "demo-responder-2024")
        .await;
    let page = team.get(&format!("/drills/{id}")).await.text();
    assert!(!page.contains("add-person"), "{backend:?}");
    assert!(!page.contains("ungcuu.thainguyen"), "{backend:?}");
    let (s, _) = w
        .cao_bang
        .post_json(
            &format!("/api/v1/drills/{id}/members"),
            &json!({ "role": "judge", "email": "ungcuu.caobang@demo.irnet.vn" }),
        )
        .await
        .parts();
    assert_eq!(s, StatusCode::NOT_FOUND, "{backend:?}");
}

#[both]
async fn the_live_standings_stop_at_the_freeze_for_teams_but_not_for_the_organiser(
    backend: Backend,
) {
    use irnet_testkit::sse::EventStream;
    let (app, _db) = spawn_app(backend).await;
    app.set_local_time(2026, 11, 10, 9, 0);
    let w = world(&app).await;
    let id = drill(&w, &[&w.ls_id, &w.cb_id]).await;
    let first = inject(&w, &id, "Tình huống 1", "2026-11-10T09:00", 100).await;
    let second = inject(&w, &id, "Tình huống 2", "2026-11-10T09:00", 50).await;
    state(&w, &id, "open").await;
    let path = format!("/api/v1/drills/{id}/standings/stream");
    let open = |c: &Client| {
        let (url, token) = (c.url(&path), c.token().to_owned());
        async move { EventStream::open(&url, &token, None).await }
    };
    let mut team = open(&w.lang_son).await;
    let mut organiser = open(&w.coord).await;
    let score_of = |e: &irnet_testkit::sse::SseEvent, org: &str| -> i64 {
        e.data["lines"]
            .as_array()
            .unwrap()
            .iter()
            .find(|l| l["team"]["org_id"] == org)
            .unwrap()["score"]
            .as_i64()
            .unwrap()
    };
    // At once: the board as it stands.
    let e = team.next().await;
    assert_eq!((e.event.as_str(), score_of(&e, &w.cb_id)), ("standings", 0));
    organiser.next().await;

    let (_, a) = answer(&w.cao_bang, &id, &first, "Emotet").await;
    assert_eq!(a["correct"], true, "{backend:?}");
    let e = team.next().await;
    assert_eq!(
        score_of(&e, &w.cb_id),
        100,
        "{backend:?}: live before the freeze"
    );
    assert_eq!(e.id, e.data["version"].as_str().unwrap());
    organiser.next().await;

    app.set_local_time(2026, 11, 10, 10, 0);
    state(&w, &id, "frozen").await;
    let e = team.next().await;
    assert_eq!(
        (e.data["frozen"].clone(), score_of(&e, &w.cb_id)),
        (json!(true), 100),
        "{backend:?}: the freeze"
    );
    // The organiser's board did not change at the freeze; the next answer reaches it.
    app.set_local_time(2026, 11, 10, 10, 30);
    let (_, a) = answer(&w.cao_bang, &id, &second, "Emotet").await;
    assert_eq!(a["correct"], true, "{backend:?}");
    let e = organiser.next().await;
    assert_eq!(
        (e.data["frozen"].clone(), score_of(&e, &w.cb_id)),
        (json!(false), 150),
        "{backend:?}: the organiser sees it"
    );
    // The team's next event is the unfreeze itself: nothing of the answer came before it.
    state(&w, &id, "open").await;
    let e = team.next().await;
    assert_eq!(
        (e.data["frozen"].clone(), score_of(&e, &w.cb_id)),
        (json!(false), 150),
        "{backend:?}: revealed at the unfreeze, not before"
    );
    // Someone without a part cannot open it.
    let r = EventStream::request(&w.outsider.url(&path), w.outsider.token(), None).await;
    assert_eq!(r.status(), StatusCode::NOT_FOUND, "{backend:?}");
}

#[both]
async fn the_demo_has_the_clusters_finished_drill_with_its_ledger(backend: Backend) {
    let (app, _db) = spawn_app(backend).await;
    let w = world(&app).await;
    let list: Vec<Value> = w.coord.get("/api/v1/drills").await.ok();
    let d = list
        .iter()
        .find(|d| d["kind"] == "scenario")
        .expect("the demo's scenario drill");
    assert_eq!(d["state"], "published", "{backend:?}");
    let id = d["id"].as_str().unwrap();
    let live: Value = w
        .lang_son
        .get(&format!("/api/v1/drills/{id}/standings"))
        .await
        .ok();
    let names: Vec<(String, i64, String)> = live["lines"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| {
            (
                l["team"]["name_vi"].as_str().unwrap().to_owned(),
                l["score"].as_i64().unwrap(),
                format!("{}/{}", l["rank"], l["out_of"]),
            )
        })
        .collect();
    // Bắc Ninh and Bắc Kạn both reach 700; Bắc Ninh got there first. The names are 2024's.
    assert_eq!(names[0].1, 700, "{backend:?}: {names:?}");
    assert!(names[0].0.contains("Bắc Ninh"), "{names:?}");
    assert!(
        names[1]
            .0
            .contains("Thông tin và Truyền thông tỉnh Bắc Kạn"),
        "{backend:?}: {names:?}"
    );
    assert_eq!(names[5].2, "6/6");
    // The cluster's lead organised it: the replay is theirs to read.
    let lead = app.client_of("cumtruong@demo.irnet.vn").await;
    let replay: Value = lead
        .get(&format!("/api/v1/drills/{id}/standings/replay"))
        .await
        .ok();
    assert_eq!(board(&replay), board(&live), "{backend:?}");
}
