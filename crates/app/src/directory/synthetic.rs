//! A synthetic directory of any size, for benchmarks (`irnet bench seed-directory`): organisations
//! with a past name each, and people with Vietnamese names (family names in roughly their real
//! proportions, so "nguyen" is as common as in life), phones and emails. Rows go through the same
//! store functions as real writes, so the search index is maintained exactly as in production.
//! Deterministic: the same sizes give the same directory.

use irnet_domain::text;
use irnet_store::directory::history;
use irnet_store::directory::orgs::{self, OrgRow};
use irnet_store::directory::people::{self, PersonRow};
use irnet_store::time::to_db;

use super::orgs::name_version;
use crate::audit::{self, Change};
use crate::{Actor, App, AppError};

pub(crate) const PROVINCES: [&str; 63] = [
    "An Giang",
    "Bà Rịa - Vũng Tàu",
    "Bạc Liêu",
    "Bắc Giang",
    "Bắc Kạn",
    "Bắc Ninh",
    "Bến Tre",
    "Bình Dương",
    "Bình Định",
    "Bình Phước",
    "Bình Thuận",
    "Cà Mau",
    "Cao Bằng",
    "Cần Thơ",
    "Đà Nẵng",
    "Đắk Lắk",
    "Đắk Nông",
    "Điện Biên",
    "Đồng Nai",
    "Đồng Tháp",
    "Gia Lai",
    "Hà Giang",
    "Hà Nam",
    "Hà Nội",
    "Hà Tĩnh",
    "Hải Dương",
    "Hải Phòng",
    "Hậu Giang",
    "Hòa Bình",
    "Hưng Yên",
    "Khánh Hòa",
    "Kiên Giang",
    "Kon Tum",
    "Lai Châu",
    "Lạng Sơn",
    "Lào Cai",
    "Lâm Đồng",
    "Long An",
    "Nam Định",
    "Nghệ An",
    "Ninh Bình",
    "Ninh Thuận",
    "Phú Thọ",
    "Phú Yên",
    "Quảng Bình",
    "Quảng Nam",
    "Quảng Ngãi",
    "Quảng Ninh",
    "Quảng Trị",
    "Sóc Trăng",
    "Sơn La",
    "Tây Ninh",
    "Thái Bình",
    "Thái Nguyên",
    "Thanh Hóa",
    "Thừa Thiên Huế",
    "Tiền Giang",
    "TP Hồ Chí Minh",
    "Trà Vinh",
    "Tuyên Quang",
    "Vĩnh Long",
    "Vĩnh Phúc",
    "Yên Bái",
];

/// (unit, kind) — what a member of the network typically is.
const UNITS: [(&str, &str); 6] = [
    ("Sở Khoa học và Công nghệ", "provincial_department"),
    ("Trung tâm Công nghệ thông tin và Truyền thông", "other"),
    ("Công an tỉnh, Phòng An ninh mạng", "state_authority"),
    ("Ngân hàng Thương mại Cổ phần, chi nhánh", "enterprise"),
    ("Công ty Viễn thông", "enterprise"),
    ("Trung tâm Dữ liệu", "enterprise"),
];

/// Family names, each repeated roughly as often as it is borne (Nguyễn by about four in ten).
const FAMILY: [&str; 25] = [
    "Nguyễn", "Nguyễn", "Nguyễn", "Nguyễn", "Nguyễn", "Nguyễn", "Nguyễn", "Nguyễn", "Nguyễn",
    "Nguyễn", "Trần", "Trần", "Lê", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng",
    "Bùi", "Đỗ", "Hồ", "Ngô",
];
const MIDDLE: [&str; 12] = [
    "Văn", "Thị", "Đức", "Minh", "Quang", "Thu", "Hữu", "Ngọc", "Thanh", "Xuân", "Hoài", "Quốc",
];
const GIVEN: [&str; 40] = [
    "An", "Anh", "Bình", "Cường", "Dũng", "Duy", "Giang", "Hà", "Hải", "Hạnh", "Hiếu", "Hòa",
    "Hoa", "Hùng", "Hương", "Huy", "Khánh", "Lan", "Linh", "Long", "Mai", "Minh", "Nam", "Ngọc",
    "Nhung", "Phong", "Phương", "Quân", "Sơn", "Tâm", "Thảo", "Thắng", "Thủy", "Trang", "Trung",
    "Tuấn", "Tùng", "Việt", "Vy", "Yến",
];
const TITLES: [&str; 5] = [
    "Chuyên viên",
    "Trưởng phòng",
    "Kỹ sư an toàn thông tin",
    "Cán bộ ứng cứu sự cố",
    "Phó Giám đốc",
];

/// A small deterministic generator (xorshift64*): reproducible data without a dependency.
pub(crate) struct Rng(pub(crate) u64);

impl Rng {
    pub(crate) fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    pub(crate) fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        let n = u64::try_from(items.len()).unwrap_or(1);
        items[usize::try_from(self.next() % n).unwrap_or(0)]
    }

    pub(crate) fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }
}

/// Organisations and people written per transaction: big enough to be fast, small enough not to
/// hold the write lock for long.
const ORGS_PER_TX: usize = 500;
const PEOPLE_PER_TX: usize = 2_000;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Seeded {
    pub orgs: usize,
    pub people: usize,
}

