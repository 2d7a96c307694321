//! The demo's member profiles (Mẫu 01): every member of Cluster 1 today gets an incident response
//! team, capabilities, staff counts and an expert; Cao Bằng, this year's lead, a complete profile.
//! The teams are made of the demo's existing people (fictional), so that the directory's own
//! figures stay as they were; the numbers are plausible for a provincial department.

use chrono::{NaiveDate, NaiveDateTime};
use irnet_store::DbConn;
use irnet_store::directory::people;
use irnet_store::directory::profile::{
    self, CapabilityRow, ExpertRow, StaffCountRow, TeamMemberRow, TeamRow,
};

use crate::AppError;

struct Demo {
    short: &'static str,
    decision: &'static str,
    decision_date: (i32, u32, u32),
    /// (given name, role), people of the member
    team: &'static [(&'static str, &'static str)],
    /// (skill, level, note)
    skills: &'static [(&'static str, &'static str, &'static str)],
    /// it, security, other
    by_field: [i32; 3],
    /// doctorate, master, bachelor, college, other
    by_degree: [i32; 5],
    certificates: &'static [(&'static str, i32)],
    /// (given name, expertise, certificates)
    experts: &'static [(&'static str, &'static str, &'static [&'static str])],
    confirmed: Option<(i32, u32, u32)>,
}

const PROFILES: [Demo; 4] = [
    Demo {
        short: "cao-bang",
        decision: "125/QĐ-SKHCN",
        decision_date: (2025, 3, 20),
        team: &[("Dũng", "leader"), ("Ánh", "deputy")],
        skills: &[
            (
                "incident_handling",
                "advanced",
                "Trực 24/7 tại Trung tâm Giám sát an toàn thông tin tỉnh",
            ),
            ("log_analysis", "advanced", ""),
            ("network_security", "intermediate", ""),
            ("web_security", "intermediate", ""),
            (
                "malware_analysis",
                "basic",
                "Phối hợp với VNCERT/CC khi cần phân tích chuyên sâu",
            ),
            (
                "training",
                "intermediate",
                "Chủ trì diễn tập Cụm 1 năm 2025",
            ),
        ],
        by_field: [14, 6, 3],
        by_degree: [0, 4, 17, 2, 0],
        certificates: &[
            ("CEH", 2),
            ("Security+", 3),
            ("ISO/IEC 27001 Lead Auditor", 1),
        ],
        experts: &[(
            "Ánh",
            "Phân tích nhật ký và điều tra sự cố",
            &["CEH", "Security+"],
        )],
        confirmed: Some((2026, 1, 15)),
    },
    Demo {
        short: "bac-ninh",
        decision: "318/QĐ-STTTT",
        decision_date: (2023, 6, 12),
        team: &[("Minh", "leader"), ("Hà", "member")],
        skills: &[
            ("incident_handling", "intermediate", ""),
            ("penetration_testing", "intermediate", ""),
            ("web_security", "advanced", ""),
        ],
        by_field: [18, 5, 4],
        by_degree: [1, 5, 19, 2, 0],
        certificates: &[("CEH", 1), ("OSCP", 1)],
        experts: &[("Minh", "Kiểm thử xâm nhập ứng dụng web", &["OSCP"])],
        confirmed: None,
    },
    Demo {
        short: "lang-son",
        decision: "76/QĐ-STTTT",
        decision_date: (2022, 4, 8),
        team: &[("Mai", "leader"), ("Bình", "member")],
        skills: &[
            ("incident_handling", "intermediate", ""),
            ("os_hardening", "basic", ""),
        ],
        by_field: [9, 3, 2],
        by_degree: [0, 2, 11, 1, 0],
        certificates: &[("Security+", 1)],
        experts: &[("Mai", "Xử lý sự cố", &["Security+"])],
        confirmed: None,
    },
    Demo {
        short: "thai-nguyen",
        decision: "210/QĐ-SKHCN",
        decision_date: (2025, 7, 15),
        team: &[("Hường", "leader"), ("Khôi", "expert")],
        skills: &[
            ("incident_handling", "advanced", ""),
            ("forensics", "intermediate", ""),
            ("threat_intelligence", "basic", ""),
            ("cloud_security", "basic", ""),
        ],
        by_field: [22, 8, 5],
        by_degree: [1, 7, 24, 3, 0],
        certificates: &[("CISSP", 1), ("CEH", 2)],
        experts: &[("Khôi", "Điều tra số", &["CISSP"])],
        confirmed: Some((2025, 12, 10)),
    },
];

fn day((y, m, d): (i32, u32, u32)) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default()
}

fn id() -> String {
    uuid::Uuid::now_v7().to_string()
}

/// Loads the profiles; `org_of` maps the demo's short names to organisation ids.
pub(crate) fn load(
    conn: &mut DbConn,
    now: NaiveDateTime,
    org_of: &dyn Fn(&str) -> Option<String>,
) -> Result<(), AppError> {
    for p in &PROFILES {
        let Some(org_id) = org_of(p.short) else {
            continue;
        };
        let staff = people::of_orgs(conn, std::slice::from_ref(&org_id))?;
        let person = |given: &str| -> Result<String, AppError> {
            staff
                .iter()
                .find(|x| x.given_name == given)
                .map(|x| x.id.clone())
                .ok_or_else(|| AppError::internal(format!("demo person {given}")))
        };
        let mut members = Vec::new();
        for (i, (given, role)) in p.team.iter().enumerate() {
            members.push(TeamMemberRow {
                id: id(),
                org_id: org_id.clone(),
                person_id: person(given)?,
                role: (*role).to_owned(),
                position: i32::try_from(i).unwrap_or(0),
            });
        }
        profile::replace_team(
            conn,
            &TeamRow {
                org_id: org_id.clone(),
                decision_number: Some(p.decision.to_owned()),
                decision_date: Some(day(p.decision_date)),
                decision_issuer: Some("Giám đốc Sở".to_owned()),
                updated_at: now,
            },
            &members,
        )?;
        let caps: Vec<CapabilityRow> = p
            .skills
            .iter()
            .map(|(skill, level, note)| CapabilityRow {
                id: id(),
                org_id: org_id.clone(),
                skill: (*skill).to_owned(),
                level: (*level).to_owned(),
                note: Some((*note).to_owned()).filter(|n| !n.is_empty()),
            })
            .collect();
        profile::replace_capabilities(conn, &org_id, &caps)?;
        let line = |category: &str, name: &str, n: i32| StaffCountRow {
            id: id(),
            org_id: org_id.clone(),
            category: category.to_owned(),
            name: name.to_owned(),
            head_count: n,
        };
        let mut lines = Vec::new();
        for (name, n) in irnet_domain::profile::STAFF_FIELDS.iter().zip(p.by_field) {
            lines.push(line("field", name, n));
        }
        for (name, n) in irnet_domain::profile::STAFF_DEGREES.iter().zip(p.by_degree) {
            lines.push(line("degree", name, n));
        }
        for (name, n) in p.certificates {
            lines.push(line("certificate", name, *n));
        }
        profile::replace_staff(conn, &org_id, &lines)?;
        for (given, expertise, certs) in p.experts {
            profile::insert_expert(
                conn,
                &ExpertRow {
                    id: id(),
                    org_id: org_id.clone(),
                    person_id: person(given)?,
                    expertise: (*expertise).to_owned(),
                    certificates: serde_json::json!(certs).to_string(),
                    created_at: now,
                },
            )?;
        }
        profile::touch(conn, &org_id, now, p.confirmed.map(day))?;
    }
    Ok(())
}
