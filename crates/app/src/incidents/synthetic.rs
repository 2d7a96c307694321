//! A synthetic incident network of any size, for benchmarks (`irnet bench seed-incidents`):
//! member organisations (some in clusters) with a responder and a few information systems each,
//! and incidents spread over them and over the years since 2021 — Vietnamese titles and summaries
//! by incident type, statuses by age, TLP markings, escalations to the coordinator, a few
//! supporters. Incidents and their words go through the store's bulk functions, which index
//! exactly as a single save does, so the benchmark measures the production index.
//! Deterministic: the same sizes give the same network (ids aside).

use std::collections::BTreeMap;

use chrono::{Datelike, Duration, NaiveDate, NaiveDateTime};
use irnet_domain::ids::IncidentId;
use irnet_domain::incident::Status;
use irnet_domain::{OrgKind, Tlp};
use irnet_store::access::{ShareRow, share_many};
use irnet_store::bulk;
use irnet_store::directory::clusters::{self, ClusterRow, MembershipRow};
use irnet_store::directory::history;
use irnet_store::directory::orgs::{self, OrgRow};
use irnet_store::directory::systems::{self, SystemRow};
use irnet_store::identity::users::{self, UserRow};
use irnet_store::incidents::{self as store, IncidentRow, KIND};
use irnet_store::time::{from_db, to_db};

use super::{coordinator_org, deadlines};
use crate::audit::{self, Change};
use crate::directory::orgs::name_version;
use crate::directory::synthetic::{PROVINCES, Rng, synthetic_org};
use crate::{Actor, App, AppError};

/// Incidents written per transaction: large enough to be fast, small enough not to hold the
/// write lock for long.
const INCIDENTS_PER_TX: usize = 5_000;

/// The tables whose secondary indexes are built after the load rather than during it.
const BULK_TABLES: &[&str] = &["search_terms", "incidents", "record_shares"];
/// Members per cluster, and how many clusters (the rest of the members belong to none).
const CLUSTER_SIZE: usize = 8;
const CLUSTERS: usize = 6;

