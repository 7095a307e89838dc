//! What server functions need from the server: the services (`Ports`, provided as context by
//! the server) and who is calling (`RequestAuth`, left in the request by the auth middleware).

use http::{header, request::Parts, HeaderValue};
use leptos::prelude::*;
use leptos_axum::ResponseOptions;
use shared::{
    ports::{CookiePolicy, Ports, RequestAuth},
    AppError, Caller,
};

pub fn ports() -> Result<Ports, AppError> {
    use_context::<Ports>().ok_or_else(|| {
        leptos::logging::error!("Ports missing from the Leptos context");
        AppError::Internal
    })
}

pub fn request_auth() -> RequestAuth {
    use_context::<Parts>().and_then(|p| p.extensions.get::<RequestAuth>().cloned()).unwrap_or_default()
}

/// The logged-in caller, or 401.
pub fn caller() -> Result<Caller, AppError> {
    request_auth().caller.ok_or_else(AppError::unauthenticated)
}

pub fn cookie_policy() -> CookiePolicy {
    use_context::<CookiePolicy>().unwrap_or_default()
}

/// Adds a `Set-Cookie` header to the response.
pub fn set_cookie(value: &str) {
    if let (Some(res), Ok(v)) = (use_context::<ResponseOptions>(), HeaderValue::from_str(value)) {
        res.append_header(header::SET_COOKIE, v);
    }
}

/// A cookie of this request, by name.
pub fn cookie(name: &str) -> Option<String> {
    let parts = use_context::<Parts>()?;
    parts.headers.get_all(header::COOKIE).iter().filter_map(|v| v.to_str().ok()).flat_map(|v| v.split(';')).find_map(|kv| {
        let (k, v) = kv.trim().split_once('=')?;
        (k == name).then(|| v.to_string())
    })
}

/// True when the browser posted a form without JavaScript and will be sent back to a page.
pub fn posted_without_js() -> bool {
    use_context::<Parts>()
        .and_then(|p| p.headers.get(header::ACCEPT).and_then(|v| v.to_str().ok()).map(|v| v.contains("text/html")))
        .unwrap_or(false)
}

/// Keeps a refused form's input for the page at `path` to fill in again (see
/// `AccountsPort::keep_input`). Keeping is a courtesy: a failure is logged, and the refusal
/// is what the caller reports.
pub async fn keep_input(path: &str, fields: Vec<(String, String)>) {
    let (Ok(ports), Ok(caller)) = (ports(), caller()) else { return };
    if let Err(e) = ports.accounts.keep_input(&caller, path, fields).await {
        leptos::logging::warn!("could not keep form input for {path}: {e}");
    }
}

/// Passes `result` on. When it is a refusal that reloads the page — any refusal of a form
/// posted without JavaScript, or one `reloads` names (the page reloads its data after it) — it
/// first keeps `fields` for the page at `path`, so that what was typed comes back in the form.
pub async fn keep_if_refused<T>(
    result: Result<T, AppError>,
    path: &str,
    fields: Vec<(String, String)>,
    reloads: impl Fn(&AppError) -> bool,
) -> Result<T, AppError> {
    if let Err(e) = &result {
        if reloads(e) || posted_without_js() {
            keep_input(path, fields).await;
        }
    }
    result
}

/// The input kept for the caller at `path`, if any (taken: it is shown once).
pub async fn take_input(path: &str) -> Option<Vec<(String, String)>> {
    let (Ok(ports), Ok(caller)) = (ports(), caller()) else { return None };
    ports.accounts.take_input(&caller, path).await.unwrap_or_else(|e| {
        leptos::logging::warn!("could not read kept form input for {path}: {e}");
        None
    })
}

const FLASH_COOKIE: &str = "mutirao_flash";

/// Leaves a one-time message for the next page at `path` (a secret shown once, a confirmation):
/// it survives the redirect of a form posted without JavaScript, and reaches the server
/// function that reloads the page's data when JavaScript is on (the cookie is site-wide and
/// names its page).
pub fn set_flash(path: &str, message: &str) {
    let secure = if cookie_policy().secure { "; Secure" } else { "" };
    let value = format!("{}.{}", hex_encode(path), hex_encode(message));
    set_cookie(&format!("{FLASH_COOKIE}={value}; Path=/; HttpOnly; SameSite=Strict; Max-Age=120{secure}"));
}

/// Takes the one-time message left for `path`, if any, and clears it.
pub fn take_flash(path: &str) -> Option<String> {
    let value = cookie(FLASH_COOKIE).filter(|v| !v.is_empty())?;
    let (for_path, message) = value.split_once('.')?;
    if hex_decode(for_path).as_deref() != Some(path) {
        return None;
    }
    set_cookie(&format!("{FLASH_COOKIE}=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0"));
    hex_decode(message)
}

