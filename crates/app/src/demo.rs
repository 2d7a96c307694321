//! The demo network of the seed document: the national coordinator; Cluster 1, founded by
//! 38/QĐ-CATTT on 04/05/2020 with the six provincial departments of information and
//! communications; their renaming into departments of science and technology on 01/03/2025; Bắc
//! Kạn merged into Thái Nguyên and Bắc Giang into Bắc Ninh on 01/07/2025; the cluster lead for
//! 2024 (Bắc Kạn) and 2025 (Cao Bằng); one account per role. Loaded in one transaction, only into
//! an empty database (or one that already holds exactly the demo). People, focal points and
//! systems come with the rest of the directory; member profiles are in `demo_profiles`.

use chrono::NaiveDate;
use irnet_domain::{Role, text};
use irnet_store::directory::clusters::{self, ClusterRow, LeadRow, MembershipRow};
use irnet_store::directory::history::{self, SuccessionRow};
use irnet_store::directory::orgs::{self, OrgRow};
use irnet_store::directory::people::{self, FocalPointRow, PersonRow};
use irnet_store::directory::systems::{self, SystemRow};
use irnet_store::identity::grants::{self, GrantRow};
use irnet_store::identity::users::{self, UserRow};
use irnet_store::time::to_db;

use crate::audit::{self, Change};
use crate::directory::import::{self, ColumnNames, Upload};
use crate::directory::orgs::name_version;
use crate::identity::passwords;
use crate::{Actor, App, AppError};

#[derive(Debug, Clone)]
pub struct DemoAccount {
    pub role: &'static str,
    pub email: &'static str,
    pub password: &'static str,
}

const DOMAIN_MARKER: &str = "admin@demo.irnet.vn";

/// (short name, province in Vietnamese, province in English, merged on 01/07/2025 into,
/// province code in `data/provinces-vn.csv`)
const PROVINCES: [(&str, &str, &str, Option<&str>, &str); 6] = [
    ("bac-kan", "Bắc Kạn", "Bắc Kạn", Some("thai-nguyen"), "06"),
    (
        "bac-giang",
        "Bắc Giang",
        "Bắc Giang",
        Some("bac-ninh"),
        "24",
    ),
    ("bac-ninh", "Bắc Ninh", "Bắc Ninh", None, "27"),
    ("cao-bang", "Cao Bằng", "Cao Bằng", None, "04"),
    ("lang-son", "Lạng Sơn", "Lạng Sơn", None, "20"),
    ("thai-nguyen", "Thái Nguyên", "Thái Nguyên", None, "19"),
];

/// The coordinator's seat: Hà Nội.
const COORDINATOR_PROVINCE: &str = "01";

/// (role, email, password, display name, org short name or "" for the coordinator)
const ACCOUNTS: [(&str, &str, &str, &str, &str); 6] = [
    (
        "admin",
        DOMAIN_MARKER,
        "demo-admin-2024",
        "Quản trị hệ thống",
        "",
    ),
    (
        "coordinator",
        "dieuphoi@demo.irnet.vn",
        "demo-coordinator-2024",
        "Nguyễn Thị Hạnh",
        "",
    ),
    (
        "cluster_lead",
        "cumtruong@demo.irnet.vn",
        "demo-clusterlead-2024",
        "Nông Văn Dũng",
        "cao-bang",
    ),
    (
        "org_admin",
        "quantri.thainguyen@demo.irnet.vn",
        "demo-orgadmin-2024",
        "Ma Thị Hường",
        "thai-nguyen",
    ),
    (
        "responder",
        "ungcuu.langson@demo.irnet.vn",
        "demo-responder-2024",
        "Lương Thị Mai",
        "lang-son",
    ),
    (
        "viewer",
        "xem@demo.irnet.vn",
        "demo-viewer-2024",
        "Trần Minh Đức",
        "bac-ninh",
    ),
];

