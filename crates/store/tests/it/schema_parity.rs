//! The SQLite and PostgreSQL migrations must give the same logical schema: tables, columns (type
//! family and nullability), indexes (name, columns, uniqueness) and foreign keys.

use std::collections::BTreeSet;

use diesel::prelude::*;
use diesel::sql_types::{BigInt, Text};
use irnet_store::{DbConn, Store};
use irnet_testkit::{Backend, TestDb, both};

type Schema = BTreeSet<String>;

#[derive(QueryableByName)]
struct Name {
    #[diesel(sql_type = Text)]
    name: String,
}

#[derive(QueryableByName)]
struct SqliteColumn {
    #[diesel(sql_type = Text)]
    name: String,
    #[diesel(sql_type = Text)]
    #[diesel(column_name = type_)]
    type_: String,
    #[diesel(sql_type = BigInt)]
    notnull: i64,
    #[diesel(sql_type = BigInt)]
    pk: i64,
}

#[derive(QueryableByName)]
struct SqliteIndex {
    #[diesel(sql_type = Text)]
    name: String,
    #[diesel(sql_type = BigInt)]
    unique: i64,
    #[diesel(sql_type = Text)]
    origin: String,
}

#[derive(QueryableByName)]
struct SqliteFk {
    #[diesel(sql_type = Text)]
    table: String,
    #[diesel(sql_type = Text)]
    from: String,
    #[diesel(sql_type = Text)]
    to: String,
}

#[derive(QueryableByName)]
struct Row4 {
    #[diesel(sql_type = Text)]
    a: String,
    #[diesel(sql_type = Text)]
    b: String,
    #[diesel(sql_type = Text)]
    c: String,
    #[diesel(sql_type = Text)]
    d: String,
}

fn family(t: &str) -> String {
    let t = t.to_lowercase();
    match t.as_str() {
        "integer" | "bigint" | "smallint" => "int".into(),
        "boolean" => "bool".into(),
        "blob" | "bytea" => "binary".into(),
        "timestamp" | "timestamp without time zone" => "timestamp".into(),
        other => other.into(),
    }
}

fn sqlite_schema(c: &mut SqliteConnection) -> Schema {
    let mut s = Schema::new();
    let tables: Vec<Name> = diesel::sql_query(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name <> '__diesel_schema_migrations'",
    )
    .load(c)
    .unwrap();
    for t in tables {
        let t = t.name;
        let cols: Vec<SqliteColumn> = diesel::sql_query(format!(
            "SELECT name, type AS type_, \"notnull\", pk FROM pragma_table_info('{t}')"
        ))
        .load(c)
        .unwrap();
        for col in cols {
            let nullable = col.notnull == 0 && col.pk == 0;
            s.insert(format!(
                "column {t}.{} {} {}",
                col.name,
                family(&col.type_),
                if nullable { "null" } else { "not null" }
            ));
        }
        let idx: Vec<SqliteIndex> = diesel::sql_query(format!(
            "SELECT name, \"unique\", origin FROM pragma_index_list('{t}')"
        ))
        .load(c)
        .unwrap();
        for i in idx.into_iter().filter(|i| i.origin == "c") {
            let cols: Vec<Name> = diesel::sql_query(format!(
                "SELECT name FROM pragma_index_info('{}') ORDER BY seqno",
                i.name
            ))
            .load(c)
            .unwrap();
            let cols: Vec<String> = cols.into_iter().map(|n| n.name).collect();
            s.insert(format!(
                "index {} on {t}({}){}",
                i.name,
                cols.join(","),
                if i.unique == 1 { " unique" } else { "" }
            ));
        }
        let fks: Vec<SqliteFk> = diesel::sql_query(format!(
            "SELECT \"table\", \"from\", \"to\" FROM pragma_foreign_key_list('{t}')"
        ))
        .load(c)
        .unwrap();
        for fk in fks {
            s.insert(format!("fk {t}.{} -> {}.{}", fk.from, fk.table, fk.to));
        }
    }
    s
}

