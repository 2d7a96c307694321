//! Text the databases cannot store is refused where it enters. PostgreSQL text cannot hold U+0000
//! (SQLite can): a NUL in a path id, a query parameter or a JSON text field must be a 422 naming
//! the field on both backends, never a 500 — walked over every operation of the OpenAPI document.
//! And a body over the limit is a 413 whether or not it declares its length.

use irnet_domain::{Grant, Role, Scope};
use irnet_testkit::{Backend, Client, Problem, TestApp, both, fields, form_token, spawn_app};
use reqwest::{Method, StatusCode};
use serde_json::{Map, Value, json};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

const NUL: &str = "a\u{0}b";

/// An admin with a write token: every route is open to it, so a refusal is the input's.
async fn admin(app: &TestApp) -> Client {
    let org = app.org("Trung tâm Giám sát an toàn không gian mạng").await;
    app.account(
        "quantri@irnet.vn",
        &org,
        vec![Grant::new(Role::Admin, Scope::Network).unwrap()],
    )
    .await;
    app.client_of("quantri@irnet.vn").await
}

/// The schema `s` points to, following `$ref` into the document's components.
fn resolve<'a>(doc: &'a Value, s: &'a Value) -> &'a Value {
    match s["$ref"].as_str() {
        Some(r) => {
            let name = r.rsplit('/').next().unwrap();
            resolve(doc, &doc["components"]["schemas"][name])
        }
        None => s,
    }
}

fn is_type(s: &Value, t: &str) -> bool {
    s["type"] == t
        || s["type"]
            .as_array()
            .is_some_and(|a| a.iter().any(|x| x == t))
}

/// Every text field of a request body schema, as a body carrying the NUL there and the name a
/// refusal must give it (`title`, `observables[0].value`).
fn text_fields(
    doc: &Value,
    schema: &Value,
    at: &str,
    depth: usize,
    out: &mut Vec<(Value, String)>,
) {
    let s = resolve(doc, schema);
    if depth > 4 {
        return;
    }
    for alternative in ["allOf", "oneOf", "anyOf"] {
        for part in s[alternative].as_array().into_iter().flatten() {
            text_fields(doc, part, at, depth + 1, out);
        }
    }
    if is_type(s, "string") {
        out.push((
            json!(NUL),
            if at.is_empty() {
                "body".into()
            } else {
                at.into()
            },
        ));
    }
    if is_type(s, "array") {
        let mut inner = vec![];
        text_fields(doc, &s["items"], &format!("{at}[0]"), depth + 1, &mut inner);
        out.extend(inner.into_iter().map(|(v, f)| (json!([v]), f)));
    }
    if let Some(props) = s["properties"].as_object() {
        for (name, prop) in props {
            let here = if at.is_empty() {
                name.clone()
            } else {
                format!("{at}.{name}")
            };
            let mut inner = vec![];
            text_fields(doc, prop, &here, depth + 1, &mut inner);
            out.extend(inner.into_iter().map(|(v, f)| {
                let mut m = Map::new();
                m.insert(name.clone(), v);
                (Value::Object(m), f)
            }));
        }
    }
}

/// The path with every parameter filled, `nul_in` with a NUL.
fn fill(template: &str, nul_in: Option<&str>) -> String {
    let mut out = String::new();
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        let close = rest[open..].find('}').unwrap() + open;
        out.push_str(&rest[..open]);
        let name = &rest[open + 1..close];
        out.push_str(if Some(name) == nul_in {
            "a%00b"
        } else {
            "0190f1a2-0000-7000-8000-000000000000"
        });
        rest = &rest[close + 1..];
    }
    out.push_str(rest);
    out
}

struct Call {
    method: Method,
    path: String,
    body: Option<Value>,
    /// the field the refusal must name
    field: String,
    /// a path id: 422 (naming it) or 404 only
    strict: bool,
}