/// People of the demo members (fictional, but for the Bắc Kạn director the seed names):
/// (org short name, family, middle, given, title, phone, focal point kind or "").
const PEOPLE: [(&str, &str, &str, &str, &str, &str, &str); 13] = [
    (
        "bac-kan",
        "Hoàng",
        "Văn",
        "Thiên",
        "Giám đốc Sở",
        "0209 3870 001",
        "",
    ),
    (
        "bac-kan",
        "Triệu",
        "Thị",
        "Loan",
        "Trưởng phòng Bưu chính, Viễn thông và CNTT",
        "0209 3870 102",
        "main",
    ),
    (
        "bac-giang",
        "Nguyễn",
        "Văn",
        "Tuấn",
        "Phó Giám đốc Trung tâm CNTT&TT",
        "0204 3855 201",
        "main",
    ),
    (
        "bac-ninh",
        "Lê",
        "Quang",
        "Minh",
        "Trưởng phòng An toàn thông tin",
        "0222 3822 301",
        "main",
    ),
    (
        "bac-ninh",
        "Phạm",
        "Thu",
        "Hà",
        "Chuyên viên",
        "0222 3822 302",
        "backup",
    ),
    (
        "cao-bang",
        "Nông",
        "Văn",
        "Dũng",
        "Trưởng phòng Công nghệ thông tin",
        "0206 3852 401",
        "main",
    ),
    (
        "cao-bang",
        "Bế",
        "Thị",
        "Ánh",
        "Chuyên viên ứng cứu sự cố",
        "0206 3852 402",
        "backup",
    ),
    (
        "lang-son",
        "Lương",
        "Thị",
        "Mai",
        "Cán bộ ứng cứu sự cố",
        "0205 3870 501",
        "main",
    ),
    (
        "lang-son",
        "Hoàng",
        "Đức",
        "Bình",
        "Chuyên viên",
        "0205 3870 502",
        "backup",
    ),
    (
        "thai-nguyen",
        "Ma",
        "Thị",
        "Hường",
        "Trưởng phòng An toàn thông tin",
        "0208 3856 601",
        "main",
    ),
    (
        "thai-nguyen",
        "Đỗ",
        "Minh",
        "Khôi",
        "Kỹ sư an toàn thông tin",
        "0208 3856 602",
        "backup",
    ),
    (
        "vncert",
        "Nguyễn",
        "Thị",
        "Hạnh",
        "Điều phối viên",
        "024 3640 4421",
        "main",
    ),
    (
        "vncert",
        "Trần",
        "Quốc",
        "Việt",
        "Trực 24/7",
        "024 3640 4422",
        "backup",
    ),
];

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default()
}

pub fn accounts() -> Vec<DemoAccount> {
    ACCOUNTS
        .iter()
        .map(|(role, email, password, _, _)| DemoAccount {
            role,
            email,
            password,
        })
        .collect()
}

