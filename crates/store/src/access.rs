//! The policy's read rule for shareable records, compiled to SQL. A list of records is filtered in
//! the database with exactly what `ReadRule::admits` decides in Rust, so pages, counts, searches
//! and exports cannot disagree; `tests/it/policy_filters` checks the two against each other.
//!
//! A shareable table has an `id`, an `owner_org_id` and a `tlp` column; its audience beyond the
//! owner is in `record_shares` under a record kind. Uncorrelated `IN (SELECT …)` subqueries keep
//! the filter type-checked by diesel for any such table.

/// `tlp_visible!(rule, "incident", incidents::id, incidents::owner_org_id, incidents::tlp)` is the
/// boolean SQL expression admitting the rows `rule` may read.
#[macro_export]
macro_rules! tlp_visible {
    ($rule:expr, $kind:expr, $id:expr, $owner:expr, $tlp:expr) => {{
        use $crate::diesel::prelude::*;
        use $crate::schema::record_shares as shares;
        let rule: &irnet_domain::ReadRule = $rule;
        let kind: &str = $kind;
        let levels = |l: &[irnet_domain::Tlp]| {
            l.iter()
                .map(|t| t.as_str().to_owned())
                .collect::<Vec<String>>()
        };
        let orgs: Vec<String> = rule.orgs.iter().map(|o| o.as_str().to_owned()).collect();
        let shared_with_orgs = shares::table
            .filter(shares::record_kind.eq(kind.to_owned()))
            .filter(shares::org_id.eq_any(orgs.clone()))
            .select(shares::record_id);
        let shared_with_person = shares::table
            .filter(shares::record_kind.eq(kind.to_owned()))
            .filter(shares::user_id.eq(rule.person.as_str().to_owned()))
            .select(shares::record_id);
        $tlp.eq_any(levels(&rule.open_levels))
            .or($tlp
                .eq_any(levels(&rule.org_levels))
                .and($owner.eq_any(orgs).or($id.eq_any(shared_with_orgs))))
            .or($tlp
                .eq_any(levels(&rule.person_levels))
                .and($id.eq_any(shared_with_person)))
    }};
}

/// `org_private_visible!(rule, day, people::org_id)` is the boolean SQL expression admitting the
/// rows whose organisation's private part `rule` (`Principal::private_read_rule`) lets the reader
/// see on `day`: the reader's own organisation, or a member on that day of a cluster they lead.
/// It is `None` when the rule admits everything (administrators, the coordinator), so that such
/// a query carries no filter at all and the planner is free to use the plain word index.
#[macro_export]
macro_rules! org_private_visible {
    ($rule:expr, $day:expr, $org:expr) => {{
        use $crate::diesel::prelude::*;
        use $crate::schema::cluster_memberships as m;
        let rule: &irnet_domain::PrivateReadRule = $rule;
        let day: chrono::NaiveDate = $day;
        let orgs: Vec<String> = rule.orgs.iter().map(|o| o.as_str().to_owned()).collect();
        let led: Vec<String> = rule
            .led_clusters
            .iter()
            .map(|c| c.as_str().to_owned())
            .collect();
        let members_of_led = m::table
            .filter(m::cluster_id.eq_any(led))
            .filter(m::valid_from.le(day))
            .filter(m::valid_to.is_null().or(m::valid_to.gt(day)))
            .select(m::org_id);
        (!rule.all).then(|| $org.eq_any(orgs).or($org.eq_any(members_of_led)))
    }};
}

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::DbConn;
use crate::schema::record_shares;

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = record_shares)]
pub struct ShareRow {
    pub id: String,
    pub record_kind: String,
    pub record_id: String,
    pub org_id: Option<String>,
    pub user_id: Option<String>,
    pub created_at: NaiveDateTime,
}

pub fn share(conn: &mut DbConn, row: &ShareRow) -> QueryResult<()> {
    diesel::insert_into(record_shares::table)
        .values(row)
        .execute(conn)
        .map(drop)
}

/// Adds an organisation or a named person to the audience of a record of `kind`.
pub fn share_with(
    conn: &mut DbConn,
    kind: &str,
    record_id: &str,
    org_id: Option<&str>,
    user_id: Option<&str>,
    now: NaiveDateTime,
) -> QueryResult<()> {
    share(
        conn,
        &ShareRow {
            id: uuid::Uuid::now_v7().to_string(),
            record_kind: kind.to_owned(),
            record_id: record_id.to_owned(),
            org_id: org_id.map(str::to_owned),
            user_id: user_id.map(str::to_owned),
            created_at: now,
        },
    )
}

