//! Cross-site request forgery refused: a request that changes something (any method but GET,
//! HEAD and OPTIONS) and that a browser sent from another site is answered 403 before it reaches
//! a handler or a server function, whatever authenticates it, so that no other site can post a
//! member's forms (or log them in as someone else). The browser says where a request comes from in
//! `Origin`, or without it in `Sec-Fetch-Site`, or in `Referer`; a request with none of these is
//! not a browser's and passes (curl, the API's clients). Requests with a Bearer token carry no
//! ambient credential and are exempt. Behind a proxy the site's own origin is named by
//! `MUTIRAO_PUBLIC_URL`; without it, the request's `Host`.

use axum::{
    extract::{Request, State},
    http::{header, HeaderMap, Method},
    middleware::Next,
    response::{IntoResponse, Response},
};
use shared::AppError;

use crate::{error::ApiError, AppState};

/// Where a request comes from, as its browser tells it.
#[derive(Debug, PartialEq, Eq)]
pub enum Source {
    /// This site, or a client that is not a browser.
    ThisSite,
    /// Another site (or an opaque origin, `Origin: null`).
    Elsewhere,
}

/// `scheme://host[:port]` of a URL, lower-cased, default ports left out; None if it is not one.
fn origin_of(url: &str) -> Option<String> {
    let u = url::Url::parse(url.trim()).ok()?;
    match u.origin() {
        url::Origin::Tuple(..) => Some(u.origin().ascii_serialization()),
        url::Origin::Opaque(_) => None,
    }
}

/// Does `origin` (an `Origin` or the origin of a `Referer`) name this site: the configured public
/// origin, or else the host the request was sent to?
fn is_this_site(origin: &str, public: Option<&str>, host: Option<&str>) -> bool {
    let Some(origin) = origin_of(origin) else { return false };
    match public {
        Some(public) => Some(origin) == origin_of(public),
        // Without a configured origin the scheme is unknown (TLS may end at a proxy): the
        // authority must be the request's Host.
        None => host.is_some_and(|host| {
            let authority = origin.split_once("://").map(|(_, a)| a).unwrap_or_default();
            let host = host.trim().to_ascii_lowercase();
            authority == host || origin_of(&format!("http://{host}")).as_deref() == Some(&format!("http://{authority}"))
        }),
    }
}

/// Where a request comes from, read from its headers; `host` is where it was sent (its `Host`,
/// or over HTTP/2 the authority of its URI).
pub fn source(headers: &HeaderMap, host: Option<&str>, public: Option<&str>) -> Source {
    let here = |yes: bool| if yes { Source::ThisSite } else { Source::Elsewhere };
    if let Some(origin) = headers.get(header::ORIGIN) {
        return here(origin.to_str().is_ok_and(|o| is_this_site(o, public, host)));
    }
    if let Some(site) = headers.get("sec-fetch-site") {
        return here(matches!(site.to_str().map(str::trim), Ok("same-origin" | "none")));
    }
    match headers.get(header::REFERER) {
        Some(referer) => here(referer.to_str().is_ok_and(|r| is_this_site(r, public, host))),
        None => Source::ThisSite,
    }
}

fn changes_something(method: &Method) -> bool {
    !matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS)
}

fn has_bearer_token(headers: &HeaderMap) -> bool {
    crate::accounts::auth::bearer_token(headers).is_some()
}

/// The middleware: refuses a cross-site request that changes something.
pub async fn refuse_cross_site(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let host = req
        .headers()
        .get(header::HOST)
        .and_then(|v| v.to_str().ok())
        .map(str::to_string)
        .or_else(|| req.uri().authority().map(|a| a.to_string()));
    if changes_something(req.method())
        && !has_bearer_token(req.headers())
        && source(req.headers(), host.as_deref(), state.public_url.as_deref()) == Source::Elsewhere
    {
        return ApiError(AppError::Forbidden(
            "This request came from another website, so it was refused. Open Mutirão itself and try again there.".into(),
        ))
        .into_response();
    }
    next.run(req).await
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            h.insert(*k, v.parse().unwrap());
        }
        h
    }

    #[test]
    fn a_browser_tells_where_a_request_comes_from() {
        use Source::*;
        let host = ("host", "mutirao.example.org");
        for (pairs, public, expected) in [
            (vec![host, ("origin", "https://mutirao.example.org")], None, ThisSite),
            (vec![host, ("origin", "http://MUTIRAO.example.org:80")], None, ThisSite),
            (vec![("host", "localhost:3000"), ("origin", "http://localhost:3000")], None, ThisSite),
            (vec![("host", "localhost:3000"), ("origin", "http://localhost:3001")], None, Elsewhere),
            (vec![host, ("origin", "https://evil.example")], None, Elsewhere),
            (vec![host, ("origin", "null")], None, Elsewhere),
            (vec![host, ("origin", "https://mutirao.example.org.evil.example")], None, Elsewhere),
            // Behind a proxy, the public origin decides, scheme included.
            (vec![("host", "10.0.0.5:3000"), ("origin", "https://mutirao.example.org")], Some("https://mutirao.example.org/"), ThisSite),
            (
                vec![("host", "mutirao.example.org"), ("origin", "http://mutirao.example.org")],
                Some("https://mutirao.example.org"),
                Elsewhere,
            ),
            // Without Origin: the fetch metadata, then the referrer.
            (vec![host, ("sec-fetch-site", "same-origin")], None, ThisSite),
            (vec![host, ("sec-fetch-site", "none")], None, ThisSite),
            (vec![host, ("sec-fetch-site", "cross-site")], None, Elsewhere),
            (vec![host, ("sec-fetch-site", "same-site")], None, Elsewhere),
            (vec![host, ("referer", "https://mutirao.example.org/login?next=/")], None, ThisSite),
            (vec![host, ("referer", "https://evil.example/page")], None, Elsewhere),
            // No browser at all (curl, an API client).
            (vec![host], None, ThisSite),
        ] {
            let h = headers(&pairs);
            let host = h.get("host").and_then(|v| v.to_str().ok());
            assert_eq!(source(&h, host, public), expected, "{pairs:?} with {public:?}");
        }
    }

    #[test]
    fn only_writes_without_a_token_are_checked() {
        assert!(changes_something(&Method::POST) && changes_something(&Method::DELETE) && changes_something(&Method::PATCH));
        assert!(!changes_something(&Method::GET) && !changes_something(&Method::HEAD));
        assert!(has_bearer_token(&headers(&[("authorization", "Bearer mut_abc")])));
        assert!(has_bearer_token(&headers(&[("authorization", "bearer mut_abc")])));
        assert!(!has_bearer_token(&headers(&[("authorization", "Basic abc")])));
        assert!(!has_bearer_token(&headers(&[])));
    }
}