fn pg_schema(c: &mut PgConnection) -> Schema {
    let mut s = Schema::new();
    let cols: Vec<Row4> = diesel::sql_query(
        "SELECT table_name::text AS a, column_name::text AS b, data_type::text AS c, is_nullable::text AS d \
         FROM information_schema.columns WHERE table_schema = 'public' AND table_name <> '__diesel_schema_migrations'",
    )
    .load(c)
    .unwrap();
    for r in cols {
        s.insert(format!(
            "column {}.{} {} {}",
            r.a,
            r.b,
            family(&r.c),
            if r.d == "YES" { "null" } else { "not null" }
        ));
    }
    let idx: Vec<Row4> = diesel::sql_query(
        "SELECT t.relname::text AS a, i.relname::text AS b, \
                array_to_string(ARRAY(SELECT a.attname FROM unnest(x.indkey) WITH ORDINALITY k(n, o) \
                JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = k.n ORDER BY k.o), ',') AS c, \
                CASE WHEN x.indisunique THEN ' unique' ELSE '' END AS d \
         FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_class t ON t.oid = x.indrelid \
         JOIN pg_namespace n ON n.oid = t.relnamespace \
         WHERE n.nspname = 'public' AND NOT x.indisprimary AND t.relname <> '__diesel_schema_migrations'",
    )
    .load(c)
    .unwrap();
    for r in idx {
        s.insert(format!("index {} on {}({}){}", r.b, r.a, r.c, r.d));
    }
    let fks: Vec<Row4> = diesel::sql_query(
        "SELECT kcu.table_name::text AS a, kcu.column_name::text AS b, ccu.table_name::text AS c, ccu.column_name::text AS d \
         FROM information_schema.table_constraints tc \
         JOIN information_schema.key_column_usage kcu ON tc.constraint_name = kcu.constraint_name AND tc.table_schema = kcu.table_schema \
         JOIN information_schema.constraint_column_usage ccu ON tc.constraint_name = ccu.constraint_name AND tc.table_schema = ccu.table_schema \
         WHERE tc.constraint_type = 'FOREIGN KEY' AND tc.table_schema = 'public'",
    )
    .load(c)
    .unwrap();
    for r in fks {
        s.insert(format!("fk {}.{} -> {}.{}", r.a, r.b, r.c, r.d));
    }
    s
}

async fn schema_of(backend: Backend) -> (Schema, TestDb) {
    let db = TestDb::new(backend);
    let store = Store::open(db.target.clone(), 1).await.unwrap();
    store.migrate().await.unwrap();
    let schema = store
        .read(|c| {
            Ok::<_, irnet_store::StoreError>(match c {
                DbConn::Sqlite(c) => sqlite_schema(c),
                DbConn::Pg(c) => pg_schema(c),
            })
        })
        .await
        .unwrap();
    (schema, db)
}

/// The SQLite case checks that the schema is read at all; the PostgreSQL case compares the two.
#[both]
async fn sqlite_and_postgresql_migrations_give_the_same_logical_schema(backend: Backend) {
    let (lite, _a) = schema_of(Backend::Sqlite).await;
    assert!(
        lite.iter()
            .any(|l| l.starts_with("column users.email text not null")),
        "{lite:#?}"
    );
    assert!(
        lite.iter()
            .any(|l| l == "index users_email on users(email) unique")
    );
    assert!(
        lite.iter()
            .any(|l| l == "fk users.org_id -> organisations.id")
    );
    if backend == Backend::Sqlite {
        return;
    }
    let (pg, _b) = schema_of(backend).await;
    let only_sqlite: Vec<_> = lite.difference(&pg).collect();
    let only_pg: Vec<_> = pg.difference(&lite).collect();
    assert!(
        only_sqlite.is_empty() && only_pg.is_empty(),
        "only in SQLite: {only_sqlite:#?}\nonly in PostgreSQL: {only_pg:#?}"
    );
}

#[both]
async fn migrations_revert_cleanly(backend: Backend) {
    let db = TestDb::new(backend);
    let store = Store::open(db.target.clone(), 1).await.unwrap();
    store.migrate().await.unwrap();
    let left = store
        .read(|c| {
            use diesel_migrations::MigrationHarness;
            c.revert_all_migrations(irnet_store::db::migrations_for(c.backend()))
                .unwrap();
            Ok::<_, irnet_store::StoreError>(match c {
                DbConn::Sqlite(c) => sqlite_schema(c),
                DbConn::Pg(c) => pg_schema(c),
            })
        })
        .await
        .unwrap();
    assert!(left.is_empty(), "{backend:?}: left after revert: {left:#?}");
}
