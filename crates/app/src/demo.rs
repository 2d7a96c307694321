//! The demo network of the seed document: the national coordinator and Cluster 1 with its six
//! provincial departments, and one account per role. Loaded in one transaction, only into an
//! empty database (or one that already holds exactly the demo). The directory pillar extends it
//! with history (renamings, mergers, cluster leads), people, focal points and systems.

use chrono::NaiveDate;
use irnet_domain::{Role, text};
use irnet_store::directory::clusters::{self, ClusterRow, MembershipRow};
use irnet_store::directory::orgs::{self, OrgRow};
use irnet_store::identity::grants::{self, GrantRow};
use irnet_store::identity::users::{self, UserRow};
use irnet_store::time::to_db;

use crate::audit::{self, Change};
use crate::identity::passwords;
use crate::{Actor, App, AppError};

#[derive(Debug, Clone)]
pub struct DemoAccount {
    pub role: &'static str,
    pub email: &'static str,
    pub password: &'static str,
}

const DOMAIN_MARKER: &str = "admin@demo.irnet.vn";

/// (short name, Vietnamese name, English name)
const PROVINCES: [(&str, &str, &str); 6] = [
    (
        "bac-kan",
        "Sở Thông tin và Truyền thông tỉnh Bắc Kạn",
        "Bắc Kạn Department of Information and Communications",
    ),
    (
        "bac-giang",
        "Sở Thông tin và Truyền thông tỉnh Bắc Giang",
        "Bắc Giang Department of Information and Communications",
    ),
    (
        "bac-ninh",
        "Sở Thông tin và Truyền thông tỉnh Bắc Ninh",
        "Bắc Ninh Department of Information and Communications",
    ),
    (
        "cao-bang",
        "Sở Thông tin và Truyền thông tỉnh Cao Bằng",
        "Cao Bằng Department of Information and Communications",
    ),
    (
        "lang-son",
        "Sở Thông tin và Truyền thông tỉnh Lạng Sơn",
        "Lạng Sơn Department of Information and Communications",
    ),
    (
        "thai-nguyen",
        "Sở Thông tin và Truyền thông tỉnh Thái Nguyên",
        "Thái Nguyên Department of Information and Communications",
    ),
];

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
        "quantri.backan@demo.irnet.vn",
        "demo-orgadmin-2024",
        "Hoàng Văn Thiên",
        "bac-kan",
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
        "thai-nguyen",
    ),
];

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
            let org = |short: &str, vi: &str, en: &str, kind: &str| OrgRow {
                id: uuid::Uuid::now_v7().to_string(),
                name_vi: vi.to_owned(),
                name_en: Some(en.to_owned()),
                short_name: Some(short.to_owned()),
                kind: kind.to_owned(),
                name_folded: text::fold(vi),
                created_at: now,
                updated_at: now,
            };
            let coordinator = org(
                "vncert",
                "Trung tâm Ứng cứu khẩn cấp không gian mạng Việt Nam (VNCERT/CC)",
                "Vietnam Computer Emergency Response Team (VNCERT/CC)",
                "national_coordinator",
            );
            orgs::insert(conn, &coordinator)?;
            let cluster = ClusterRow {
                id: uuid::Uuid::now_v7().to_string(),
                number: 1,
                name_vi: "Cụm thành viên số 1".to_owned(),
                name_en: Some("Member Cluster No. 1".to_owned()),
                created_at: now,
            };
            clusters::insert(conn, &cluster)?;
            let founded = NaiveDate::from_ymd_opt(2020, 5, 4).unwrap_or_default();
            let mut province_ids = Vec::new();
            for (short, vi, en) in PROVINCES {
                let row = org(short, vi, en, "provincial_department");
                orgs::insert(conn, &row)?;
                clusters::insert_membership(conn, &MembershipRow {
                    id: uuid::Uuid::now_v7().to_string(),
                    cluster_id: cluster.id.clone(),
                    org_id: row.id.clone(),
                    valid_from: founded,
                    valid_to: None,
                    reason: "founding".to_owned(),
                })?;
                province_ids.push((short, row.id));
            }
            for ((role, email, _, name, org_short), hash) in ACCOUNTS.iter().zip(hashes) {
                let org_id = province_ids
                    .iter()
                    .find(|(s, _)| s == org_short)
                    .map_or_else(|| coordinator.id.clone(), |(_, id)| id.clone());
                let user = UserRow {
                    id: uuid::Uuid::now_v7().to_string(),
                    org_id: org_id.clone(),
                    email: (*email).to_owned(),
                    display_name: (*name).to_owned(),
                    locale: "vi".to_owned(),
                    password_hash: hash,
                    active: true,
                    mfa_secret: None,
                    mfa_pending_secret: None,
                    mfa_enabled_at: None,
                    mfa_last_step: None,
                    password_changed_at: now,
                    created_at: now,
                    updated_at: now,
                };
                users::insert(conn, &user)?;
                let role = Role::parse(role).map_err(|e| AppError::Internal(e.to_string()))?;
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
                summary: serde_json::json!({ "organisations": PROVINCES.len() + 1, "accounts": ACCOUNTS.len() }),
            })?;
            Ok::<_, AppError>(())
        })
        .await?;
    Ok(accounts())
}
