//! The web crate's integration tests: the real irnet on a random port, driven over HTTP like a
//! user's client, one module per pillar. One binary for all of them, so that CI links once.
//! A test that needs a database is declared with `irnet_testkit::both!` and runs as two cases,
//! `…::sqlite` and `…::postgres`.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // a failed unwrap in a test is a failed assertion

mod access;
mod alerts;
mod audit;
mod boundary_errors;
mod channels;
mod directory;
mod drills;
mod drills_many_teams;
mod identity;
mod incidents;
mod notifications;
mod ops;
mod rules;
mod sharing;
mod stix_store;
mod training;
