//! The demo's drills of 2024, from the seed: APCERT Drill 2024 (29/08/2024) and ACID 2024
//! (15/10/2024) as external drills with the cluster's six members' ranks. Three ranks are the
//! seed's (Bắc Ninh 3/63 and Bắc Giang 6/63 in ACID, Bắc Kạn 10/63 in APCERT); the others are
//! made up and marked as demo values.

use chrono::{NaiveDate, NaiveDateTime};
use irnet_domain::drills::{Kind, State};
use irnet_domain::ids::DrillId;
use irnet_store::DbConn;
use irnet_store::drills::{self as store, DrillRow};

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
