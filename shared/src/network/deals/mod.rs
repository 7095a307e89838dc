//! Deals between producer organisations and buyers: matching, meetings, productive alliances.

mod alliances;
pub mod matching;
mod meetings;

pub use alliances::*;
pub use meetings::*;
