//! Request extractors of the REST API whose rejections are JSON errors naming what is wrong. A
//! leaf: the domains' handlers use it, and it uses nothing of theirs.

use axum::{
    extract::{
        rejection::{JsonRejection, QueryRejection},
        FromRequest, FromRequestParts,
    },
    http::{header, request::Parts, HeaderMap, HeaderValue},
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

/// The revision a change is made from, when the client names it (`If-Match: "3"`, the `ETag` it
/// read): the change is then refused with 412 if the record moved on (see `shared::revision`).
pub struct IfMatch(pub Option<u64>);

impl<S: Send + Sync> FromRequestParts<S> for IfMatch {
    type Rejection = ApiError;
    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        match parts.headers.get(header::IF_MATCH) {
            None => Ok(IfMatch(None)),
            Some(v) => {
                let text = v.to_str().map_err(|_| ApiError(AppError::validation("If-Match", "If-Match is not readable text.")))?;
                Ok(IfMatch(shared::revision::parse_if_match(text).map_err(ApiError)?))
            }
        }
    }
}

/// The `ETag` header of a record at `revision`.
pub fn etag(revision: u64) -> HeaderMap {
    let mut h = HeaderMap::new();
    if let Ok(v) = HeaderValue::from_str(&shared::revision::etag(revision)) {
        h.insert(header::ETAG, v);
    }
    h
}