/// (type key, titles, summaries). `{place}` is a province, `{target}` one of the member's
/// systems, `{n}`, `{m}` numbers and `{ip}` an address.
const KINDS: [(&str, &[&str], &[&str]); 10] = [
    (
        "ddos",
        &[
            "Tấn công từ chối dịch vụ (DDoS) vào cổng thông tin điện tử {place}",
            "Lưu lượng bất thường làm gián đoạn {target}",
        ],
        &[
            "Ghi nhận {n} Gbps lưu lượng UDP từ khoảng {m} địa chỉ IP nước ngoài; dịch vụ gián đoạn, đã phối hợp nhà mạng chặn lọc.",
            "Máy chủ web quá tải từ {n} giờ sáng, nguồn tấn công chính là {ip}; đã bật chế độ chống DDoS của nhà cung cấp.",
        ],
    ),
    (
        "phishing",
        &[
            "Thư điện tử giả mạo lãnh đạo {place} yêu cầu chuyển tiền",
            "Trang web lừa đảo giả mạo ngân hàng nhắm vào người dân {place}",
        ],
        &[
            "Phát hiện tên miền giả mạo thu thập thông tin đăng nhập; {n} cán bộ đã nhận thư, {m} người bấm vào liên kết.",
            "Người dân phản ánh tin nhắn giả mạo dẫn tới trang đăng nhập ngân hàng giả, máy chủ đặt tại {ip}.",
        ],
    ),
    (
        "malware",
        &[
            "Máy trạm nhiễm mã độc kết nối tới máy chủ điều khiển botnet",
            "Phát hiện mã độc đánh cắp thông tin trên {target}",
        ],
        &[
            "Hệ thống giám sát cảnh báo {n} máy trạm kết nối tới địa chỉ {ip} cổng 443; đã cách ly và gửi mẫu phân tích.",
            "Phần mềm diệt virus phát hiện tệp thực thi lạ trong thư mục tạm của {m} máy tính; đang rà soát toàn mạng nội bộ.",
        ],
    ),
    (
        "intrusion",
        &[
            "Truy cập trái phép tài khoản quản trị {target}",
            "Dò quét mật khẩu SSH và chiếm quyền máy chủ tại {place}",
        ],
        &[
            "Nhật ký ghi nhận đăng nhập thành công từ địa chỉ {ip} sau {n} lần thử; kẻ tấn công tạo tài khoản mới và cài công cụ điều khiển từ xa.",
            "Khai thác lỗ hổng chưa vá trên máy chủ ứng dụng, tải lên webshell; đã thu hồi quyền truy cập và vá lỗ hổng.",
        ],
    ),
    (
        "defacement",
        &[
            "Thay đổi giao diện (deface) trang thông tin điện tử {place}",
            "Chèn nội dung quảng cáo cờ bạc vào {target}",
        ],
        &[
            "Trang chủ bị thay bằng nội dung xuyên tạc lúc {n} giờ; nguyên nhân ban đầu là plugin chưa cập nhật, đã khôi phục từ bản sao lưu.",
            "Phát hiện {m} đường dẫn ẩn chứa nội dung cờ bạc trực tuyến; đã gỡ bỏ và đổi mật khẩu quản trị.",
        ],
    ),
    (
        "ransomware",
        &[
            "Mã độc tống tiền (ransomware) mã hóa dữ liệu {target}",
            "Ransomware lây lan trong mạng nội bộ tại {place}",
        ],
        &[
            "Khoảng {n} GB dữ liệu bị mã hóa, tệp đòi tiền chuộc yêu cầu thanh toán bằng tiền mã hóa; đã ngắt kết nối mạng và kiểm tra bản sao lưu.",
            "{m} máy chủ bị mã hóa qua giao thức RDP mở ra Internet từ địa chỉ {ip}; đang khôi phục hệ thống.",
        ],
    ),
    (
        "sabotage",
        &[
            "Xóa dữ liệu và phá hoại cơ sở dữ liệu {target}",
            "Phá hoại thiết bị mạng tại trung tâm dữ liệu {place}",
        ],
        &[
            "Tài khoản của nhân viên đã nghỉ việc xóa {n} bảng dữ liệu; đã khóa tài khoản và khôi phục từ bản sao lưu ngày trước.",
            "Cấu hình bộ định tuyến bị thay đổi làm mất kết nối {m} giờ; đang điều tra nguồn truy cập {ip}.",
        ],
    ),
    (
        "espionage",
        &[
            "Tấn công có chủ đích (APT) đánh cắp tài liệu tại {place}",
            "Thư điện tử đính kèm mã độc gián điệp gửi tới cán bộ {place}",
        ],
        &[
            "Phát hiện tệp tin độc hại giả mạo văn bản hành chính gửi tới {n} cán bộ; mẫu có dấu hiệu liên quan nhóm APT đã biết.",
            "Máy tính lãnh đạo gửi dữ liệu định kỳ tới máy chủ {ip}; đã thu thập chứng cứ số và báo cáo cơ quan điều phối.",
        ],
    ),
    (
        "combined",
        &[
            "Tấn công kết hợp dò quét, khai thác lỗ hổng và cài mã độc vào {target}",
            "Chiến dịch tấn công nhiều giai đoạn vào hệ thống thông tin {place}",
        ],
        &[
            "Kẻ tấn công dò quét từ {ip}, khai thác lỗ hổng VPN rồi cài mã độc trên {m} máy chủ; đã yêu cầu hỗ trợ ứng cứu.",
            "Chuỗi sự kiện gồm lừa đảo, chiếm tài khoản và đánh cắp {n} MB dữ liệu; đang phối hợp các thành viên mạng lưới.",
        ],
    ),
    (
        "other",
        &[
            "Lộ lọt dữ liệu cá nhân khách hàng trên diễn đàn",
            "Sự cố mất kết nối {target} chưa rõ nguyên nhân",
        ],
        &[
            "Phát hiện tệp chứa {n} bản ghi họ tên, số điện thoại, địa chỉ được rao bán; đang xác minh nguồn gốc.",
            "Dịch vụ ngừng hoạt động {m} giờ, nhật ký có truy cập lạ từ {ip}; đang phân tích thêm.",
        ],
    ),
];

/// (name, domain part) of the systems every member has.
const SYSTEMS: [(&str, &str); 3] = [
    ("Cổng thông tin điện tử", "www"),
    ("Hệ thống thư điện tử công vụ", "mail"),
    ("Phần mềm quản lý văn bản và điều hành", "qlvb"),
];

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Seeded {
    pub orgs: usize,
    pub incidents: usize,
    /// the member with the most incidents, for the benchmark's member requests
    pub member_org: String,
    pub member_incidents: usize,
    pub coordinator_org: String,
    /// incidents reported to the coordinator
    pub escalated: usize,
}