/// The audience of a record of `kind` beyond its owner: (organisations, people), each sorted
/// and without repeats.
pub fn audience(
    conn: &mut DbConn,
    kind: &str,
    record_id: &str,
) -> QueryResult<(Vec<String>, Vec<String>)> {
    let rows: Vec<(Option<String>, Option<String>)> = record_shares::table
        .filter(record_shares::record_kind.eq(kind))
        .filter(record_shares::record_id.eq(record_id))
        .select((record_shares::org_id, record_shares::user_id))
        .load(conn)?;
    let mut orgs: Vec<String> = rows.iter().filter_map(|r| r.0.clone()).collect();
    let mut people: Vec<String> = rows.into_iter().filter_map(|r| r.1).collect();
    orgs.sort_unstable();
    orgs.dedup();
    people.sort_unstable();
    people.dedup();
    Ok((orgs, people))
}

/// Audience entries per multi-row INSERT (6 columns each).
const SHARES_PER_INSERT: usize = 2_000;

/// Adds many audience entries at once, in multi-row INSERTs: for bulk loads.
pub fn share_many(conn: &mut DbConn, rows: &[ShareRow]) -> QueryResult<()> {
    for chunk in rows.chunks(SHARES_PER_INSERT) {
        let insert = diesel::insert_into(record_shares::table).values(chunk.to_vec());
        match conn {
            DbConn::Sqlite(c) => insert.execute(c)?,
            DbConn::Pg(c) => insert.execute(c)?,
        };
    }
    Ok(())
}

/// The SQL compilation of the read rule admits exactly the records `ReadRule::admits` admits, for
/// random principals, records, TLP markings and audiences, on both databases.
#[cfg(test)]
mod tests {
    use super::{ShareRow, share};
    use crate::{DbConn, DbTarget, Store};
    use diesel::prelude::*;
    use irnet_domain::ids::{OrgId, UserId};
    use irnet_domain::{Principal, RecordAccess, Tlp, TokenScope};
    use proptest::prelude::*;
    use proptest::test_runner::{Config, TestRunner};
    use std::collections::BTreeSet;

    diesel::table! {
        probe_records (id) {
            id -> Text,
            owner_org_id -> Text,
            tlp -> Text,
        }
    }

    use crate::schema::record_shares;
    diesel::allow_tables_to_appear_in_same_query!(probe_records, record_shares);

    /// A fresh database per backend: SQLite always, PostgreSQL when IRNET_TEST_POSTGRES_URL is set.
    /// (testkit cannot be used here: it depends on this crate.)
    fn databases() -> Vec<(DbTarget, Option<(String, String)>)> {
        let name = format!("irnet_test_{}", uuid::Uuid::now_v7().simple());
        let dir = std::env::temp_dir().join(&name);
        std::fs::create_dir_all(&dir).unwrap();
        let mut out = vec![(DbTarget::sqlite_file(&dir.join("irnet.db")), None)];
        if let Ok(admin) = std::env::var("IRNET_TEST_POSTGRES_URL") {
            let mut c = diesel::PgConnection::establish(&admin).unwrap();
            diesel::sql_query(format!("CREATE DATABASE {name}"))
                .execute(&mut c)
                .unwrap();
            let url = format!("{}/{name}", admin.rsplit_once('/').unwrap().0);
            out.push((DbTarget::parse(&url).unwrap(), Some((admin, name))));
        } else {
            eprintln!(
                "PostgreSQL SKIPPED for the access filter test: IRNET_TEST_POSTGRES_URL is not set"
            );
        }
        out
    }

    const ORGS: usize = 4;
    const PEOPLE: usize = 4;

    fn org(i: usize) -> String {
        format!("00000000-0000-7000-8000-00000000000{i}")
    }
    fn person(i: usize) -> String {
        format!("00000000-0000-7000-9000-00000000000{i}")
    }

    #[derive(Debug, Clone)]
    struct Record {
        owner: usize,
        tlp: Tlp,
        orgs: BTreeSet<usize>,
        people: BTreeSet<usize>,
    }

    fn record() -> impl Strategy<Value = Record> {
        (
            0..ORGS,
            prop::sample::select(Tlp::ALL.to_vec()),
            prop::collection::btree_set(0..ORGS, 0..3),
            prop::collection::btree_set(0..PEOPLE, 0..3),
        )
            .prop_map(|(owner, tlp, orgs, people)| Record {
                owner,
                tlp,
                orgs,
                people,
            })
    }

    fn setup(c: &mut DbConn) {
        let now = chrono::NaiveDate::from_ymd_opt(2026, 1, 1)
            .unwrap()
            .and_hms_opt(0, 0, 0)
            .unwrap();
        let create = "CREATE TABLE probe_records (id TEXT PRIMARY KEY NOT NULL, owner_org_id TEXT NOT NULL, tlp TEXT NOT NULL)";
        diesel::sql_query(create).execute(c).unwrap();
        for i in 0..ORGS {
            crate::directory::orgs::insert(
                c,
                &crate::directory::orgs::OrgRow {
                    id: org(i),
                    name_vi: format!("Đơn vị {i}"),
                    name_en: None,
                    short_name: None,
                    kind: "other".into(),
                    name_folded: format!("don vi {i}"),
                    created_at: now,
                    updated_at: now,
                    member_code: None,
                },
            )
            .unwrap();
        }
        for i in 0..PEOPLE {
            crate::identity::users::insert(
                c,
                &crate::identity::users::UserRow {
                    id: person(i),
                    ..crate::identity::users::UserRow::new_account(
                        org(i % ORGS),
                        format!("p{i}@x.vn"),
                        format!("P{i}"),
                        "vi".into(),
                        "x".into(),
                        now,
                    )
                },
            )
            .unwrap();
        }
    }

