//! The one error type of the application. The server maps it to an HTTP status and the JSON
//! error shape; server functions carry it to the UI as is, so a form can show a field's error.

use serde::{Deserialize, Serialize};
use server_fn::{
    codec::JsonEncoding,
    error::{FromServerFnError, ServerFnErrorErr},
};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[serde(tag = "code", content = "detail", rename_all = "snake_case")]
pub enum AppError {
    /// Bad input: `field` names what to fix, `message` says how, in words a person understands.
    #[error("{message}")]
    Validation { field: String, message: String },
    /// Not logged in, or the credentials are wrong.
    #[error("{0}")]
    Unauthorized(String),
    /// Logged in, but this role may not do this.
    #[error("{0}")]
    Forbidden(String),
    #[error("{0}")]
    NotFound(String),
    /// The request clashes with the current state (a duplicate, a stale version).
    #[error("{0}")]
    Conflict(String),
    /// Well-formed but refused by a business rule.
    #[error("{0}")]
    Unprocessable(String),
    /// The record changed since the version the request names (`If-Match`): nothing was written.
    #[error("{0}")]
    PreconditionFailed(String),
    /// Too many attempts; try again later.
    #[error("{0}")]
    TooManyRequests(String),
    /// Something broke on our side. The cause is logged, never shown.
    #[error("Something went wrong on our side. Please try again; if it keeps happening, tell the administrator.")]
    Internal,
    /// The request never reached the application (network, decoding).
    #[error("{0}")]
    Transport(String),
}

impl AppError {
    pub fn validation(field: impl Into<String>, message: impl Into<String>) -> Self {
        AppError::Validation { field: field.into(), message: message.into() }
    }

    pub fn unauthenticated() -> Self {
        AppError::Unauthorized("Please log in to continue.".into())
    }

    pub fn forbidden(what: &str) -> Self {
        AppError::Forbidden(format!("Your role does not allow you to {what}."))
    }

    /// The stable machine-readable code of the JSON error shape.
    pub fn code(&self) -> &'static str {
        match self {
            AppError::Validation { .. } => "validation",
            AppError::Unauthorized(_) => "unauthorized",
            AppError::Forbidden(_) => "forbidden",
            AppError::NotFound(_) => "not_found",
            AppError::Conflict(_) => "conflict",
            AppError::Unprocessable(_) => "unprocessable",
            AppError::PreconditionFailed(_) => "precondition_failed",
            AppError::TooManyRequests(_) => "too_many_requests",
            AppError::Internal => "internal",
            AppError::Transport(_) => "transport",
        }
    }

    /// The HTTP status this error answers with.
    pub fn status(&self) -> u16 {
        match self {
            AppError::Validation { .. } => 400,
            AppError::Unauthorized(_) => 401,
            AppError::Forbidden(_) => 403,
            AppError::NotFound(_) => 404,
            AppError::Conflict(_) => 409,
            AppError::Unprocessable(_) => 422,
            AppError::PreconditionFailed(_) => 412,
            AppError::TooManyRequests(_) => 429,
            AppError::Internal | AppError::Transport(_) => 500,
        }
    }

    /// The field a validation error names, if any.
    pub fn field(&self) -> Option<&str> {
        match self {
            AppError::Validation { field, .. } => Some(field),
            _ => None,
        }
    }
}

impl FromServerFnError for AppError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        match value {
            ServerFnErrorErr::Args(m) => AppError::validation("form", format!("The form could not be read: {m}")),
            ServerFnErrorErr::Request(m) | ServerFnErrorErr::Response(m) => {
                AppError::Transport(format!("The server could not be reached ({m}). Check your connection and try again."))
            }
            other => AppError::Transport(other.to_string()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses_and_codes_match_the_api_contract() {
        assert_eq!(AppError::validation("email", "bad").status(), 400);
        assert_eq!(AppError::unauthenticated().status(), 401);
        assert_eq!(AppError::forbidden("x").status(), 403);
        assert_eq!(AppError::NotFound("x".into()).code(), "not_found");
        assert_eq!(AppError::Conflict("x".into()).status(), 409);
        assert_eq!(AppError::Unprocessable("x".into()).status(), 422);
        assert_eq!(AppError::PreconditionFailed("x".into()).status(), 412);
        assert_eq!(AppError::Internal.status(), 500);
    }

    #[test]
    fn round_trips_through_the_server_fn_encoding() {
        let e = AppError::validation("password", "Use at least 12 characters.");
        let back = AppError::de(e.ser());
        assert_eq!(back, e);
        assert_eq!(back.field(), Some("password"));
    }

    #[test]
    fn every_variant_round_trips() {
        for e in [
            AppError::unauthenticated(),
            AppError::forbidden("x"),
            AppError::NotFound("n".into()),
            AppError::Conflict("c".into()),
            AppError::Unprocessable("u".into()),
            AppError::PreconditionFailed("p".into()),
            AppError::TooManyRequests("t".into()),
            AppError::Internal,
            AppError::Transport("t".into()),
        ] {
            assert_eq!(AppError::de(e.ser()), e);
        }
    }

    #[test]
    fn internal_never_leaks_a_cause() {
        assert!(!AppError::Internal.to_string().to_lowercase().contains("surreal"));
    }
}
