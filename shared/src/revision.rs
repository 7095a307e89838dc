//! Revisions: each record people edit (actors, people, meetings, alliances) counts its changes.
//! A change is written only onto the revision it was worked out from; a client may name that
//! revision (`If-Match` with the `ETag` it read) to have its change refused (412) rather than
//! merged when someone changed the record meanwhile.

use crate::AppError;

/// The `ETag` of a revision: `"3"`.
pub fn etag(revision: u64) -> String {
    format!("\"{revision}\"")
}

/// The revision an `If-Match` header names: `"3"` or `W/"3"`; `*` (any) is none.
pub fn parse_if_match(header: &str) -> Result<Option<u64>, AppError> {
    let h = header.trim();
    if h == "*" {
        return Ok(None);
    }
    let tag = h.strip_prefix("W/").unwrap_or(h);
    tag.strip_prefix('"')
        .and_then(|t| t.strip_suffix('"'))
        .and_then(|t| t.parse::<u64>().ok())
        .map(Some)
        .ok_or_else(|| AppError::validation("If-Match", "If-Match names a revision as its ETag gives it, such as \"3\"."))
}

/// Refuses a change made from `expected` when the record is now at `current`.
pub fn check(expected: Option<u64>, current: u64, what: &str) -> Result<(), AppError> {
    match expected {
        Some(e) if e != current => Err(stale(what)),
        _ => Ok(()),
    }
}

/// The refusal of a change made from an older revision of `what` ("this organisation").
pub fn stale(what: &str) -> AppError {
    AppError::PreconditionFailed(format!("Someone changed {what} since you opened it. Reload it, then make your change again."))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn etags_round_trip_and_stale_changes_are_refused() {
        assert_eq!(parse_if_match(&etag(7)).unwrap(), Some(7));
        assert_eq!(parse_if_match("W/\"7\"").unwrap(), Some(7));
        assert_eq!(parse_if_match(" * ").unwrap(), None);
        assert_eq!(parse_if_match("7").unwrap_err().field(), Some("If-Match"));
        assert_eq!(parse_if_match("\"x\"").unwrap_err().field(), Some("If-Match"));
        assert!(check(None, 3, "x").is_ok() && check(Some(3), 3, "x").is_ok());
        assert_eq!(check(Some(2), 3, "this organisation").unwrap_err().status(), 412);
    }
}
