//! The audit log: what stewards and admins changed — who, when, what, on which record — written
//! in the same transaction as the change and never altered afterwards.

use serde::{Deserialize, Serialize};

use crate::{text, vocabulary::closed_vocabulary, AppError};

closed_vocabulary! {
    /// What was done. The spelling is `record kind.verb`.
    AuditAction {
        UserCreated = "user.created" / "Created a user account",
        RolesChanged = "user.roles_changed" / "Changed a user's roles",
        UserDisabled = "user.disabled" / "Disabled a user account",
        UserEnabled = "user.enabled" / "Enabled a user account",
        InvitationReissued = "user.invitation_reissued" / "Issued a new invitation",
        TokenRevoked = "token.revoked" / "Revoked an API token",
        DocumentCreated = "document.created" / "Created a document",
        DocumentStatusChanged = "document.status_changed" / "Changed a document's status",
        ParagraphStatusChanged = "paragraph.status_changed" / "Changed a paragraph's status",
        VersionReleased = "document.version_released" / "Released a version",
        DocumentPublished = "document.published" / "Published a document",
        AmendmentDecided = "amendment.decided" / "Decided an amendment",
        CommentHidden = "comment.hidden" / "Hid a comment",
        ActorDeleted = "actor.deleted" / "Deleted an organisation",
        RelationDeleted = "relation.deleted" / "Deleted a relation",
        PersonDeleted = "person.deleted" / "Removed a person",
        PersonErased = "person.erased" / "Erased a person's personal data",
        NetworkImported = "network.imported" / "Imported a CSV file",
        DataExported = "user.data_exported" / "Exported their personal data",
        BackupTaken = "database.backup_taken" / "Downloaded a backup",
    }
}

/// One entry of the audit log as admins read it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AuditEntry {
    pub id: String,
    /// When, in RFC 3339 (UTC).
    pub at: String,
    /// The user who did it (none for the command line).
    pub by: Option<String>,
    /// Their name at the time of reading.
    pub by_name: Option<String>,
    pub action: AuditAction,
    /// The kind of record changed (`user`, `document`, `actor`…) and its id.
    pub table: String,
    pub key: String,
    /// What changed, in a few words (never personal data: ids and statuses, not names).
    pub summary: String,
}

/// The filters of the audit log: by user, by action, since a date.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditFilter {
    pub user: Option<String>,
    pub action: Option<AuditAction>,
    /// Entries at or after this moment (RFC 3339, normalised to UTC).
    pub since: Option<String>,
}

impl AuditFilter {
    /// The filters as a form or a query string gives them: blanks are none; an unknown action, a
    /// user id that cannot be one, or a date that is not one is refused.
    pub fn parse(user: Option<&str>, action: Option<&str>, since: Option<&str>) -> Result<AuditFilter, AppError> {
        let user = match user.map(str::trim).filter(|u| !u.is_empty()) {
            None => None,
            Some(u) if crate::accounts::is_record_key(u) => Some(u.to_string()),
            Some(_) => return Err(AppError::validation("user", "This is not a user's id.")),
        };
        let action = AuditAction::parse_optional("action", "an action of the audit log", action)?;
        let since = match since.map(str::trim).filter(|s| !s.is_empty()) {
            None => None,
            Some(s) => Some(text::since_moment(s).ok_or_else(|| {
                AppError::validation("since", "Give the date as 2026-12-01 or a date and time such as 2026-12-01T18:00:00Z.")
            })?),
        };
        Ok(AuditFilter { user, action, since })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn filters_are_parsed_and_bad_ones_refused() {
        let f = AuditFilter::parse(Some(" abc123 "), Some("comment.hidden"), Some("2026-12-01")).unwrap();
        assert_eq!(f.user.as_deref(), Some("abc123"));
        assert_eq!(f.action, Some(AuditAction::CommentHidden));
        assert_eq!(f.since.as_deref(), Some("2026-12-01T00:00:00Z"));
        assert_eq!(AuditFilter::parse(Some(""), Some(""), Some("")).unwrap(), AuditFilter::default());
        assert_eq!(
            AuditFilter::parse(None, None, Some("2026-12-01T18:30:00-03:00")).unwrap().since.as_deref(),
            Some("2026-12-01T21:30:00Z")
        );
        assert!(AuditFilter::parse(Some("a'b"), None, None).is_err());
        assert!(AuditFilter::parse(None, Some("user.deleted_everything"), None).is_err());
        assert!(AuditFilter::parse(None, None, Some("yesterday")).is_err());
        assert!(AuditFilter::parse(None, None, Some("2026-13-01")).is_err());
    }
}
