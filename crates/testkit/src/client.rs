//! One HTTP client for the tests, as the API's clients and a browser use irnet: a [`Client`]
//! carries its credentials (a bearer token, or a session cookie of a signed-in browser) and its
//! language; every call returns a [`Reply`], read as the type the API serves (`ok`, `created`,
//! `expect`), as its [`Problem`] document, or as text or JSON.

use std::fmt;

use reqwest::header::HeaderMap;
use reqwest::{Method, StatusCode};
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;

pub use irnet_web::error::Problem;

use crate::TestApp;

/// A client of one instance: anonymous, with a bearer token, or a browser with a cookie jar.
#[derive(Clone)]
pub struct Client {
    base: String,
    http: reqwest::Client,
    token: Option<String>,
    lang: Option<String>,
}

impl TestApp {
    /// A client without credentials (redirects followed, no cookies), like `curl`.
    pub fn client(&self) -> Client {
        Client::at(&self.url)
    }

    /// A client without credentials or cookies that does not follow redirects: a script, or a
    /// load balancer carrying a cookie header of its own.
    pub fn plain(&self) -> Client {
        self.client().without_redirects()
    }

    /// A client presenting the API token `token`.
    pub fn bearer(&self, token: &str) -> Client {
        self.client().with_token(token)
    }

    /// A browser tab: its own cookie jar, and redirects not followed so that tests see them.
    pub fn browser(&self) -> Client {
        Client {
            http: reqwest::Client::builder()
                .cookie_store(true)
                .redirect(reqwest::redirect::Policy::none())
                .build()
                .unwrap(),
            ..self.client()
        }
    }

    /// Signs in through the sign-in form in a new browser; returns it (holding the session
    /// cookie when the sign-in succeeded) and the form's answer.
    pub async fn sign_in(&self, email: &str, password: &str) -> (Client, Reply) {
        let browser = self.browser();
        let token = browser.form_token("/login").await;
        let reply = browser
            .post_form(
                "/login",
                &[
                    ("csrf_token", token.as_str()),
                    ("email", email),
                    ("password", password),
                    ("next", "/"),
                ],
            )
            .await;
        (browser, reply)
    }
}

impl Client {
    /// A client without credentials of the server at `base` (e.g. `http://127.0.0.1:1234`), for
    /// listeners that are not a [`TestApp`].
    pub fn at(base: &str) -> Client {
        Client {
            base: base.to_owned(),
            http: reqwest::Client::new(),
            token: None,
            lang: None,
        }
    }

    /// The same client presenting `token`.
    pub fn with_token(&self, token: &str) -> Self {
        Self {
            token: Some(token.to_owned()),
            ..self.clone()
        }
    }

    /// The same client asking for `lang` (`Accept-Language`).
    pub fn lang(&self, lang: &str) -> Self {
        Self {
            lang: Some(lang.to_owned()),
            ..self.clone()
        }
    }

    /// The same client without its token (its cookies, if any, stay).
    pub fn anonymous(&self) -> Self {
        Self {
            token: None,
            ..self.clone()
        }
    }

    /// The same client, but one that does not follow redirects, and keeps no cookies: for a
    /// token standing in for a browser's session on pages.
    pub fn without_redirects(&self) -> Self {
        Self {
            http: reqwest::Client::builder()
                .redirect(reqwest::redirect::Policy::none())
                .build()
                .unwrap(),
            ..self.clone()
        }
    }

    /// The same credentials on another instance (of the same deployment).
    pub fn on(&self, app: &TestApp) -> Self {
        Self {
            base: app.url.clone(),
            ..self.clone()
        }
    }

    /// The token this client presents.
    pub fn token(&self) -> &str {
        self.token.as_deref().expect("a client with a token")
    }

    /// The absolute URL of `path`.
    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.base, path)
    }

    /// A request with this client's credentials and language, for what the calls below do not
    /// cover (headers of one's own, raw bodies); `send` it.
    pub fn request(&self, method: Method, path: &str) -> Request {
        let mut req = self.http.request(method, self.url(path));
        if let Some(token) = &self.token {
            req = req.bearer_auth(token);
        }
        if let Some(lang) = &self.lang {
            req = req.header("Accept-Language", lang);
        }
        Request(req)
    }

    /// `method path`, with `body` as JSON when given.
    pub async fn call(&self, method: Method, path: &str, body: Option<Value>) -> Reply {
        let req = self.request(method, path);
        match body {
            Some(body) => req.json(&body).send().await,
            None => req.send().await,
        }
    }

    pub async fn get(&self, path: &str) -> Reply {
        self.request(Method::GET, path).send().await
    }

    pub async fn delete(&self, path: &str) -> Reply {
        self.request(Method::DELETE, path).send().await
    }

    pub async fn post_json<T: Serialize + ?Sized>(&self, path: &str, body: &T) -> Reply {
        self.request(Method::POST, path).json(body).send().await
    }

    pub async fn put_json<T: Serialize + ?Sized>(&self, path: &str, body: &T) -> Reply {
        self.request(Method::PUT, path).json(body).send().await
    }

    pub async fn patch_json<T: Serialize + ?Sized>(&self, path: &str, body: &T) -> Reply {
        self.request(Method::PATCH, path).json(body).send().await
    }

    /// GET `path` answered but not read: for a live stream, read as it comes (see also
    /// [`crate::sse::EventStream`]).
    pub async fn open(&self, path: &str) -> reqwest::Response {
        self.request(Method::GET, path)
            .0
            .send()
            .await
            .expect("irnet answers")
    }

    /// Posts `body` as it is, of `content_type` (a file upload, a CSV import).
    pub async fn post_body(
        &self,
        path: &str,
        content_type: &str,
        body: impl Into<reqwest::Body>,
    ) -> Reply {
        self.request(Method::POST, path)
            .header("content-type", content_type)
            .body(body)
            .send()
            .await
    }

    /// Posts a form (`application/x-www-form-urlencoded`) with exactly these fields.
    pub async fn post_form<T: Serialize + ?Sized>(&self, path: &str, form: &T) -> Reply {
        self.request(Method::POST, path).form(form).send().await
    }

    /// Posts a page's form as the browser does: the form token `csrf` first, then `fields`.
    pub async fn submit(&self, path: &str, csrf: &str, fields: &[(&str, &str)]) -> Reply {
        let mut form = vec![("csrf_token", csrf)];
        form.extend_from_slice(fields);
        self.post_form(path, &form).await
    }

    /// Posts a `multipart/form-data` form as a browser sends a file: the text fields, then the
    /// file as the part `file`.
    pub async fn multipart(
        &self,
        path: &str,
        fields: &[(&str, &str)],
        filename: &str,
        content_type: &str,
        file: &[u8],
    ) -> Reply {
        let (form_type, body) = crate::multipart_body(fields, filename, content_type, file);
        self.request(Method::POST, path)
            .header("content-type", form_type)
            .body(body)
            .send()
            .await
    }

    /// The form token (`csrf_token`) of the page at `path`.
    pub async fn form_token(&self, path: &str) -> String {
        let page = self.get(path).await;
        assert_eq!(page.status, StatusCode::OK, "{page}");
        crate::form_token(&page.text())
    }

    /// The form token of the signed-in session, read from the profile page.
    pub async fn session_token(&self) -> String {
        self.form_token("/profile").await
    }
}

