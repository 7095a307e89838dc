//! Accounts: users, roles, sessions, API tokens, invitations, and their REST endpoints.

pub mod auth;
pub mod backup;
pub mod client;
mod hashing;
pub mod privacy;
pub mod rate_limit;
pub mod rest;
mod secrets;
pub mod service;

pub use service::SurrealAccounts;
