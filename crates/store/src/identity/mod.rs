//! Accounts and everything that authenticates them: role grants, sessions, API tokens, MFA
//! recovery codes and the sign-in throttle.

pub mod grants;
pub mod recovery;
pub mod sessions;
pub mod throttle;
pub mod tokens;
pub mod users;
