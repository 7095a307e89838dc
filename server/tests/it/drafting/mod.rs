//! Recommendation documents: the working draft and versions, amendments, comments, the
//! compilation and publication, and their pages.

mod amendments;
mod documents;
mod pages;