pub async fn load(app: &App) -> Result<Vec<DemoAccount>, AppError> {
    let state = app
        .store
        .read(|c| {
            let loaded = users::by_email(c, DOMAIN_MARKER)?.is_some();
            Ok::<_, AppError>((loaded, orgs::count(c)? + users::count(c)?))
        })
        .await?;
    match state {
        (true, _) => return Ok(accounts()),
        (false, n) if n > 0 => {
            return Err(AppError::Conflict {
                code: "demo_needs_empty_database",
                field: None,
            });
        }
        _ => {}
    }
    let mut hashes = Vec::new();
    for (_, _, password, _, _) in ACCOUNTS {
        hashes.push(passwords::hash(password.to_owned()).await?);
    }
    let app2 = app.clone();
    app.store
        .write(move |conn| {
            let now = to_db(app2.now());
            // Provinces first: the organisations' name versions refer to them.
            let loaded = import::provinces::run(conn, &app2, &Actor::operator(), &Upload::csv(import::provinces::BUNDLED), &ColumnNames::default(), false)?;
            if !loaded.problems.is_empty() {
                return Err(AppError::internal(format!("bundled provinces: {:?}", loaded.problems)));
            }
            let org = |short: &str, vi: &str, en: &str, kind: &str| OrgRow {
                id: uuid::Uuid::now_v7().to_string(),
                name_vi: vi.to_owned(),
                name_en: Some(en.to_owned()),
                short_name: Some(short.to_owned()),
                kind: kind.to_owned(),
                name_folded: text::fold(vi),
                created_at: now,
                updated_at: now,
                member_code: None,
            };
            let coordinator = org(
                "VNCERT/CC",
                "Trung tâm Ứng cứu khẩn cấp không gian mạng Việt Nam (VNCERT/CC)",
                "Vietnam Computer Emergency Response Team (VNCERT/CC)",
                "national_coordinator",
            );
            orgs::insert(conn, &coordinator)?;
            let mut seat = name_version(&coordinator, day(2005, 1, 1), "founding");
            seat.province_code = Some(COORDINATOR_PROVINCE.to_owned());
            history::insert_name(conn, &seat)?;
            let cluster = ClusterRow {
                id: uuid::Uuid::now_v7().to_string(),
                number: 1,
                name_vi: "Cụm thành viên số 1".to_owned(),
                name_en: Some("Member Cluster No. 1".to_owned()),
                created_at: now,
                founding_decision: Some("38/QĐ-CATTT".to_owned()),
                founding_date: Some(day(2020, 5, 4)),
                founding_issuer: Some("Cục An toàn thông tin, Bộ Thông tin và Truyền thông".to_owned()),
            };
            clusters::insert(conn, &cluster)?;
            let founded = day(2020, 5, 4);
            let renamed = day(2025, 3, 1);
            let merged = day(2025, 7, 1);
            let mut province_ids: Vec<(&str, String)> = Vec::new();
            for (short, vi, en, merged_into, province) in PROVINCES {
                // Today's snapshot: the department of science and technology since 01/03/2025.
                let mut row = org(
                    &format!("Sở KH&CN {vi}"),
                    &format!("Sở Khoa học và Công nghệ tỉnh {vi}"),
                    &format!("{en} Department of Science and Technology"),
                    "provincial_department",
                );
                // The member code starts its incident numbers: "LS-2026-0003" for Lạng Sơn.
                row.member_code = Some(
                    text::fold(vi)
                        .split_whitespace()
                        .filter_map(|w| w.chars().next())
                        .collect::<String>()
                        .to_uppercase(),
                );
                orgs::insert(conn, &row)?;
                let ict = OrgRow {
                    short_name: Some(format!("Sở TT&TT {vi}")),
                    name_vi: format!("Sở Thông tin và Truyền thông tỉnh {vi}"),
                    name_en: Some(format!("{en} Department of Information and Communications")),
                    name_folded: text::fold(&format!("Sở Thông tin và Truyền thông tỉnh {vi}")),
                    ..row.clone()
                };
                let mut first = name_version(&ict, founded, "founding");
                first.valid_to = Some(renamed);
                first.province_code = Some(province.to_owned());
                history::insert_name(conn, &first)?;
                let mut second = name_version(&row, renamed, "rename");
                second.valid_to = merged_into.map(|_| merged);
                // The surviving province keeps its code, so one version spans the merger.
                second.province_code = Some(province.to_owned());
                history::insert_name(conn, &second)?;
                history::insert_succession(conn, &SuccessionRow {
                    id: uuid::Uuid::now_v7().to_string(),
                    kind: "rename".to_owned(),
                    effective: renamed,
                    predecessor_id: row.id.clone(),
                    successor_id: Some(row.id.clone()),
                    decision: None,
                    created_at: now,
                })?;
                clusters::insert_membership(conn, &MembershipRow {
                    id: uuid::Uuid::now_v7().to_string(),
                    cluster_id: cluster.id.clone(),
                    org_id: row.id.clone(),
                    valid_from: founded,
                    valid_to: merged_into.map(|_| merged),
                    reason: "founding".to_owned(),
                })?;
                province_ids.push((short, row.id));
            }
            let id_of = |short: &str| province_ids.iter().find(|(s, _)| *s == short).map(|(_, id)| id.clone());
            for (short, _, _, merged_into, _) in PROVINCES {
                if let (Some(from), Some(into)) = (id_of(short), merged_into.and_then(id_of)) {
                    history::insert_succession(conn, &SuccessionRow {
                        id: uuid::Uuid::now_v7().to_string(),
                        kind: "merge".to_owned(),
                        effective: merged,
                        predecessor_id: from,
                        successor_id: Some(into),
                        decision: Some("Nghị quyết 202/2025/QH15".to_owned()),
                        created_at: now,
                    })?;
                }
            }
            for (org_short, family, middle, given, title, phone, focal) in PEOPLE {
                let org_id = if org_short == "vncert" { Some(coordinator.id.clone()) } else { id_of(org_short) };
                let Some(org_id) = org_id else { continue };
                let person = PersonRow {
                    id: uuid::Uuid::now_v7().to_string(),
                    org_id: org_id.clone(),
                    family_name: family.to_owned(),
                    middle_name: Some(middle.to_owned()),
                    given_name: given.to_owned(),
                    title: Some(title.to_owned()),
                    phones: serde_json::json!([phone]).to_string(),
                    emails: serde_json::json!([format!("{}.{org_short}@demo.irnet.vn", text::fold(given))]).to_string(),
                    user_id: None,
                    created_at: now,
                    updated_at: now,
                };
                people::insert(conn, &person)?;
                if !focal.is_empty() {
                    people::set_focal_point(conn, &FocalPointRow {
                        id: uuid::Uuid::now_v7().to_string(),
                        org_id,
                        kind: focal.to_owned(),
                        person_id: person.id,
                        since: now,
                        confirmed_at: now,
                    })?;
                }
            }
            let json = |v: &[&str]| serde_json::json!(v).to_string();
            for (short, vi, _, _, _) in PROVINCES {
                let Some(org_id) = id_of(short) else { continue };
                systems::insert(conn, &SystemRow {
                    id: uuid::Uuid::now_v7().to_string(),
                    owner_org_id: org_id.clone(),
                    operator_org_id: None,
                    name: format!("Cơ sở dữ liệu dùng chung tại Trung tâm Tích hợp dữ liệu tỉnh {vi}"),
                    purpose: Some("Cơ sở dữ liệu dùng chung của các cơ quan nhà nước trên địa bàn tỉnh".to_owned()),
                    information_classes: json(&["Dữ liệu dùng chung", "Dữ liệu cá nhân"]),
                    proposed_level: Some(3),
                    approved_level: Some(3),
                    approver: None,
                    approval_decision: None,
                    approval_date: None,
                    public_urls: json(&[]),
                    domains: json(&[]),
                    ip_ranges: json(&[]),
                    internet_facing: false,
                    critical: true,
                    created_at: now,
                    updated_at: now,
                    os: None,
                    os_version: None,
                })?;
            }
            if let Some(org_id) = id_of("bac-kan") {
                // The target of the cluster's 2024 live-fire drill.
                systems::insert(conn, &SystemRow {
                    id: uuid::Uuid::now_v7().to_string(),
                    owner_org_id: org_id,
                    operator_org_id: None,
                    name: "Cổng thông tin điện tử tỉnh Bắc Kạn".to_owned(),
                    purpose: Some("Cung cấp thông tin và dịch vụ công trực tuyến của tỉnh".to_owned()),
                    information_classes: json(&["Thông tin công khai"]),
                    proposed_level: Some(3),
                    approved_level: Some(3),
                    approver: None,
                    approval_decision: None,
                    approval_date: None,
                    public_urls: json(&["https://backan.gov.vn"]),
                    domains: json(&["backan.gov.vn"]),
                    ip_ranges: json(&[]),
                    internet_facing: true,
                    critical: false,
                    created_at: now,
                    updated_at: now,
                    os: Some("Ubuntu Server".to_owned()),
                    os_version: Some("22.04 LTS".to_owned()),
                })?;
            }
            crate::demo_profiles::load(conn, now, &id_of)?;
            crate::drills::demo::load(conn, now, &id_of)?;
            crate::drills::demo::load_cluster_drill(conn, now, &cluster.id, &id_of)?;
            let (Some(bac_kan), Some(cao_bang)) = (id_of("bac-kan"), id_of("cao-bang")) else {
                return Err(AppError::internal("demo provinces"));
            };
            training_2024(conn, &app2, &cluster.id, &bac_kan, &province_ids)?;
            clusters::insert_lead(conn, &LeadRow {
                id: uuid::Uuid::now_v7().to_string(),
                cluster_id: cluster.id.clone(),
                year: 2024,
                org_id: bac_kan.clone(),
                handed_over_on: None,
                handed_over_from: None,
                handover_event: None,
                handed_over_by: None,
            })?;
            // The seed reports the handover at the 2024 year-end conference (December 2024, day
            // not given), by the director of the Bắc Kạn department.
            clusters::insert_lead(conn, &LeadRow {
                id: uuid::Uuid::now_v7().to_string(),
                cluster_id: cluster.id.clone(),
                year: 2025,
                org_id: cao_bang,
                handed_over_on: None,
                handed_over_from: Some(bac_kan),
                handover_event: Some("Hội nghị tổng kết năm 2024 của Cụm thành viên số 1".to_owned()),
                handed_over_by: Some("Ông Hoàng Văn Thiên, Giám đốc Sở Thông tin và Truyền thông tỉnh Bắc Kạn".to_owned()),
            })?;
            for ((role, email, _, name, org_short), hash) in ACCOUNTS.iter().zip(hashes) {
                let org_id = province_ids
                    .iter()
                    .find(|(s, _)| s == org_short)
                    .map_or_else(|| coordinator.id.clone(), |(_, id)| id.clone());
                let user = UserRow::new_account(
                    org_id.clone(),
                    (*email).to_owned(),
                    (*name).to_owned(),
                    "vi".to_owned(),
                    hash,
                    now,
                );
                users::insert(conn, &user)?;
                let role = Role::parse(role).map_err(AppError::internal)?;
                let (scope_kind, scope_id) = match role {
                    Role::Admin | Role::Coordinator => ("network", String::new()),
                    Role::ClusterLead => ("cluster", cluster.id.clone()),
                    _ => ("org", org_id),
                };
                grants::insert(conn, &GrantRow {
                    id: uuid::Uuid::now_v7().to_string(),
                    user_id: user.id.clone(),
                    role: role.as_str().to_owned(),
                    scope_kind: scope_kind.to_owned(),
                    scope_id,
                    granted_by: None,
                    created_at: now,
                })?;
            }
            audit::record(conn, &app2, &Actor::operator(), Change {
                action: "demo.loaded",
                object_type: "network",
                object_id: None,
                object_org_id: None,
                summary: serde_json::json!({ "organisations": PROVINCES.len() + 1, "history": "renamed 2025-03-01, merged 2025-07-01", "accounts": ACCOUNTS.len() }),
            })?;
            Ok::<_, AppError>(())
        })
        .await?;
    Ok(accounts())
}