/// What the walk sends: each path parameter, each query parameter and each text field of the
/// JSON body of each operation, with a NUL.
fn calls(doc: &Value) -> Vec<Call> {
    let mut out = vec![];
    for (template, item) in doc["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            let Ok(method) = method.to_uppercase().parse::<Method>() else {
                continue;
            };
            let writes = method != Method::GET && method != Method::DELETE;
            let empty_body = writes.then(|| json!({}));
            let params: Vec<&Value> = item["parameters"]
                .as_array()
                .into_iter()
                .chain(op["parameters"].as_array())
                .flatten()
                .collect();
            for p in &params {
                let name = p["name"].as_str().unwrap();
                match p["in"].as_str() {
                    Some("path") => out.push(Call {
                        method: method.clone(),
                        path: fill(template, Some(name)),
                        body: empty_body.clone(),
                        field: name.to_owned(),
                        strict: true,
                    }),
                    Some("query") => out.push(Call {
                        method: method.clone(),
                        path: format!("{}?{name}=a%00b", fill(template, None)),
                        body: empty_body.clone(),
                        field: name.to_owned(),
                        strict: false,
                    }),
                    _ => {}
                }
            }
            let schema = &op["requestBody"]["content"]["application/json"]["schema"];
            if !schema.is_null() {
                let mut fields = vec![];
                text_fields(doc, schema, "", 0, &mut fields);
                for (body, field) in fields {
                    out.push(Call {
                        method: method.clone(),
                        path: fill(template, None),
                        body: Some(body),
                        field,
                        strict: false,
                    });
                }
            }
        }
    }
    out
}

