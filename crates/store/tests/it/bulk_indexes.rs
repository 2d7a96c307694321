//! A bulk load drops the secondary indexes and builds them again: afterwards the database must
//! hold exactly the indexes the migrations made, or every later query plan would differ from
//! the one measured and tested.

use irnet_store::Store;
use irnet_store::bulk::{restore_indexes, suspend_indexes};
use irnet_testkit::{Backend, TestDb, both};

const TABLES: &[&str] = &["search_terms", "incidents", "record_shares"];

#[both]
async fn suspended_indexes_come_back_as_the_migrations_made_them(backend: Backend) {
    let db = TestDb::new(backend);
    let store = Store::open(db.target.clone(), 1).await.unwrap();
    store.migrate().await.unwrap();
    let (before, during, after) = store
        .write(|c| {
            let before = suspend_indexes(c, TABLES)?;
            // Nothing left to drop: they really are gone.
            let during = suspend_indexes(c, TABLES)?;
            restore_indexes(c, &before)?;
            let after = suspend_indexes(c, TABLES)?;
            restore_indexes(c, &after)?;
            Ok::<_, irnet_store::StoreError>((before, during, after))
        })
        .await
        .unwrap();
    let names = |defs: &[irnet_store::bulk::IndexDef]| {
        let mut v: Vec<(String, String)> = defs
            .iter()
            .map(|d| (d.name.clone(), d.definition.clone()))
            .collect();
        v.sort();
        v
    };
    assert!(
        before.iter().any(|d| d.name == "search_terms_token"),
        "{backend:?}: {:?}",
        names(&before)
    );
    assert!(during.is_empty(), "{backend:?}: {:?}", names(&during));
    assert_eq!(names(&before), names(&after), "{backend:?}");
}