struct Member {
    org_id: String,
    /// what its incident numbers start with (`submit`'s rule: the member code, else the id)
    code: String,
    province: &'static str,
    author: String,
    systems: Vec<(String, String, i32)>,
}

/// Adds `orgs_wanted` members and `incidents_wanted` incidents (and a coordinator organisation
/// if the directory has none). Administrators only. `progress` hears the number of incidents
/// written after each transaction.
pub async fn seed(
    app: &App,
    actor: &Actor,
    orgs_wanted: usize,
    incidents_wanted: usize,
    mut progress: impl FnMut(usize),
) -> Result<Seeded, AppError> {
    if !actor.principal.may_write() {
        return Err(AppError::ReadOnly);
    }
    if !actor.principal.may_seed_synthetic_data() {
        return Err(AppError::Forbidden);
    }
    if orgs_wanted == 0 {
        return Err(AppError::invalid("orgs", "out_of_range"));
    }
    let app2 = app.clone();
    let (coordinator, members, coordinators) = app
        .store
        .write(move |conn| {
            let now = to_db(app2.now());
            let coordinator = match coordinator_org(conn, &app2)? {
                Some(c) => c,
                None => {
                    let row = coordinator_row(now);
                    orgs::insert(conn, &row)?;
                    history::insert_name(conn, &name_version(&row, founded(), "founding"))?;
                    row.id
                }
            };
            let members = members(conn, orgs_wanted, now)?;
            // Escalation names the coordinator's people (`escalate`), not its organisation.
            let role = irnet_domain::escalation_audience();
            let coordinators: Vec<String> = irnet_store::identity::grants::holders(
                conn,
                role.role.as_str(),
                role.scope.kind(),
                role.scope.id().unwrap_or(""),
            )?
            .into_iter()
            .map(|u| u.id)
            .collect();
            Ok::<_, AppError>((coordinator, members, coordinators))
        })
        .await?;

    let suspended = app
        .store
        .write(|conn| Ok::<_, AppError>(bulk::suspend_indexes(conn, BULK_TABLES)?))
        .await?;
    let written = write_incidents(
        app,
        incidents_wanted,
        &members,
        &coordinators,
        &mut progress,
    )
    .await;
    // The indexes come back even when the load failed, so the database stays usable.
    app.store
        .write(move |conn| Ok::<_, AppError>(bulk::restore_indexes(conn, &suspended)?))
        .await?;
    let Written {
        numbers,
        per_org,
        escalated,
    } = written?;

    let (app2, actor2) = (app.clone(), actor.clone());
    let counters: Vec<(String, i32, i32)> = numbers
        .into_iter()
        .map(|((m, year), last)| (members[m].org_id.clone(), year, last))
        .collect();
    app.store
        .write(move |conn| {
            for (org, year, last) in &counters {
                store::set_counter(conn, org, *year, *last)?;
            }
            audit::record(conn, &app2, &actor2, Change {
                action: "incidents.synthetic_seeded",
                object_type: "network",
                object_id: None,
                object_org_id: None,
                summary: serde_json::json!({ "organisations": orgs_wanted, "incidents": incidents_wanted }),
            })
        })
        .await?;
    let (busiest, count) = per_org
        .iter()
        .enumerate()
        .max_by_key(|(_, n)| **n)
        .map_or((0, 0), |(i, n)| (i, *n));
    Ok(Seeded {
        orgs: orgs_wanted,
        incidents: incidents_wanted,
        member_org: members[busiest].org_id.clone(),
        member_incidents: count,
        coordinator_org: coordinator,
        escalated,
    })
}

/// What writing the incidents leaves for the summary: the numbering per year, the incidents
/// per member, how many were reported to the coordinator.
struct Written {
    /// the last number given per (member, year)
    numbers: BTreeMap<(usize, i32), i32>,
    per_org: Vec<usize>,
    escalated: usize,
}

