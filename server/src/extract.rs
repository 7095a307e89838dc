//! Request extractors of the REST API whose rejections are JSON errors naming what is wrong. A
//! leaf: the domains' handlers use it, and it uses nothing of theirs.

use axum::extract::{
    rejection::{JsonRejection, QueryRejection},
    FromRequest, FromRequestParts,
};

use crate::error::{ApiError, AppError};

/// A JSON body whose rejection is a JSON error naming what is wrong.
#[derive(FromRequest)]
#[from_request(via(axum::Json), rejection(ApiError))]
pub struct ApiJson<T>(pub T);

impl From<JsonRejection> for ApiError {
    fn from(r: JsonRejection) -> Self {
        let message = match &r {
            JsonRejection::MissingJsonContentType(_) => "Send the body as JSON with `Content-Type: application/json`.".to_string(),
            JsonRejection::JsonSyntaxError(_) => "The body is not valid JSON.".to_string(),
            JsonRejection::JsonDataError(e) => format!("The body does not have the expected fields: {}", e.body_text()),
            _ => r.body_text(),
        };
        ApiError(AppError::validation("body", message))
    }
}

/// Query parameters whose rejection is a JSON error.
#[derive(FromRequestParts)]
#[from_request(via(axum::extract::Query), rejection(ApiError))]
pub struct ApiQuery<T>(pub T);

impl From<QueryRejection> for ApiError {
    fn from(r: QueryRejection) -> Self {
        ApiError(AppError::validation("query", format!("The query string is not valid: {}", r.body_text())))
    }
}
