//! Recommendation documents: the list, a document with its numbered paragraphs, and the
//! comparison of versions. Markdown is rendered and sanitised on the server; the browser
//! receives HTML.

mod comments;
mod compare;
mod compilation;
mod document;
mod editor;
mod list;
mod paragraph;
mod publication;

pub use comments::DocumentCommentsPage;
pub use compare::ComparePage;
pub use compilation::CompilationPage;
pub use document::DocumentPage;
pub use editor::EditorPage;
pub use list::DocumentsPage;
pub use paragraph::ParagraphPage;
pub use publication::PublicationPage;

mod server_fns;
pub use server_fns::*;