/// Writes `incidents_wanted` incidents, detected from 2021 until an hour ago in time order, in
/// transactions of `INCIDENTS_PER_TX`.
async fn write_incidents(
    app: &App,
    incidents_wanted: usize,
    members: &[Member],
    coordinators: &[String],
    progress: &mut impl FnMut(usize),
) -> Result<Written, AppError> {
    let mut rng = Rng(0x2545_F491_4F6C_DD1D);
    let app2 = app.clone();
    let book = app
        .store
        .read(move |conn| crate::rules::book(conn, &app2))
        .await?;
    let end = to_db(app.now()) - Duration::hours(1);
    let start = NaiveDate::from_ymd_opt(2021, 1, 1)
        .and_then(|d| d.and_hms_opt(0, 0, 0))
        .unwrap_or_default();
    let span = (end - start).num_seconds().max(1);
    let mut numbers: BTreeMap<(usize, i32), i32> = BTreeMap::new();
    let mut per_org = vec![0usize; members.len()];
    let mut escalated = 0usize;
    let mut done = 0usize;
    while done < incidents_wanted {
        let batch = INCIDENTS_PER_TX.min(incidents_wanted - done);
        let mut rows = Vec::with_capacity(batch);
        let mut marks = Vec::new();
        let mut shares = Vec::with_capacity(batch * 2);
        for i in done..done + batch {
            let offset = i64::try_from(i as u128 * span as u128 / incidents_wanted.max(1) as u128)
                .unwrap_or(0);
            let detected = start + Duration::seconds(offset);
            // Larger members report more: the least of three draws favours the first ones.
            let m = usize::try_from(
                rng.below(members.len() as u64)
                    .min(rng.below(members.len() as u64))
                    .min(rng.below(members.len() as u64)),
            )
            .unwrap_or(0);
            per_org[m] += 1;
            let (row, audience) = synthetic_incident(
                app,
                &book,
                &mut rng,
                members,
                m,
                coordinators,
                detected,
                end,
                &mut numbers,
            );
            escalated += usize::from(row.escalated_at.is_some());
            shares.extend(audience);
            // A network with years of history has had its past reminders sent: the sweep's
            // mark is where the sweep would have left it, at the first open deadline ahead.
            if let Some(at) = deadlines::next_due_after(&book, app, &row, Some(app.now())) {
                marks.push((row.id.clone(), Some(at)));
            }
            rows.push(row);
        }
        app.store
            .write(move |conn| {
                bulk::prepare(conn)?;
                store::insert_many(conn, &rows)?;
                store::set_remind_many(conn, &marks)?;
                share_many(conn, &shares)?;
                Ok::<_, AppError>(())
            })
            .await?;
        done += batch;
        progress(done);
    }

    Ok(Written {
        numbers,
        per_org,
        escalated,
    })
}

fn founded() -> NaiveDate {
    NaiveDate::from_ymd_opt(2015, 1, 1).unwrap_or_default()
}

fn coordinator_row(now: NaiveDateTime) -> OrgRow {
    let name_vi = "Trung tâm Giám sát an toàn không gian mạng quốc gia".to_owned();
    OrgRow {
        id: uuid::Uuid::now_v7().to_string(),
        name_folded: irnet_domain::text::fold(&name_vi),
        name_vi,
        name_en: Some("National Cyber Security Monitoring Centre".to_owned()),
        short_name: Some("NCSC".to_owned()),
        kind: OrgKind::NationalCoordinator.as_str().to_owned(),
        created_at: now,
        updated_at: now,
        member_code: None,
    }
}