fn hex_encode(s: &str) -> String {
    s.bytes().map(|b| format!("{b:02x}")).collect()
}

fn hex_decode(s: &str) -> Option<String> {
    let bytes =
        (0..s.len()).step_by(2).map(|i| s.get(i..i + 2).and_then(|h| u8::from_str_radix(h, 16).ok())).collect::<Option<Vec<u8>>>()?;
    String::from_utf8(bytes).ok()
}

/// A path on this site, or None: `path` is parsed as a browser parses it (the WHATWG URL
/// standard: tabs and newlines dropped, `\\` read as `/`) against a placeholder origin, and kept
/// only when the result stays on that origin. What is returned is the parsed path, query and
/// fragment, percent-encoded, so it holds no character a `Location` header cannot carry.
pub fn same_site_path(path: &str) -> Option<String> {
    let site = url::Url::parse("http://mutirao.invalid/").ok()?;
    let path = path.trim();
    if !path.starts_with('/') {
        return None;
    }
    let to = site.join(path).ok().filter(|to| to.origin() == site.origin())?;
    let mut out = to.path().to_string();
    if let Some(q) = to.query() {
        out.push('?');
        out.push_str(q);
    }
    if let Some(f) = to.fragment() {
        out.push('#');
        out.push_str(f);
    }
    // A path of an empty first segment (`/.//evil.example`) would read as another site's address.
    (!out.starts_with("//")).then_some(out)
}

/// Where to go after a login or a form: a path on this site ([`same_site_path`]), never back to
/// the login; home otherwise.
pub fn safe_next(next: Option<&str>) -> String {
    next.and_then(same_site_path).filter(|p| !p.starts_with("/login")).unwrap_or_else(|| "/".to_string())
}

/// Sends the browser to `path` after a server function: the one way the pages redirect. A path
/// made from what someone typed (an id, a form's `back`) is parsed first ([`same_site_path`]), so
/// a newline in it cannot make the response fail after its write was done.
pub fn redirect(path: &str) {
    leptos_axum::redirect(&same_site_path(path).unwrap_or_else(|| "/".to_string()));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flash_encoding_round_trips() {
        let s = "Convite: /invite/abc — ção";
        assert_eq!(hex_decode(&hex_encode(s)).as_deref(), Some(s));
        assert_eq!(hex_decode("zz"), None);
    }

    #[test]
    fn next_is_same_site_only() {
        assert_eq!(safe_next(Some("/admin")), "/admin");
        assert_eq!(safe_next(Some("//evil.example")), "/");
        assert_eq!(safe_next(Some("https://evil.example")), "/");
        assert_eq!(safe_next(Some("/\\evil.example")), "/");
        assert_eq!(safe_next(None), "/");
        // Browsers drop tabs and newlines from a URL: `/<tab>/evil.example` is `//evil.example`.
        for hostile in
            ["/\t/evil.example", "/\n/evil.example", "/\r\n/evil.example", "\t//evil.example", "/\\/evil.example", "/\t\\evil.example"]
        {
            assert_eq!(safe_next(Some(hostile)), "/", "{hostile:?}");
        }
        assert_eq!(safe_next(Some(" /recommendations/doc?x=1#p-2 ")), "/recommendations/doc?x=1#p-2");
        assert_eq!(safe_next(Some("/login?next=/admin")), "/", "not back to the login");
        assert_eq!(safe_next(Some("relative")), "/");
        assert_eq!(safe_next(Some("/a b\u{7}c")), "/a%20b%07c", "what is followed can be a Location header");
        assert_eq!(same_site_path("/login").as_deref(), Some("/login"), "a redirect may go to the login");
        assert_eq!(same_site_path("/.//evil.example"), None);
        assert_eq!(same_site_path("/a/..//evil.example"), None);
        assert_eq!(same_site_path("/network/actors/ab\nc#p-x\ny").as_deref(), Some("/network/actors/abc#p-xy"));
    }

    proptest::proptest! {
        /// Whatever was typed, a redirect's path is a valid `Location` header on this site.
        #[test]
        fn every_redirect_is_a_valid_location_on_this_site(typed in "\\PC*", prefix in "(/|//|/\\\\|/\t/)?") {
            let path = format!("{prefix}{typed}");
            for p in [same_site_path(&path).unwrap_or_else(|| "/".into()), safe_next(Some(&path))] {
                proptest::prop_assert!(HeaderValue::from_str(&p).is_ok(), "{:?}", p);
                proptest::prop_assert!(p.starts_with('/') && !p.starts_with("//"), "{:?}", p);
            }
        }
    }
}
