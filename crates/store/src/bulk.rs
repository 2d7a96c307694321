//! Bulk loads (the benchmarks' synthetic networks): what makes writing millions of rows take
//! minutes instead of hours. Never used by the application's own writes.

use diesel::connection::SimpleConnection;
use diesel::prelude::*;
use diesel::sql_types::Text;

use crate::DbConn;

/// On SQLite, a 256 MiB page cache on this connection, so that inserting many index rows does
/// not re-read the same B-tree pages from the file. PostgreSQL's cache is the server's.
pub fn prepare(conn: &mut DbConn) -> QueryResult<()> {
    match conn {
        DbConn::Sqlite(c) => c.batch_execute("PRAGMA cache_size = -262144;"),
        DbConn::Pg(_) => Ok(()),
    }
}

/// A secondary index as the database itself records it, to be built again after the load.
#[derive(Debug, Clone, QueryableByName)]
pub struct IndexDef {
    #[diesel(sql_type = Text)]
    pub name: String,
    #[diesel(sql_type = Text)]
    pub definition: String,
}

/// Drops the non-unique secondary indexes of `tables` and returns their definitions, read from
/// the catalog (so no DDL is repeated here and the migrations stay the one source).
///
/// Why: the search index gets about 37 words per incident, inserted at random places of two
/// word-ordered B-trees; at a million incidents those trees outgrow any cache and every insert
/// becomes a page read, and seeding stalled. Building each index once from the finished table
/// is a sort. Unique indexes and primary keys stay: they are constraints, not only speed.
/// If the load fails, `restore` must still run (the caller does it); a database left without
/// them is a benchmark's throwaway database, never a production one.
pub fn suspend_indexes(conn: &mut DbConn, tables: &[&str]) -> QueryResult<Vec<IndexDef>> {
    let mut defs = Vec::new();
    for table in tables {
        let found: Vec<IndexDef> = match conn {
            DbConn::Sqlite(c) => diesel::sql_query(
                "SELECT name, sql AS definition FROM sqlite_master \
                 WHERE type = 'index' AND tbl_name = ? AND sql IS NOT NULL \
                 AND sql NOT LIKE 'CREATE UNIQUE%'",
            )
            .bind::<Text, _>(*table)
            .load(c)?,
            DbConn::Pg(c) => diesel::sql_query(
                "SELECT i.relname::text AS name, pg_get_indexdef(i.oid) AS definition \
                 FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid \
                 JOIN pg_class t ON t.oid = x.indrelid \
                 WHERE t.relname = $1 AND t.relnamespace = 'public'::regnamespace \
                 AND NOT x.indisunique AND NOT x.indisprimary",
            )
            .bind::<Text, _>(*table)
            .load(c)?,
        };
        for def in &found {
            conn.batch_execute(&format!("DROP INDEX \"{}\"", def.name))?;
        }
        defs.extend(found);
    }
    Ok(defs)
}

/// Builds the indexes `suspend_indexes` dropped, each in one pass over its table.
pub fn restore_indexes(conn: &mut DbConn, defs: &[IndexDef]) -> QueryResult<()> {
    if let DbConn::Pg(c) = conn {
        // A sort of tens of millions of keys: let it use memory rather than temporary files.
        c.batch_execute("SET LOCAL maintenance_work_mem = '1GB'")?;
    }
    for def in defs {
        conn.batch_execute(&def.definition)?;
    }
    Ok(())
}