/// A request being made by a [`Client`]: `reqwest`'s builder, whose `send` reads the whole answer.
pub struct Request(reqwest::RequestBuilder);

impl Request {
    pub fn header(self, name: impl AsRef<str>, value: impl AsRef<str>) -> Self {
        Self(self.0.header(name.as_ref(), value.as_ref()))
    }

    pub fn body(self, body: impl Into<reqwest::Body>) -> Self {
        Self(self.0.body(body))
    }

    pub fn json<T: Serialize + ?Sized>(self, body: &T) -> Self {
        Self(self.0.json(body))
    }

    pub fn form<T: Serialize + ?Sized>(self, form: &T) -> Self {
        Self(self.0.form(form))
    }

    pub fn query<T: Serialize + ?Sized>(self, query: &T) -> Self {
        Self(self.0.query(query))
    }

    /// Anything else `reqwest` can do to the request.
    pub fn with(self, f: impl FnOnce(reqwest::RequestBuilder) -> reqwest::RequestBuilder) -> Self {
        Self(f(self.0))
    }

    pub async fn send(self) -> Reply {
        let (client, req) = self.0.build_split();
        let req = req.expect("a well-formed request");
        let what = format!("{} {}", req.method(), req.url().path());
        Reply::read(what, client.execute(req).await.expect("irnet answers")).await
    }
}

/// An answer of irnet, read whole: its status, headers and body (read like a
/// `reqwest::Response`, without awaiting).
pub struct Reply {
    status: StatusCode,
    headers: HeaderMap,
    body: Vec<u8>,
    /// `METHOD /path`, for messages
    what: String,
}

impl Reply {
    async fn read(what: String, res: reqwest::Response) -> Self {
        let status = res.status();
        let headers = res.headers().clone();
        let body = res.bytes().await.expect("a whole answer").to_vec();
        Self {
            status,
            headers,
            body,
            what,
        }
    }

    pub fn status(&self) -> StatusCode {
        self.status
    }

    pub fn headers(&self) -> &HeaderMap {
        &self.headers
    }

    pub fn bytes(&self) -> &[u8] {
        &self.body
    }

    /// The body as text.
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    /// The body as JSON; a body that is not JSON is its text as a JSON string.
    pub fn value(&self) -> Value {
        serde_json::from_slice(&self.body).unwrap_or_else(|_| Value::String(self.text()))
    }

    /// The status and [`Reply::value`], for tests that read several outcomes alike.
    pub fn parts(&self) -> (StatusCode, Value) {
        (self.status, self.value())
    }

    /// The same reply, after checking that its status is a success (2xx).
    pub fn success(self) -> Self {
        assert!(self.status.is_success(), "{self}");
        self
    }

    /// The status and the text, for pages.
    pub fn page(&self) -> (StatusCode, String) {
        (self.status, self.text())
    }

    /// The body read as `T`, whatever the status; fails the test, saying why, if it is not one.
    pub fn json<T: DeserializeOwned>(&self) -> T {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|e| panic!("{self}\nis not a {}: {e}", std::any::type_name::<T>()))
    }

    /// The body as `T`, after checking that the status is `status`.
    pub fn expect<T: DeserializeOwned>(&self, status: u16) -> T {
        assert_eq!(self.status.as_u16(), status, "{self}");
        self.json()
    }

    /// The body of a `200 OK` as `T`.
    pub fn ok<T: DeserializeOwned>(&self) -> T {
        self.expect(200)
    }

    /// The body of a `201 Created` as `T`.
    pub fn created<T: DeserializeOwned>(&self) -> T {
        self.expect(201)
    }

    /// The problem document of a refusal with `status`.
    pub fn problem(&self, status: u16) -> Problem {
        self.expect(status)
    }
}

impl fmt::Display for Reply {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} → {}: {}", self.what, self.status, self.text())
    }
}

impl fmt::Debug for Reply {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

/// The fields a problem document names, in order.
pub fn fields(problem: &Problem) -> Vec<&str> {
    problem.errors.iter().map(|e| e.field.as_str()).collect()
}
