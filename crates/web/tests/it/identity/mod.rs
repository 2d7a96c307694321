//! Accounts, sign-in, sessions, API tokens and the second factor.

mod accounts;
mod api_auth;
mod browser_security;
mod mfa;
