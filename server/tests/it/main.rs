//! The server's integration and HTTP tests, in one binary (each file directly under `tests/`
//! would link a server-sized binary of its own): a module per domain, each test on a fresh
//! in-memory SurrealDB (a few on disk, in a temporary folder).

mod accounts;
mod audit;
mod binary;
mod common;
mod db;
mod drafting;
mod matrix;
mod network;
mod pages;
