//! `AppError` as an HTTP answer: the status and the JSON error shape, in one place.

use axum::{
    http::StatusCode,
    response::{IntoResponse, Response},
    Json,
};
pub use shared::AppError;

/// The JSON body of every error: `{"error": {"code", "message", "field"?}}`.
#[derive(serde::Serialize, utoipa::ToSchema)]
pub struct ErrorBody {
    pub error: ErrorDetail,
}

#[derive(serde::Serialize, utoipa::ToSchema)]
pub struct ErrorDetail {
    /// `validation`, `unauthorized`, `forbidden`, `not_found`, `conflict`, `unprocessable`, `precondition_failed`, `too_many_requests` or `internal`.
    pub code: String,
    /// What went wrong, for a person.
    pub message: String,
    /// The input field at fault, for validation errors.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
}

/// Wraps `AppError` so axum can answer with it (the orphan rule keeps the impl here).
#[derive(Debug)]
pub struct ApiError(pub AppError);

impl From<AppError> for ApiError {
    fn from(e: AppError) -> Self {
        ApiError(e)
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let status = StatusCode::from_u16(self.0.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        let body = ErrorBody {
            error: ErrorDetail { code: self.0.code().to_string(), message: self.0.to_string(), field: self.0.field().map(str::to_string) },
        };
        (status, Json(body)).into_response()
    }
}

pub type ApiResult<T> = Result<T, ApiError>;

/// Logs an unexpected failure with its cause and answers `Internal`: people never see database messages.
pub fn internal(context: &str, cause: impl std::fmt::Display) -> AppError {
    tracing::error!(%cause, "{context}");
    AppError::Internal
}