/// Adds `orgs` organisations and `people` people (spread evenly over them). Administrators only.
pub async fn seed(
    app: &App,
    actor: &Actor,
    orgs_wanted: usize,
    people_wanted: usize,
) -> Result<Seeded, AppError> {
    if !actor.principal.may_write() {
        return Err(AppError::ReadOnly);
    }
    if !actor.principal.may_seed_synthetic_data() {
        return Err(AppError::Forbidden);
    }
    if orgs_wanted == 0 && people_wanted > 0 {
        return Err(AppError::invalid("orgs", "out_of_range"));
    }
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let mut org_ids: Vec<(String, String)> = Vec::with_capacity(orgs_wanted);
    let mut done = 0;
    while done < orgs_wanted {
        let batch = ORGS_PER_TX.min(orgs_wanted - done);
        let rows: Vec<(OrgRow, String)> = (done..done + batch).map(synthetic_org).collect();
        org_ids.extend(
            rows.iter()
                .map(|(o, domain)| (o.id.clone(), domain.clone())),
        );
        let app2 = app.clone();
        app.store
            .write(move |conn| {
                let now = to_db(app2.now());
                let renamed = chrono::NaiveDate::from_ymd_opt(2025, 3, 1).unwrap_or_default();
                let founded = chrono::NaiveDate::from_ymd_opt(2015, 1, 1).unwrap_or_default();
                for (mut row, _) in rows {
                    row.created_at = now;
                    row.updated_at = now;
                    orgs::insert(conn, &row)?;
                    // Every organisation had an earlier name, as most did before 2025.
                    let old_name = row
                        .name_vi
                        .replace("Khoa học và Công nghệ", "Thông tin và Truyền thông");
                    let old = OrgRow {
                        name_folded: text::fold(&old_name),
                        name_vi: old_name,
                        ..row.clone()
                    };
                    let mut first = name_version(&old, founded, "founding");
                    first.valid_to = Some(renamed);
                    history::insert_name(conn, &first)?;
                    history::insert_name(conn, &name_version(&row, renamed, "rename"))?;
                }
                Ok::<_, AppError>(())
            })
            .await?;
        done += batch;
    }
    let mut done = 0;
    while done < people_wanted {
        let batch = PEOPLE_PER_TX.min(people_wanted - done);
        let rows: Vec<PersonRow> = (done..done + batch)
            .map(|i| synthetic_person(&mut rng, i, &org_ids[i % org_ids.len()]))
            .collect();
        let app2 = app.clone();
        app.store
            .write(move |conn| {
                let now = to_db(app2.now());
                for mut row in rows {
                    row.created_at = now;
                    row.updated_at = now;
                    people::insert(conn, &row)?;
                }
                Ok::<_, AppError>(())
            })
            .await?;
        done += batch;
    }
    let (app2, actor2) = (app.clone(), actor.clone());
    app.store
        .write(move |conn| {
            audit::record(conn, &app2, &actor2, Change {
                action: "directory.synthetic_seeded",
                object_type: "network",
                object_id: None,
                object_org_id: None,
                summary: serde_json::json!({ "organisations": orgs_wanted, "people": people_wanted }),
            })
        })
        .await?;
    Ok(Seeded {
        orgs: orgs_wanted,
        people: people_wanted,
    })
}

pub(crate) fn synthetic_org(i: usize) -> (OrgRow, String) {
    let province = PROVINCES[i % PROVINCES.len()];
    let (unit, kind) = UNITS[(i / PROVINCES.len()) % UNITS.len()];
    let name_vi = format!(
        "{unit} {province} số {}",
        i / (PROVINCES.len() * UNITS.len()) + 1
    );
    let domain = format!(
        "dv{i}.{}.gov.vn",
        text::fold(province).replace([' ', '-'], "")
    );
    let row = OrgRow {
        id: uuid::Uuid::now_v7().to_string(),
        name_folded: text::fold(&name_vi),
        name_vi,
        name_en: None,
        short_name: Some(format!("DV{i:05}")),
        kind: kind.to_owned(),
        created_at: chrono::NaiveDateTime::default(),
        updated_at: chrono::NaiveDateTime::default(),
        member_code: Some(format!("S{i:05}")),
    };
    (row, domain)
}

fn synthetic_person(rng: &mut Rng, i: usize, (org_id, domain): &(String, String)) -> PersonRow {
    let family = rng.pick(&FAMILY);
    let middle = rng.pick(&MIDDLE);
    let given = rng.pick(&GIVEN);
    let phone = format!(
        "0{} {:04} {:03}",
        200 + rng.below(99),
        rng.below(10_000),
        rng.below(1_000)
    );
    let email = format!(
        "{}.{}{i}@{domain}",
        text::fold(given).replace(' ', ""),
        text::fold(family).replace(' ', "")
    );
    PersonRow {
        id: uuid::Uuid::now_v7().to_string(),
        org_id: org_id.clone(),
        family_name: family.to_owned(),
        middle_name: Some(middle.to_owned()),
        given_name: given.to_owned(),
        title: Some(rng.pick(&TITLES).to_owned()),
        phones: serde_json::json!([phone]).to_string(),
        emails: serde_json::json!([email]).to_string(),
        user_id: None,
        created_at: chrono::NaiveDateTime::default(),
        updated_at: chrono::NaiveDateTime::default(),
    }
}
