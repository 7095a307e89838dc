//! Deals between producer organisations and buyers: matching, meetings, productive alliances.

mod alliances;
pub mod matching;
mod meetings;

pub use alliances::*;
pub use meetings::*;

use crate::{accounts::Caller, network::may_change_actor};

/// May this caller record or change a meeting or an alliance between these two organisations?
/// The stewards any; a member of either organisation.
pub fn may_change_deal(caller: &Caller, producer_id: &str, buyer_id: &str) -> bool {
    may_change_actor(caller, producer_id) || may_change_actor(caller, buyer_id)
}
