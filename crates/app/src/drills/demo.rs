//! The demo's drills of 2024, from the seed: APCERT Drill 2024 (29/08/2024) and ACID 2024
//! (15/10/2024) as external drills with the cluster's six members' ranks. Three ranks are the
//! seed's (Bắc Ninh 3/63 and Bắc Giang 6/63 in ACID, Bắc Kạn 10/63 in APCERT); the others are
//! made up and marked as demo values.
//!
//! And the cluster's own scenario drill of November 2024, finished and published: four injects,
//! the six members' results entered by the organiser from the scoring sheet (the drill predates
//! irnet, so the ledger's events name no account), a freeze an hour before the end.

use chrono::{NaiveDate, NaiveDateTime};
use irnet_domain::drills::DrillRole;
use irnet_domain::drills::{Kind, LedgerEvent, State, normalise_answer};
use irnet_domain::ids::{DrillId, InjectId};
use irnet_store::DbConn;
use irnet_store::drills::{self as store, DrillRow, InjectRow, LedgerRow, MemberRow};

use crate::AppError;

struct External {
    title: &'static str,
    organiser: &'static str,
    theme: &'static str,
    /// (y, m, d, start hour, end hour), local time (UTC+7)
    when: (i32, u32, u32, u32, u32),
    /// (member short name, rank, out of, from the seed)
    ranks: [(&'static str, i32, i32, bool); 6],
}

const EXTERNAL: [External; 2] = [
    External {
        title: "APCERT Drill 2024",
        organiser: "APCERT (phần trong nước do VNCERT/CC tổ chức)",
        theme: "Ứng phó tấn công APT",
        when: (2024, 8, 29, 10, 15),
        ranks: [
            ("bac-kan", 10, 63, true),
            ("bac-ninh", 7, 63, false),
            ("bac-giang", 12, 63, false),
            ("thai-nguyen", 15, 63, false),
            ("lang-son", 18, 63, false),
            ("cao-bang", 21, 63, false),
        ],
    },
    External {
        title: "ACID 2024",
        organiser: "CSA Singapore (ASEAN CERT Incident Drill); Cục An toàn thông tin tổ chức phần trong nước",
        theme: "Tấn công sử dụng trí tuệ nhân tạo",
        when: (2024, 10, 15, 8, 17),
        ranks: [
            ("bac-ninh", 3, 63, true),
            ("bac-giang", 6, 63, true),
            ("thai-nguyen", 9, 63, false),
            ("bac-kan", 14, 63, false),
            ("lang-son", 17, 63, false),
            ("cao-bang", 20, 63, false),
        ],
    },
];

/// The network's zone, in which the seed gives the times.
const OFFSET_MINUTES: i32 = 7 * 60;

fn utc(y: i32, m: u32, d: u32, hour: u32) -> NaiveDateTime {
    NaiveDate::from_ymd_opt(y, m, d)
        .and_then(|day| day.and_hms_opt(hour, 0, 0))
        .map(|t| t - chrono::Duration::minutes(i64::from(OFFSET_MINUTES)))
        .unwrap_or_default()
}

pub(crate) fn load(
    conn: &mut DbConn,
    now: NaiveDateTime,
    org_of: &dyn Fn(&str) -> Option<String>,
) -> Result<(), AppError> {
    for e in &EXTERNAL {
        let (y, m, d, from, to) = e.when;
        let row = DrillRow {
            id: DrillId::new(),
            kind: Kind::External,
            title: e.title.to_owned(),
            organiser_cluster_id: None,
            organiser_name: Some(e.organiser.to_owned()),
            theme: e.theme.to_owned(),
            rules: String::new(),
            starts_at: utc(y, m, d, from),
            ends_at: utc(y, m, d, to),
            utc_offset_minutes: OFFSET_MINUTES,
            state: State::Published,
            attempts_allowed: 1,
            frozen_at: None,
            created_by: None,
            created_at: now,
            updated_at: now,
        };
        store::insert(conn, &row)?;
        for (short, rank, out_of, real) in e.ranks {
            let Some(org) = org_of(short) else { continue };
            super::results::insert(conn, &row.id, &[], &org, rank, out_of, !real, now)?;
        }
    }
    Ok(())
}

/// An inject of the demo drill: (title, task, released at local (h, m), deadline (h, m), points,
/// accepted answer).
type DemoInject = (
    &'static str,
    &'static str,
    (u32, u32),
    (u32, u32),
    i64,
    &'static str,
);

const INJECTS: [DemoInject; 4] = [
    (
        "Phát hiện bất thường trên máy chủ thư điện tử",
        "Nhật ký cho thấy nhiều tệp bị đổi đuôi .lockbit. Xác định họ mã độc.",
        (8, 0),
        (8, 45),
        100,
        "LockBit",
    ),
    (
        "Xác định máy chủ điều khiển",
        "Từ lưu lượng mạng kèm theo, xác định địa chỉ IP máy chủ điều khiển (C2).",
        (8, 45),
        (9, 30),
        150,
        "203.0.113.45",
    ),
    (
        "Cô lập và khôi phục",
        "Nêu biện pháp cô lập đầu tiên cần thực hiện với máy chủ bị nhiễm.",
        (9, 30),
        (10, 30),
        200,
        "ngắt kết nối mạng",
    ),
    (
        "Báo cáo sự cố ban đầu",
        "Nộp mã số báo cáo ban đầu (Mẫu 03) đã gửi Cơ quan điều phối quốc gia.",
        (10, 15),
        (11, 30),
        250,
        "BC03",
    ),
];

/// A team's answer: (inject index, minutes after 08:00, correct).
type DemoAnswer = (usize, u32, bool);

/// Per team: (member short name, its answers).
const RESULTS: [(&str, &[DemoAnswer]); 6] = [
    (
        "bac-ninh",
        &[(0, 12, true), (1, 58, true), (2, 112, true), (3, 150, true)],
    ),
    (
        "bac-kan",
        &[
            (0, 9, true),
            (1, 61, false),
            (1, 70, true),
            (2, 120, true),
            (3, 171, true),
        ],
    ),
    (
        "thai-nguyen",
        &[
            (0, 20, true),
            (1, 66, true),
            (2, 131, false),
            (2, 140, true),
        ],
    ),
    ("bac-giang", &[(0, 15, true), (1, 80, true), (3, 160, true)]),
    ("lang-son", &[(0, 25, false), (0, 31, true), (2, 125, true)]),
    ("cao-bang", &[(0, 40, true), (1, 85, false), (1, 88, false)]),
];

/// The local time `minutes` after 08:00 on the drill's day, in UTC.
fn at(minutes: u32) -> NaiveDateTime {
    utc(2024, 11, 21, 8) + chrono::Duration::minutes(i64::from(minutes))
}

pub(crate) fn load_cluster_drill(
    conn: &mut DbConn,
    now: NaiveDateTime,
    cluster_id: &str,
    org_of: &dyn Fn(&str) -> Option<String>,
) -> Result<(), AppError> {
    let freeze = at(150);
    let row = DrillRow {
        id: DrillId::new(),
        kind: Kind::Scenario,
        title: "Diễn tập ứng cứu sự cố Cụm thành viên số 1 năm 2024".to_owned(),
        organiser_cluster_id: Some(cluster_id.to_owned()),
        organiser_name: None,
        theme: "Ứng cứu sự cố tấn công mã độc mã hóa dữ liệu".to_owned(),
        rules: "Mỗi tình huống được trả lời tối đa 3 lần. Bảng xếp hạng đóng băng lúc 10:30."
            .to_owned(),
        starts_at: at(0),
        ends_at: at(210),
        utc_offset_minutes: OFFSET_MINUTES,
        state: State::Published,
        attempts_allowed: 3,
        frozen_at: Some(freeze),
        created_by: None,
        created_at: now,
        updated_at: now,
    };
    store::insert(conn, &row)?;
    let teams: Vec<(String, &[DemoAnswer])> = RESULTS
        .iter()
        .filter_map(|(short, events)| org_of(short).map(|o| (o, *events)))
        .collect();
    for (team, _) in &teams {
        store::add_member(
            conn,
            &MemberRow {
                id: uuid::Uuid::now_v7().to_string(),
                drill_id: row.id.clone(),
                role: DrillRole::Participant,
                org_id: Some(team.clone()),
                user_id: None,
                created_at: now,
            },
        )?;
        store::add_team(conn, &row.id, team)?;
    }
    let mut injects = Vec::with_capacity(INJECTS.len());
    for (title, task, (rh, rm), (dh, dm), points, answer) in INJECTS {
        let inject = InjectRow {
            id: InjectId::new(),
            drill_id: row.id.clone(),
            title: title.to_owned(),
            task: task.to_owned(),
            released_at: at((rh - 8) * 60 + rm),
            deadline: at((dh - 8) * 60 + dm),
            points,
            answers: serde_json::json!([normalise_answer(answer)]).to_string(),
            created_at: now,
        };
        store::insert_inject(conn, &inject)?;
        injects.push((inject.id, points));
    }
    // The events in the order they happened, the freeze taken between them.
    let mut events: Vec<(NaiveDateTime, &str, usize, bool)> = teams
        .iter()
        .flat_map(|(team, evs)| {
            evs.iter()
                .map(move |(k, minutes, correct)| (at(*minutes), team.as_str(), *k, *correct))
        })
        .collect();
    events.sort();
    let mut frozen = false;
    for (when, team, k, correct) in events {
        if !frozen && when > freeze {
            store::freeze(conn, &row.id)?;
            frozen = true;
        }
        let (inject, points) = &injects[k];
        store::record(
            conn,
            &LedgerRow {
                id: uuid::Uuid::now_v7().to_string(),
                drill_id: row.id.clone(),
                team_org_id: team.to_owned(),
                event: if correct {
                    LedgerEvent::AnswerCorrect
                } else {
                    LedgerEvent::AnswerWrong
                },
                inject_id: Some(inject.clone()),
                points: if correct { *points } else { 0 },
                note: "Nhập từ phiếu chấm điểm".to_owned(),
                by_user: None,
                at: when,
            },
        )?;
    }
    if !frozen {
        store::freeze(conn, &row.id)?;
    }
    Ok(())
}