/// The members: organisation, a responder who authors its incidents, its systems; the first
/// `CLUSTERS * CLUSTER_SIZE` grouped in clusters.
fn members(
    conn: &mut irnet_store::DbConn,
    wanted: usize,
    now: NaiveDateTime,
) -> Result<Vec<Member>, AppError> {
    let mut out = Vec::with_capacity(wanted);
    for i in 0..wanted {
        let (mut row, domain) = synthetic_org(i);
        row.created_at = now;
        row.updated_at = now;
        orgs::insert(conn, &row)?;
        history::insert_name(conn, &name_version(&row, founded(), "founding"))?;
        // no password can match: synthetic authors never sign in
        let author = UserRow::new_account(
            row.id.clone(),
            format!("ungcuu.{i}@{domain}"),
            format!("Cán bộ ứng cứu {}", row.short_name.as_deref().unwrap_or("")),
            "vi".to_owned(),
            "!".to_owned(),
            now,
        );
        users::insert(conn, &author)?;
        let province = PROVINCES[i % PROVINCES.len()];
        let mut own = Vec::new();
        for (n, (name, host)) in SYSTEMS.iter().enumerate() {
            let level = i32::try_from(2 + (i + n) % 3).unwrap_or(2);
            let s = SystemRow {
                id: uuid::Uuid::now_v7().to_string(),
                owner_org_id: row.id.clone(),
                operator_org_id: None,
                name: format!("{name} {province}"),
                purpose: None,
                information_classes: "[]".to_owned(),
                proposed_level: Some(level),
                approved_level: Some(level),
                approver: None,
                approval_decision: None,
                approval_date: None,
                public_urls: serde_json::json!([format!("https://{host}.{domain}")]).to_string(),
                domains: serde_json::json!([format!("{host}.{domain}")]).to_string(),
                ip_ranges: "[]".to_owned(),
                internet_facing: n != 2,
                critical: false,
                created_at: now,
                updated_at: now,
                os: None,
                os_version: None,
            };
            systems::insert(conn, &s)?;
            own.push((s.id, s.name, level));
        }
        out.push(Member {
            code: row.member_code.clone().unwrap_or_else(|| row.id.clone()),
            org_id: row.id,
            province,
            author: author.id,
            systems: own,
        });
    }
    let next = clusters::list(conn)?
        .iter()
        .map(|c| c.number)
        .max()
        .unwrap_or(0);
    for c in 0..CLUSTERS.min(wanted / CLUSTER_SIZE) {
        let number = next + i32::try_from(c + 1).unwrap_or(1);
        let cluster = ClusterRow {
            id: uuid::Uuid::now_v7().to_string(),
            number,
            name_vi: format!("Cụm {number}"),
            name_en: Some(format!("Cluster {number}")),
            created_at: now,
            founding_decision: None,
            founding_date: Some(founded()),
            founding_issuer: None,
        };
        clusters::insert(conn, &cluster)?;
        for m in &out[c * CLUSTER_SIZE..(c + 1) * CLUSTER_SIZE] {
            clusters::insert_membership(
                conn,
                &MembershipRow {
                    id: uuid::Uuid::now_v7().to_string(),
                    cluster_id: cluster.id.clone(),
                    org_id: m.org_id.clone(),
                    valid_from: founded(),
                    valid_to: None,
                    reason: "founding".to_owned(),
                },
            )?;
        }
    }
    Ok(out)
}

/// A percentage draw.
fn chance(rng: &mut Rng, percent: u64) -> bool {
    rng.below(100) < percent
}

/// Picks from (weight, value) pairs.
fn weighted<T: Copy>(rng: &mut Rng, table: &[(u64, T)]) -> Option<T> {
    let total: u64 = table.iter().map(|(w, _)| w).sum();
    let mut x = rng.below(total);
    for (w, v) in table {
        if x < *w {
            return Some(*v);
        }
        x -= w;
    }
    table.last().map(|(_, v)| *v)
}

fn fill(rng: &mut Rng, template: &str, place: &str, target: &str) -> String {
    template
        .replace("{place}", place)
        .replace("{target}", target)
        .replace("{n}", &(2 + rng.below(200)).to_string())
        .replace("{m}", &(2 + rng.below(40)).to_string())
        .replace(
            "{ip}",
            &format!(
                "{}.{}.{}.{}",
                45 + rng.below(150),
                rng.below(256),
                rng.below(256),
                1 + rng.below(254)
            ),
        )
}

fn status_by_age(rng: &mut Rng, age_days: i64) -> Status {
    let table: &[(u64, Status)] = if age_days > 90 {
        &[
            (92, Status::Closed),
            (5, Status::Recovered),
            (2, Status::Contained),
            (1, Status::InProgress),
        ]
    } else if age_days > 7 {
        &[
            (50, Status::Closed),
            (20, Status::Recovered),
            (10, Status::Contained),
            (15, Status::InProgress),
            (5, Status::Acknowledged),
        ]
    } else {
        &[
            (30, Status::New),
            (25, Status::Acknowledged),
            (30, Status::InProgress),
            (10, Status::Contained),
            (5, Status::Recovered),
        ]
    };
    let draft_percent = if age_days <= 30 { 10 } else { 0 };
    if chance(rng, draft_percent) {
        Status::Draft
    } else {
        weighted(rng, table).unwrap_or(Status::Closed)
    }
}

