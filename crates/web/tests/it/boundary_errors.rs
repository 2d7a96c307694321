//! What a new user gets when public threat data is not what irnet stores (issue 17, "Clear
//! errors"): text the databases cannot hold is refused naming the object and property on both
//! backends, with nothing stored; JSON that is not JSON says where, a byte order mark is skipped;
//! STIX 2.0 is named as such; a 413 names the limit of its address; every message follows the
//! request's language. And MISP's IDN domains and URLs without a scheme are kept, both forms of a
//! domain found by lookup.

use base64::Engine as _;
use irnet_app::sharing::Count;
use irnet_app::sharing::lookup::LookupResult;
use irnet_app::sharing::stix::ImportSummary;
use irnet_domain::Role;
use irnet_testkit::{Backend, Client, TestApp, both, fields, org_grant, spawn_app};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

const TAXII: &str = "application/taxii+json;version=2.1";
const STIX: &str = "application/stix+json";
const IND: &str = "indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f";
const IND2: &str = "indicator--9e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f";
const BUNDLE: &str = "bundle--1e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f";
const ATTR: &str = "5f1e8a4c-0b6a-4c3e-9d7a-1b2c3d4e5f60";

/// A responder of a new organisation, with a write token (whose profile says Vietnamese, as
/// every new account's does).
async fn responder(app: &TestApp) -> Client {
    let org = app.org("Sở Thông tin và Truyền thông Lạng Sơn").await;
    app.account(
        "ungcuu@langson.test.vn",
        &org,
        vec![org_grant(Role::Responder, &org)],
    )
    .await;
    app.client_of("ungcuu@langson.test.vn").await
}

fn indicator(id: &str, pattern: &str) -> Value {
    json!({
        "type": "indicator", "spec_version": "2.1", "id": id,
        "created": "2024-01-01T00:00:00.000Z", "modified": "2024-01-01T00:00:00.000Z",
        "pattern": pattern, "pattern_type": "stix", "valid_from": "2024-01-01T00:00:00Z"
    })
}

fn bundle(objects: Vec<Value>) -> Value {
    json!({"type": "bundle", "id": BUNDLE, "objects": objects})
}

async fn stored(who: &Client) -> i64 {
    let n: Count = who.get("/api/v1/indicators/count").await.ok();
    n.total
}

/// The problem of a refused import, in English and in Vietnamese (the body sent twice).
async fn refused(
    who: &Client,
    path: &str,
    content_type: &str,
    body: &[u8],
) -> (irnet_testkit::Problem, irnet_testkit::Problem) {
    let en = who
        .lang("en")
        .post_body(path, content_type, body.to_vec())
        .await
        .problem(422);
    let vi = who
        .lang("vi")
        .post_body(path, content_type, body.to_vec())
        .await
        .problem(422);
    (en, vi)
}

/// A TAXII `POST objects/` to the first collection the caller may write, the token as the HTTP
/// Basic password as TAXII clients send it.
async fn taxii_post(who: &Client, lang: &str, body: &[u8]) -> (StatusCode, Value) {
    let basic = base64::engine::general_purpose::STANDARD.encode(format!("any:{}", who.token()));
    let (_, list) = who
        .anonymous()
        .request(Method::GET, "/taxii2/api/collections/")
        .header("authorization", format!("Basic {basic}"))
        .header("accept", TAXII)
        .send()
        .await
        .parts();
    let id = list["collections"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["can_write"] == true)
        .expect("a collection the organisation may write")["id"]
        .as_str()
        .unwrap()
        .to_owned();
    who.anonymous()
        .request(
            Method::POST,
            &format!("/taxii2/api/collections/{id}/objects/"),
        )
        .header("authorization", format!("Basic {basic}"))
        .header("accept", TAXII)
        .header("content-type", TAXII)
        .header("accept-language", lang)
        .body(body.to_vec())
        .send()
        .await
        .parts()
}

