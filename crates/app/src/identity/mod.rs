//! Accounts and how people prove who they are.

pub mod auth;
pub mod mfa;
pub mod passwords;
pub mod principal;
pub mod recheck;
pub mod secrets;
pub mod sessions;
pub mod tokens;
pub mod users;