/// One incident and its audience beyond the owner (author, coordinator, supporter).
#[allow(clippy::too_many_arguments)]
fn synthetic_incident(
    app: &App,
    book: &irnet_domain::rules::RuleBook,
    rng: &mut Rng,
    members: &[Member],
    m: usize,
    coordinators: &[String],
    detected: NaiveDateTime,
    end: NaiveDateTime,
    numbers: &mut BTreeMap<(usize, i32), i32>,
) -> (IncidentRow, Vec<ShareRow>) {
    let member = &members[m];
    let (type_key, titles, summaries) = KINDS[usize::try_from(rng.below(10)).unwrap_or(0)];
    let system =
        (chance(rng, 50)).then(|| &member.systems[usize::try_from(rng.below(3)).unwrap_or(0)]);
    let target = system.map_or("hệ thống thông tin", |s| s.1.as_str());
    let (title, summary) = (rng.pick(titles), rng.pick(summaries));
    let title = fill(rng, title, member.province, target);
    let summary = fill(rng, summary, member.province, target);
    let age_days = (end - detected).num_days();
    let status = status_by_age(rng, age_days);
    let tlp = weighted(
        rng,
        &[
            (5, Tlp::Clear),
            (25, Tlp::Green),
            (50, Tlp::Amber),
            (12, Tlp::AmberStrict),
            (8, Tlp::Red),
        ],
    )
    .unwrap_or(Tlp::Amber);
    let later = |rng: &mut Rng, from: NaiveDateTime, max_minutes: u64| {
        (from + Duration::minutes(i64::try_from(10 + rng.below(max_minutes)).unwrap_or(10)))
            .min(end)
    };
    let draft = status == Status::Draft;
    let submitted_at = (!draft).then(|| later(rng, detected, 48 * 60));
    let escalated_at = submitted_at
        .filter(|_| chance(rng, 35))
        .map(|t| later(rng, t, 120));
    let acknowledged_at = escalated_at
        .filter(|_| status != Status::New)
        .map(|t| later(rng, t, 120));
    let initial_report_at = submitted_at
        .filter(|_| !matches!(status, Status::New | Status::Acknowledged))
        .map(|t| later(rng, t, 240));
    let ended = matches!(status, Status::Recovered | Status::Closed);
    let response_ended_at = submitted_at
        .filter(|_| ended)
        .map(|t| later(rng, t, 7 * 24 * 60));
    let closing_report_at = response_ended_at
        .filter(|_| status == Status::Closed)
        .map(|t| later(rng, t, 4 * 24 * 60));
    let closed_at = closing_report_at.map(|t| later(rng, t, 24 * 60));
    let number = submitted_at.map(|t| {
        let year = from_db(t).with_timezone(&app.settings.local_offset).year();
        let last = numbers.entry((m, year)).or_insert(0);
        *last += 1;
        store::number(&member.code, year, *last)
    });
    let created_at = later(rng, detected, 30);
    let mut row = IncidentRow {
        id: IncidentId::new(),
        number,
        owner_org_id: member.org_id.clone(),
        created_by: member.author.clone(),
        status,
        tlp,
        title,
        summary: Some(summary),
        type_key: Some(type_key.to_owned()),
        severity: weighted(
            rng,
            &[(30, "low"), (40, "medium"), (22, "high"), (8, "critical")],
        )
        .map(str::to_owned),
        detected_at: detected,
        system_id: system.map(|s| s.0.clone()),
        system_level: system.map(|s| s.2),
        effects: "[]".to_owned(),
        exceeds_capacity: false,
        serious_proposed: false,
        serious_confirmed: None,
        data_loss: "unknown".to_owned(),
        data_loss_detail: None,
        damage_estimate: None,
        helped_by_foreign: false,
        report: "{}".to_owned(),
        submitted_at,
        escalated_at,
        acknowledged_at,
        initial_report_at,
        response_ended_at,
        closing_report_at,
        closed_at,
        next_due_at: None,
        created_at,
        updated_at: closed_at.unwrap_or(created_at),
    };
    row.next_due_at = deadlines::next_due_after(book, app, &row, None);
    let share = |org_id: Option<&str>, user_id: Option<&str>| ShareRow {
        id: uuid::Uuid::now_v7().to_string(),
        record_kind: KIND.to_owned(),
        record_id: row.id.to_string(),
        org_id: org_id.map(str::to_owned),
        user_id: user_id.map(str::to_owned),
        created_at,
    };
    // The author is named, as `create` does.
    let mut audience = vec![share(None, Some(&member.author))];
    if escalated_at.is_some() {
        for c in coordinators {
            audience.push(share(None, Some(c)));
        }
    }
    if !draft && tlp != Tlp::Red && chance(rng, 3) {
        let neighbour = &members[(m + 1) % members.len()];
        if neighbour.org_id != member.org_id {
            audience.push(share(Some(&neighbour.org_id), None));
        }
    }
    (row, audience)
}