    fn store_records(c: &mut DbConn, records: &[Record]) {
        diesel::delete(probe_records::table).execute(c).unwrap();
        diesel::delete(crate::schema::record_shares::table)
            .execute(c)
            .unwrap();
        let now = chrono::NaiveDate::from_ymd_opt(2026, 1, 1)
            .unwrap()
            .and_hms_opt(0, 0, 0)
            .unwrap();
        for (n, r) in records.iter().enumerate() {
            let id = format!("rec-{n}");
            diesel::insert_into(probe_records::table)
                .values((
                    probe_records::id.eq(&id),
                    probe_records::owner_org_id.eq(org(r.owner)),
                    probe_records::tlp.eq(r.tlp.as_str()),
                ))
                .execute(c)
                .unwrap();
            for o in &r.orgs {
                share(
                    c,
                    &ShareRow {
                        id: format!("{id}-o{o}"),
                        record_kind: "probe".into(),
                        record_id: id.clone(),
                        org_id: Some(org(*o)),
                        user_id: None,
                        created_at: now,
                    },
                )
                .unwrap();
            }
            for p in &r.people {
                share(
                    c,
                    &ShareRow {
                        id: format!("{id}-p{p}"),
                        record_kind: "probe".into(),
                        record_id: id.clone(),
                        org_id: None,
                        user_id: Some(person(*p)),
                        created_at: now,
                    },
                )
                .unwrap();
            }
            // A share of another kind must never count.
            share(
                c,
                &ShareRow {
                    id: format!("{id}-other"),
                    record_kind: "other".into(),
                    record_id: id.clone(),
                    org_id: Some(org((r.owner + 1) % ORGS)),
                    user_id: Some(person(0)),
                    created_at: now,
                },
            )
            .unwrap();
        }
    }

    #[tokio::test]
    async fn the_sql_filter_admits_exactly_what_the_policy_admits() {
        for (target, pg) in databases() {
            let store = Store::open(target, 1).await.unwrap();
            store.migrate().await.unwrap();
            store
                .read(|c| {
                    setup(c);
                    // The runner takes an `Fn`; the connection is used by one case at a time.
                    let c = std::cell::RefCell::new(c);
                    let mut runner = TestRunner::new(Config {
                        cases: 64,
                        ..Config::default()
                    });
                    let strategy = (prop::collection::vec(record(), 1..12), 0..PEOPLE);
                    runner
                        .run(&strategy, |(records, who)| {
                            let mut guard = c.borrow_mut();
                            let c: &mut DbConn = &mut guard;
                            store_records(c, &records);
                            let principal = Principal {
                                user_id: UserId::from_trusted(person(who)),
                                org_id: OrgId::from_trusted(org(who % ORGS)),
                                grants: vec![],
                                org_clusters: vec![],
                                leading_clusters: vec![],
                                access: TokenScope::Read,
                                inherited_orgs: vec![],
                                led_predecessors: vec![],
                            };
                            let rule = principal.read_rule();
                            let in_sql: BTreeSet<String> = probe_records::table
                                .filter(tlp_visible!(
                                    &rule,
                                    "probe",
                                    probe_records::id,
                                    probe_records::owner_org_id,
                                    probe_records::tlp
                                ))
                                .select(probe_records::id)
                                .load::<String>(c)
                                .unwrap()
                                .into_iter()
                                .collect();
                            let in_rust: BTreeSet<String> = records
                                .iter()
                                .enumerate()
                                .filter(|(_, r)| {
                                    principal.may_read(&RecordAccess {
                                        owner_org: OrgId::from_trusted(org(r.owner)),
                                        tlp: r.tlp,
                                        shared_orgs: r
                                            .orgs
                                            .iter()
                                            .map(|o| OrgId::from_trusted(org(*o)))
                                            .collect(),
                                        shared_people: r
                                            .people
                                            .iter()
                                            .map(|p| UserId::from_trusted(person(*p)))
                                            .collect(),
                                    })
                                })
                                .map(|(n, _)| format!("rec-{n}"))
                                .collect();
                            prop_assert_eq!(in_sql, in_rust);
                            Ok(())
                        })
                        .unwrap();
                    Ok::<_, crate::StoreError>(())
                })
                .await
                .unwrap();
            drop(store);
            if let Some((admin, name)) = pg {
                let mut c = diesel::PgConnection::establish(&admin).unwrap();
                diesel::sql_query(format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
                    .execute(&mut c)
                    .unwrap();
            }
        }
    }
}
