//! The store crate's integration tests, one binary: the migrations and their schema on both
//! databases, bulk loads, and the SQL filters compiled from the access policy. A test that needs
//! a database is declared with `irnet_testkit::both!` and runs as `…::sqlite` and `…::postgres`.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // a failed unwrap in a test is a failed assertion

mod bulk_indexes;
mod migration_versions;
mod policy_filters;
mod private_filter;
mod schema_parity;
mod stored_types;