#[both]
async fn a_nul_in_an_exchanged_object_is_refused_naming_it_and_nothing_is_stored(backend: Backend) {
    let (app, _db) = spawn_app(backend).await;
    let who = responder(&app).await;

    // STIX: the object by its id, then the property.
    let mut bad = indicator(IND, "[ipv4-addr:value = '198.51.100.7']");
    bad["description"] = json!("Máy chủ điều khiển\u{0}");
    let body = bundle(vec![
        indicator(IND2, "[ipv4-addr:value = '198.51.100.8']"),
        bad,
    ]);
    let (en, vi) = refused(
        &who,
        "/api/v1/stix/import",
        STIX,
        body.to_string().as_bytes(),
    )
    .await;
    let field = format!("objects[{IND}].description");
    assert_eq!(fields(&en), [field.as_str()], "{backend:?}: {en:?}");
    assert_eq!(en.errors[0].code, "nul_character");
    assert!(en.errors[0].message.contains("NUL character"), "{en:?}");
    assert!(vi.errors[0].message.contains("ký tự NUL"), "{vi:?}");

    // MISP: the attribute by its uuid.
    let event = json!({"Event": {"info": "Chiến dịch lừa đảo", "Attribute": [
        {"uuid": ATTR, "type": "domain", "value": "evil.example", "comment": "nguồn\u{0}"}
    ]}});
    let (en, _) = refused(
        &who,
        "/api/v1/misp/import",
        "application/json",
        event.to_string().as_bytes(),
    )
    .await;
    assert_eq!(
        fields(&en),
        [format!("Event.Attribute[{ATTR}].comment").as_str()],
        "{backend:?}: {en:?}"
    );

    // TAXII: refused as TAXII refuses invalid objects (400), naming the object.
    let envelope = json!({"objects": body["objects"]});
    let (status, error) = taxii_post(&who, "en", envelope.to_string().as_bytes()).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{backend:?}: {error}");
    let description = error["description"].as_str().unwrap_or_default();
    assert!(
        description.contains(&field) && description.contains("NUL character"),
        "{backend:?}: {error}"
    );

    // A NUL hidden behind a byte order mark is found as well.
    let with_bom = [&b"\xef\xbb\xbf"[..], body.to_string().as_bytes()].concat();
    let (en, _) = refused(&who, "/api/v1/stix/import", STIX, &with_bom).await;
    assert_eq!(fields(&en), [field.as_str()]);

    // The import page names it the same way.
    let (status, page) = who
        .without_redirects()
        .multipart(
            "/indicators/import",
            &[("format", "stix")],
            "bundle.json",
            "application/json",
            body.to_string().as_bytes(),
        )
        .await
        .page();
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{backend:?}");
    assert!(
        page.contains(&field) && page.contains("ký tự NUL"),
        "{backend:?}: {page}"
    );

    assert_eq!(stored(&who).await, 0, "{backend:?}: nothing stored");
}

