//! Diesel knows a migration by the part of its folder name before the first underscore: two
//! folders with the same date and number would be one migration, and the second would never run
//! (two branches once both added `2026-12-02-000001_…`). Every version must be unique.

use std::collections::BTreeMap;
use std::path::Path;

#[test]
fn every_migration_has_its_own_version_on_both_databases() {
    for backend in ["sqlite", "postgres"] {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("migrations")
            .join(backend);
        let mut seen: BTreeMap<String, String> = BTreeMap::new();
        for entry in std::fs::read_dir(&dir).unwrap() {
            let name = entry.unwrap().file_name().to_string_lossy().into_owned();
            let version = name.split('_').next().unwrap().to_owned();
            if let Some(other) = seen.insert(version.clone(), name.clone()) {
                panic!("{backend}: {name} and {other} share the version {version}");
            }
        }
        assert!(seen.len() > 10, "{backend}: migrations found in {dir:?}");
    }
}
