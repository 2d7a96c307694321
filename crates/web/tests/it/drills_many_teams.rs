//! The whole network in one drill: 63 member teams answer at once, 2,016 submissions in four
//! waves. The standings, kept in each answer's transaction, must equal a replay of the ledger rank
//! by rank — at the end and at the instants sampled between the waves (the replay `at` each) —
//! and every team's score must be the sum of the injects it solved.

use std::collections::BTreeMap;

use irnet_testkit::{Backend, Client, both, spawn_app};
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::drills::board;

const TEAMS: usize = 63;
const INJECTS: usize = 16;

/// Team `t` solves inject `k` at its second try unless `t + k` is a multiple of 3; its first try is
/// always wrong. So every (team, inject) is two submissions: 63 × 16 × 2 = 2,016.
fn solves(t: usize, k: usize) -> bool {
    !(t + k).is_multiple_of(3)
}

fn points(k: usize) -> i64 {
    i64::try_from(10 * (k + 1)).unwrap()
}

/// One wave: every team at once, each answering its injects `injects` one after the other
/// (`second`: the second try, else the first).
async fn wave(
    teams: &[(String, Client)],
    drill: &str,
    injects: &[String],
    range: std::ops::Range<usize>,
    second: bool,
) {
    let mut running = tokio::task::JoinSet::new();
    for (t, (_, client)) in teams.iter().enumerate() {
        let client = client.clone();
        let drill = drill.to_owned();
        let mine: Vec<(usize, String)> = range.clone().map(|k| (k, injects[k].clone())).collect();
        running.spawn(async move {
            for (k, inject) in mine {
                let text = if second && solves(t, k) {
                    "Emotet"
                } else {
                    "wannacry"
                };
                let (s, a) = client
                    .post_json(
                        &format!("/api/v1/drills/{drill}/injects/{inject}/answers"),
                        &json!({ "answer": text }),
                    )
                    .await
                    .parts();
                assert_eq!(s, StatusCode::OK, "team {t}, inject {k}: {a}");
                assert_eq!(
                    a["correct"],
                    json!(text == "Emotet"),
                    "team {t}, inject {k}"
                );
            }
        });
    }
    while let Some(done) = running.join_next().await {
        done.unwrap();
    }
}

#[both]
async fn sixty_three_teams_answering_at_once_leave_standings_equal_to_the_ledger(backend: Backend) {
    let (app, _db) = spawn_app(backend).await;
    app.set_local_time(2026, 11, 10, 8, 30);
    irnet_app::demo::load(&app.app).await.unwrap();
    let coord = app.client_of("dieuphoi@demo.irnet.vn").await;
    let mut teams: Vec<(String, Client)> = Vec::with_capacity(TEAMS);
    for t in 0..TEAMS {
        let org = app
            .org(&format!("Đội ứng cứu thử nghiệm số {:02}", t + 1))
            .await;
        let token = app
            .responder(&format!("doi{:02}@thu-nghiem.vn", t + 1), &org)
            .await;
        teams.push((org, app.bearer(&token)));
    }
    let ids: Vec<&str> = teams.iter().map(|(o, _)| o.as_str()).collect();
    let (s, d) = coord
        .post_json(
            "/api/v1/drills",
            &json!({
                "kind": "scenario",
                "title": "Diễn tập toàn mạng lưới",
                "starts_at": "2026-11-10T08:00",
                "ends_at": "2026-11-10T17:00",
                "attempts_allowed": 2,
                "teams": ids,
            }),
        )
        .await
        .parts();
    assert_eq!(s, StatusCode::CREATED, "{d}");
    let drill = d["id"].as_str().unwrap().to_owned();
    let mut injects = Vec::with_capacity(INJECTS);
    for k in 0..INJECTS {
        let (s, i) = coord
            .post_json(
                &format!("/api/v1/drills/{drill}/injects"),
                &json!({
                    "title": format!("Tình huống {}", k + 1),
                    "task": "Xác định họ mã độc.",
                    "released_at": "2026-11-10T09:00",
                    "deadline": "2026-11-10T16:00",
                    "points": points(k),
                    "answers": ["Emotet"],
                }),
            )
            .await
            .parts();
        assert_eq!(s, StatusCode::CREATED, "{i}");
        injects.push(i["id"].as_str().unwrap().to_owned());
    }
    let (s, d) = coord
        .post_json(
            &format!("/api/v1/drills/{drill}/state"),
            &json!({ "state": "open" }),
        )
        .await
        .parts();
    assert_eq!(s, StatusCode::OK, "{d}");

    // Four waves, each at its own minute; after each, the board as the organiser sees it then.
    let half = INJECTS / 2;
    let waves = [
        ("2026-11-10T09:05", 5, 0..half, false),
        ("2026-11-10T09:10", 10, 0..half, true),
        ("2026-11-10T09:15", 15, half..INJECTS, false),
        ("2026-11-10T09:20", 20, half..INJECTS, true),
    ];
    let mut sampled = Vec::new();
    for (instant, minute, range, second) in waves {
        app.set_local_time(2026, 11, 10, 9, minute);
        wave(&teams, &drill, &injects, range, second).await;
        let now: Value = coord
            .get(&format!("/api/v1/drills/{drill}/standings"))
            .await
            .ok();
        sampled.push((instant, board(&now)));
    }

    // Every team's score is what it solved, whatever order the 63 clients were served in.
    let expected: BTreeMap<String, i64> = teams
        .iter()
        .enumerate()
        .map(|(t, (org, _))| {
            let score = (0..INJECTS).filter(|&k| solves(t, k)).map(points).sum();
            (org.clone(), score)
        })
        .collect();
    let (instant, last) = sampled.last().unwrap();
    let got: BTreeMap<String, i64> = last.iter().map(|(o, s, _)| (o.clone(), *s)).collect();
    assert_eq!(got, expected, "{backend:?} at {instant}");
    assert_eq!(last.len(), TEAMS);
    assert_eq!(last[TEAMS - 1].2, format!("{TEAMS}/{TEAMS}"));

    // The standings equal the ledger replayed, now and at every sampled instant.
    let replay: Value = coord
        .get(&format!("/api/v1/drills/{drill}/standings/replay"))
        .await
        .ok();
    assert_eq!(&board(&replay), last, "{backend:?}: now");
    for (instant, seen) in &sampled {
        let then: Value = coord
            .get(&format!(
                "/api/v1/drills/{drill}/standings/replay?at={instant}"
            ))
            .await
            .ok();
        assert_eq!(&board(&then), seen, "{backend:?}: at {instant}");
    }
    // The first sample was taken when nobody had solved anything yet.
    assert!(sampled[0].1.iter().all(|(_, s, _)| *s == 0), "{backend:?}");

    // A bad instant is named.
    let (s, p) = coord
        .get(&format!(
            "/api/v1/drills/{drill}/standings/replay?at=10/11/2026"
        ))
        .await
        .parts();
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{p}");
    assert_eq!(irnet_testkit::problem_fields(&p), vec!["at".to_owned()]);
}