#[both]
async fn json_that_is_not_json_says_where_in_the_requests_language(backend: Backend) {
    let (app, _db) = spawn_app(backend).await;
    let who = responder(&app).await;

    let broken = b"{\n  \"type\": \"bundle\",\n  \"objects\": [,]\n}";
    for path in ["/api/v1/stix/import", "/api/v1/misp/import"] {
        let (en, vi) = refused(&who, path, STIX, broken).await;
        assert_eq!(fields(&en), ["body"], "{path}: {en:?}");
        assert_eq!(en.errors[0].code, "json_syntax", "{path}: {en:?}");
        assert_eq!(
            en.errors[0].message, "Not valid JSON: syntax error at line 3, column 15.",
            "{path}"
        );
        assert_eq!(
            vi.errors[0].message, "Không phải JSON hợp lệ: lỗi cú pháp ở dòng 3, cột 15.",
            "{path}"
        );
        // The title of the problem follows the language too.
        assert_ne!(en.title, vi.title);
    }

    let deep = format!("{}{}", "[".repeat(300), "]".repeat(300));
    let (en, vi) = refused(&who, "/api/v1/stix/import", STIX, deep.as_bytes()).await;
    assert_eq!(en.errors[0].code, "json_too_deep", "{en:?}");
    assert!(en.errors[0].message.contains("nests too deep"), "{en:?}");
    assert!(vi.errors[0].message.contains("lồng nhau quá sâu"), "{vi:?}");

    // Half a surrogate pair is no character: refused as such, never stored.
    let lone = br#"{"type": "bundle", "id": "bundle--\ud800"}"#;
    let (en, _) = refused(&who, "/api/v1/stix/import", STIX, lone).await;
    assert_eq!(en.errors[0].code, "json_lone_surrogate", "{en:?}");

    // TAXII says the same, in its own error document.
    let (status, error) = taxii_post(&who, "en", broken).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{error}");
    assert!(
        error["description"]
            .as_str()
            .unwrap_or_default()
            .contains("line 3, column 15"),
        "{error}"
    );

    // A byte order mark before the text is skipped, as most tools do.
    let good = bundle(vec![indicator(IND, "[ipv4-addr:value = '198.51.100.7']")]);
    let with_bom = [&b"\xef\xbb\xbf"[..], good.to_string().as_bytes()].concat();
    let summary: ImportSummary = who
        .post_body("/api/v1/stix/import", STIX, with_bom)
        .await
        .ok();
    assert_eq!(summary.created, 1, "{backend:?}: {summary:?}");
    let event = json!({"Event": {"info": "x", "Attribute": [
        {"type": "ip-dst", "value": "198.51.100.9"}
    ]}});
    let with_bom = [&b"\xef\xbb\xbf"[..], event.to_string().as_bytes()].concat();
    let summary: Value = who
        .post_body("/api/v1/misp/import", "application/json", with_bom)
        .await
        .ok();
    assert_eq!(summary["created"], 1, "{backend:?}: {summary}");
}

#[both]
async fn a_stix_2_0_bundle_is_refused_once_as_such(backend: Backend) {
    let (app, _db) = spawn_app(backend).await;
    let who = responder(&app).await;
    // STIX 2.0: `spec_version` on the bundle, none on the objects, `labels` for the types.
    let mut old = bundle(
        [IND, IND2]
            .iter()
            .map(|id| {
                let mut i = indicator(id, "[ipv4-addr:value = '198.51.100.7']");
                let o = i.as_object_mut().unwrap();
                o.remove("spec_version");
                o.remove("pattern_type");
                o.insert("labels".into(), json!(["malicious-activity"]));
                i
            })
            .collect(),
    );
    old["spec_version"] = json!("2.0");
    let (en, vi) = refused(
        &who,
        "/api/v1/stix/import",
        STIX,
        old.to_string().as_bytes(),
    )
    .await;
    assert_eq!(en.errors.len(), 1, "one error, not two per object: {en:?}");
    assert_eq!(fields(&en), ["spec_version"]);
    assert_eq!(en.errors[0].code, "stix_version_2_0");
    assert!(
        en.errors[0].message.contains("STIX 2.0 is not supported")
            && en.errors[0].message.contains("STIX 2.1"),
        "{en:?}"
    );
    assert!(
        vi.errors[0].message.contains("không hỗ trợ STIX 2.0"),
        "{vi:?}"
    );
    assert_eq!(stored(&who).await, 0);
}

/// Sends only the head of `POST path` declaring a body of `len` bytes, and reads the answer: the
/// limit refuses a declared length before reading any of it. The problem document answered.
async fn declared_too_large(
    app: &TestApp,
    token: &str,
    path: &str,
    len: usize,
    lang: &str,
) -> Value {
    let addr = app.url.trim_start_matches("http://");
    let mut s = tokio::net::TcpStream::connect(addr).await.unwrap();
    let head = format!(
        "POST {path} HTTP/1.1\r\nHost: {addr}\r\nAuthorization: Bearer {token}\r\nAccept-Language: {lang}\r\nContent-Type: application/json\r\nContent-Length: {len}\r\nConnection: close\r\n\r\n"
    );
    s.write_all(head.as_bytes()).await.unwrap();
    let mut answer = Vec::new();
    let _ = s.read_to_end(&mut answer).await;
    let text = String::from_utf8_lossy(&answer);
    assert!(text.starts_with("HTTP/1.1 413"), "{path}: {text}");
    let json = &text[text.find('{').unwrap()..=text.rfind('}').unwrap()];
    serde_json::from_str(json).unwrap()
}