#[both]
async fn a_nul_anywhere_in_any_operation_is_a_422_naming_the_field(backend: Backend) {
    let (app, _db) = spawn_app(backend).await;
    let admin = admin(&app).await.lang("en");
    let (_, doc) = app.client().get("/api/openapi.json").await.parts();
    let calls = calls(&doc);
    assert!(
        calls.len() > 200,
        "the walk covers the API: {}",
        calls.len()
    );
    let (mut refused, mut failures) = (0, vec![]);
    for c in &calls {
        let reply = admin.call(c.method.clone(), &c.path, c.body.clone()).await;
        let status = reply.status();
        let named = status == StatusCode::UNPROCESSABLE_ENTITY && {
            let p: Problem = reply.json();
            fields(&p).contains(&c.field.as_str())
                && p.errors
                    .iter()
                    .any(|e| e.code == "nul_character" && e.message.contains("NUL"))
        };
        let earlier = [404, 405].contains(&status.as_u16())
            || (!c.strict && [401, 403].contains(&status.as_u16()));
        if named {
            refused += 1;
        } else if !earlier {
            failures.push(format!(
                "{} {} [{}] -> {status} {}",
                c.method,
                c.path,
                c.field,
                reply.text()
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{backend:?}: {} of {} calls were not refused naming the field:\n{}",
        failures.len(),
        calls.len(),
        failures.join("\n")
    );
    // Refused at the boundary, not found missing further in.
    assert!(
        refused * 10 >= calls.len() * 9,
        "{backend:?}: {refused} of {}",
        calls.len()
    );
}

#[both]
async fn the_refusal_is_in_the_users_language_and_stores_nothing(backend: Backend) {
    let (app, _db) = spawn_app(backend).await;
    let admin = admin(&app).await;
    let body = admin
        .post_json(
            "/api/v1/organisations",
            &json!({"name_vi": "Sở Tài chính\u{0}", "kind": "provincial_department"}),
        )
        .await
        .problem(422);
    assert_eq!(fields(&body), ["name_vi"]);
    let vi = admin
        .lang("vi")
        .get("/api/v1/organisations?q=T%C3%A0i%00")
        .await
        .problem(422);
    assert_eq!(fields(&vi), ["q"]);
    assert!(vi.errors[0].message.contains("ký tự NUL"), "{vi:?}");
    let (_, orgs) = admin.get("/api/v1/organisations?q=Tài").await.parts();
    assert!(
        !orgs.to_string().contains("Sở Tài chính"),
        "nothing stored: {orgs}"
    );
}

#[both]
async fn the_sign_in_form_with_a_nul_in_the_email_is_refused_naming_it(backend: Backend) {
    let (app, _db) = spawn_app(backend).await;
    let browser = app.browser();
    let page = browser.get("/login").await.text();
    let csrf = form_token(&page);
    let res = browser
        .request(Method::POST, "/login")
        .header("accept-language", "en")
        .form(&[
            ("csrf_token", csrf.as_str()),
            ("email", "quantri\u{0}@irnet.vn"),
            ("password", "whatever it is"),
        ])
        .send()
        .await;
    assert_eq!(res.status(), 422, "{backend:?}");
    let html = res.text();
    assert!(
        html.contains("<code>email</code>") && html.contains("NUL"),
        "{html}"
    );
    // The API's sign-in and a multipart field are checked the same way.
    let (content_type, body) = irnet_testkit::multipart_body(&[("body", NUL)], "", "", b"");
    let admin = admin(&app).await;
    let problem = admin
        .request(
            Method::POST,
            "/api/v1/channels/0190f1a2-0000-7000-8000-000000000000/messages",
        )
        .header("content-type", content_type)
        .body(body)
        .send()
        .await
        .problem(422);
    assert_eq!(fields(&problem), ["body"]);
}

/// Sends `POST path` with a JSON-typed body of `len` bytes, chunked (no Content-Length) or not, on
/// a raw connection; the status the server answers.
async fn post_large(app: &TestApp, token: &str, path: &str, len: usize, chunked: bool) -> u16 {
    let addr = app.url.trim_start_matches("http://");
    let mut s = tokio::net::TcpStream::connect(addr).await.unwrap();
    let framing = if chunked {
        "Transfer-Encoding: chunked".to_owned()
    } else {
        format!("Content-Length: {len}")
    };
    let head = format!(
        "POST {path} HTTP/1.1\r\nHost: {addr}\r\nAuthorization: Bearer {token}\r\nContent-Type: application/json\r\n{framing}\r\nConnection: close\r\n\r\n"
    );
    s.write_all(head.as_bytes()).await.unwrap();
    let chunk = vec![b' '; 64 * 1024];
    let mut sent = 0;
    // The server may answer and close before all is sent: a failed write ends the sending.
    while sent < len {
        let n = chunk.len().min(len - sent);
        let ok = if chunked {
            let framed = [format!("{n:x}\r\n").as_bytes(), &chunk[..n], b"\r\n"].concat();
            s.write_all(&framed).await.is_ok()
        } else {
            s.write_all(&chunk[..n]).await.is_ok()
        };
        if !ok {
            break;
        }
        sent += n;
    }
    if chunked {
        let _ = s.write_all(b"0\r\n\r\n").await;
    }
    let mut answer = Vec::new();
    let _ = s.read_to_end(&mut answer).await;
    let text = String::from_utf8_lossy(&answer);
    text.split(' ')
        .nth(1)
        .and_then(|c| c.parse().ok())
        .unwrap_or(0)
}

#[both]
async fn a_body_over_the_limit_is_a_413_however_it_is_sent(backend: Backend) {
    let (app, _db) = spawn_app(backend).await;
    let admin = admin(&app).await;
    let token = admin.token();
    let over = irnet_web::limits::BODY_LIMIT + 1;
    for chunked in [false, true] {
        assert_eq!(
            post_large(&app, token, "/api/v1/organisations", over, chunked).await,
            413,
            "chunked: {chunked}"
        );
    }
    // Under the limit, the same body is an ordinary validation failure.
    assert_eq!(
        post_large(&app, token, "/api/v1/organisations", 1024, true).await,
        422
    );
}

#[both]
async fn a_nul_in_an_imported_cell_is_a_problem_of_its_row_and_column(backend: Backend) {
    let (app, _db) = spawn_app(backend).await;
    let admin = admin(&app).await;
    let csv =
        "name_vi,kind\nSở Tài chính,provincial_department\nSở Y\u{0}tế,provincial_department\n";
    let (status, report) = admin
        .request(Method::POST, "/api/v1/organisations/import")
        .header("content-type", "text/csv")
        .body(csv)
        .send()
        .await
        .parts();
    // All or nothing: the problem names the row and the column, and no row is stored.
    assert_eq!(status, 422, "{backend:?}: {report}");
    assert!(
        report["errors"]
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e["field"] == "row 3 / name_vi" && e["code"] == "nul_character"),
        "{backend:?}: {report}"
    );
    let (_, orgs) = admin
        .get("/api/v1/organisations?q=T%C3%A0i%20ch%C3%ADnh")
        .await
        .parts();
    assert!(!orgs.to_string().contains("Sở Tài chính"), "{orgs}");
}
