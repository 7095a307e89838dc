//! Accounts: users, roles, sessions, API tokens, invitations, and their REST endpoints.

pub mod auth;
pub mod rest;
pub mod service;
pub mod rate_limit;
mod secrets;

pub use service::SurrealAccounts;