#[both]
async fn a_413_names_the_limit_of_its_address(backend: Backend) {
    let (app, _db) = spawn_app(backend).await;
    let who = responder(&app).await;
    let token = who.token().to_owned();
    let mib = 1024 * 1024;
    for (path, limit) in [
        ("/api/v1/indicators", "2 MiB"),
        ("/api/v1/stix/import", "16 MiB"),
        ("/api/v1/misp/import", "16 MiB"),
        (
            "/api/v1/incidents/0190f1a2-0000-7000-8000-000000000000/attachments",
            "32 MiB",
        ),
    ] {
        let en = declared_too_large(&app, &token, path, 40 * mib, "en").await;
        assert_eq!(en["code"], "payload_too_large");
        assert_eq!(en["title"], "The request body is too large", "{path}");
        assert_eq!(
            en["detail"],
            format!("This address accepts at most {limit}."),
            "{path}"
        );
        let vi = declared_too_large(&app, &token, path, 40 * mib, "vi").await;
        assert_eq!(
            vi["detail"],
            format!("Địa chỉ này nhận nội dung tối đa {limit}."),
            "{path}"
        );
    }
}

#[both]
async fn misp_keeps_idn_domains_and_urls_without_a_scheme_and_lookup_finds_both_forms(
    backend: Backend,
) {
    let (app, _db) = spawn_app(backend).await;
    let who = responder(&app).await;
    let event = json!({"Event": {"info": "Lừa đảo mạo danh VNPT", "Attribute": [
        {"type": "domain", "value": "đăngnhập-vnpt.vn"},
        {"type": "hostname", "value": "例え.jp"},
        {"type": "url", "value": "example.com/path"},
        {"type": "url", "value": "https://đăngnhập-vnpt.vn/login"}
    ]}});
    let summary: Value = who.post_json("/api/v1/misp/import", &event).await.ok();
    assert_eq!(
        summary["events"][0]["skipped"],
        json!([]),
        "{backend:?}: nothing skipped: {summary}"
    );
    assert_eq!(summary["created"], 4, "{backend:?}: {summary}");

    // A STIX pattern naming a domain in Unicode is kept the same way.
    let b = bundle(vec![indicator(
        IND,
        "[domain-name:value = 'bưuđiện-giả.vn']",
    )]);
    let s: ImportSummary = who
        .post_body("/api/v1/stix/import", STIX, b.to_string())
        .await
        .ok();
    assert_eq!(s.created, 1, "{s:?}");

    let (punycode, _) = irnet_domain::net::idn_forms("đăngnhập-vnpt.vn").unwrap();
    let wanted = [
        "đăngnhập-vnpt.vn",
        punycode.as_str(),
        "ĐĂNGNHẬP-VNPT.VN",
        "例え.jp",
        "xn--r8jz45g.jp",
        "example.com/path",
        "https://đăngnhập-vnpt.vn/login",
        "bưuđiện-giả.vn",
    ];
    let text = wanted.join("\n");
    let found: LookupResult = who
        .post_body("/api/v1/indicators/lookup", "text/plain", text)
        .await
        .ok();
    assert!(found.invalid.is_empty(), "{backend:?}: {:?}", found.invalid);
    let lines: Vec<usize> = found.matches.iter().map(|m| m.line).collect();
    for (i, value) in wanted.iter().enumerate() {
        assert!(
            lines.contains(&(i + 1)),
            "{backend:?}: {value} not found: {:?}",
            found.matches
        );
    }
}