/// The cluster's 2024 training programme (seed: "the cluster members organised drills and
/// training for their provincial incident response teams"), organised by Bắc Kạn as the 2024
/// lead for all six members: three sessions, each demo person of the members attending the
/// first, some the others; and two certificates. Titles, places and trainers are demo values.
fn training_2024(
    conn: &mut irnet_store::DbConn,
    app: &App,
    cluster_id: &str,
    lead: &str,
    members: &[(&str, String)],
) -> Result<(), AppError> {
    use irnet_domain::ids::{CertificateId, ProgrammeId, TrainingSessionId};
    use irnet_domain::training::HoursSource;
    use irnet_store::training::{self as store, CertificateRow, ProgrammeRow, SessionRow};
    let now = to_db(app.now());
    let invited: Vec<String> = members.iter().map(|(_, id)| id.clone()).collect();
    let programme = ProgrammeRow {
        id: ProgrammeId::new(),
        organiser_org_id: lead.to_owned(),
        organiser_kind: "cluster_lead".to_owned(),
        cluster_id: Some(cluster_id.to_owned()),
        title: "Bồi dưỡng kỹ năng ứng cứu sự cố cho Đội ứng cứu sự cố các tỉnh Cụm 1 năm 2024"
            .to_owned(),
        topic: "Điều tra, xử lý sự cố và diễn tập ứng cứu (giá trị demo)".to_owned(),
        audience: "Đội ứng cứu sự cố và cán bộ chuyên trách CNTT của các tỉnh thành viên"
            .to_owned(),
        year: 2024,
        created_by: None,
        created_at: now,
        updated_at: now,
    };
    store::insert_programme(conn, &programme, &invited)?;
    let sessions = [
        (
            day(2024, 6, 12),
            "Trung tâm Hội nghị tỉnh Bắc Kạn",
            480,
            "Phân tích mã độc và điều tra số",
            "ThS. Đỗ Minh Khoa (giá trị demo)",
        ),
        (
            day(2024, 6, 13),
            "Trung tâm Hội nghị tỉnh Bắc Kạn",
            240,
            "Quy trình ứng cứu sự cố theo Quyết định 05/2017/QĐ-TTg",
            "Nguyễn Thu Trang (giá trị demo)",
        ),
        (
            day(2024, 9, 20),
            "Trực tuyến",
            210,
            "Chuẩn bị diễn tập ACID 2024",
            "Phạm Quang Huy (giá trị demo)",
        ),
    ];
    let attendees = irnet_store::directory::people::of_orgs(conn, &invited)?;
    for (i, (held_on, place, minutes, topic, trainer)) in sessions.into_iter().enumerate() {
        let s = SessionRow {
            id: TrainingSessionId::new(),
            programme_id: programme.id.clone(),
            held_on,
            place: place.to_owned(),
            minutes,
            topic: topic.to_owned(),
            trainer: trainer.to_owned(),
            created_at: now,
        };
        store::insert_session(conn, &s)?;
        // Everyone at the opening session; every other person at the later ones.
        for person in attendees
            .iter()
            .enumerate()
            .filter(|(n, _)| i == 0 || n % 2 == 0)
            .map(|(_, p)| p)
        {
            crate::training::record_hours(
                conn,
                app,
                &person.id,
                held_on,
                minutes,
                HoursSource::Session,
                s.id.as_str(),
            )?;
        }
    }
    for (n, person) in attendees.iter().take(2).enumerate() {
        store::insert_certificate(
            conn,
            &CertificateRow {
                id: CertificateId::new(),
                person_id: person.id.clone(),
                org_id: person.org_id.clone(),
                name: "Chứng chỉ An toàn thông tin cơ bản (giá trị demo)".to_owned(),
                issuer: "Trung tâm Ứng cứu khẩn cấp không gian mạng Việt Nam".to_owned(),
                number: format!("ATTT-2024-{:04}", n + 1),
                issued_on: day(2024, 6, 13),
                valid_until: Some(day(2027, 6, 12)),
                reminded_for: None,
                created_at: now,
                updated_at: now,
            },
        )?;
    }
    Ok(())
}
