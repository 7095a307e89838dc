//! Fixtures: a throwaway app per test, on a fresh in-memory SurrealDB.

use axum::{
    body::{to_bytes, Body},
    http::{header, Method, Request, StatusCode},
    Router,
};
use serde_json::Value;
use server::{
    config::{DbConfig, ServeConfig},
    AppState,
};
use shared::accounts::ValidNewUser;
use shared::Role;
use tower::ServiceExt;

pub const PASSWORD: &str = "a long enough password";

pub struct TestApp {
    pub state: AppState,
    pub router: Router,
}

pub struct Reply {
    pub status: StatusCode,
    pub headers: axum::http::HeaderMap,
    pub body: Value,
    pub text: String,
}

impl TestApp {
    pub async fn new() -> Self {
        Self::with_config(ServeConfig::default()).await
    }

    pub async fn with_config(serve: ServeConfig) -> Self {
        init_tracing();
        let state = AppState::open(&DbConfig::memory(), &serve).await.expect("open mem:// database");
        let router = server::app(state.clone());
        TestApp { state, router }
    }

    /// Creates a user with these roles (and membership of these actors); returns its id.
    pub async fn user(&self, email: &str, roles: &[Role], actor_ids: Vec<String>) -> String {
        self.state
            .accounts
            .insert_user(
                ValidNewUser {
                    email: email.into(),
                    name: email.split('@').next().unwrap().into(),
                    roles: roles.to_vec(),
                    password: Some(PASSWORD.into()),
                    actor_ids,
                },
                None,
            )
            .await
            .expect("create user")
            .user
            .id
    }

    /// Logs in through the API and returns the `Cookie` header value to send.
    pub async fn login(&self, email: &str) -> String {
        let r = self.call(Method::POST, "/api/v1/session", None, Some(serde_json::json!({"email": email, "password": PASSWORD}))).await;
        assert_eq!(r.status, StatusCode::OK, "login {email}: {}", r.text);
        let set = r.headers.get(header::SET_COOKIE).expect("a session cookie").to_str().unwrap().to_string();
        set.split(';').next().unwrap().to_string()
    }

    /// A user with these roles, logged in: returns the cookie.
    pub async fn as_role(&self, email: &str, roles: &[Role]) -> String {
        self.user(email, roles, vec![]).await;
        self.login(email).await
    }

    pub async fn call(&self, method: Method, uri: &str, cookie: Option<&str>, json: Option<Value>) -> Reply {
        let mut req = Request::builder().method(method).uri(uri);
        if let Some(c) = cookie {
            if c.starts_with("mut_") {
                req = req.header(header::AUTHORIZATION, format!("Bearer {c}"));
            } else {
                req = req.header(header::COOKIE, c);
            }
        }
        let req = match json {
            Some(v) => req.header(header::CONTENT_TYPE, "application/json").body(Body::from(v.to_string())),
            None => req.body(Body::empty()),
        }
        .unwrap();
        self.send(req).await
    }

    /// Sends a request; a request that gets no answer in 30 s fails the test (naming it)
    /// rather than hanging the suite.
    pub async fn send(&self, req: Request<Body>) -> Reply {
        let what = format!("{} {}", req.method(), req.uri());
        let res = tokio::time::timeout(std::time::Duration::from_secs(30), self.router.clone().oneshot(req))
            .await
            .unwrap_or_else(|_| panic!("no answer to {what} within 30 s"))
            .expect("the router answers");
        let status = res.status();
        let headers = res.headers().clone();
        let bytes = to_bytes(res.into_body(), 16 * 1024 * 1024).await.unwrap();
        let text = String::from_utf8_lossy(&bytes).to_string();
        let body = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
        Reply { status, headers, body, text }
    }

    pub async fn get(&self, uri: &str, cookie: Option<&str>) -> Reply {
        self.call(Method::GET, uri, cookie, None).await
    }

    pub async fn post(&self, uri: &str, cookie: Option<&str>, json: Value) -> Reply {
        self.call(Method::POST, uri, cookie, Some(json)).await
    }
}

impl Reply {
    /// Asserts the JSON error shape and returns its code.
    pub fn error_code(&self) -> &str {
        let code = self.body["error"]["code"].as_str().unwrap_or_else(|| panic!("not an error body: {}", self.text));
        assert!(self.body["error"]["message"].as_str().is_some_and(|m| !m.is_empty()), "error without a message: {}", self.text);
        code
    }
    pub fn error_field(&self) -> Option<&str> {
        self.body["error"]["field"].as_str()
    }
}

/// Shows the server's logs (the causes behind `Internal`) in a failing test's output.
pub fn init_tracing() {
    let _ = tracing_subscriber::fmt().with_test_writer().with_env_filter("warn,server=debug").try_init();
}
