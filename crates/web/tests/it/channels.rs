//! Discussion channels over the demo network on 10/06/2025 (before the mergers, so Bắc Kạn and
//! Cao Bằng are both members of Cluster 1), on both databases: a cluster's channel is for its
//! members and the coordinator, and every channel URL is 404 to anyone else; what Bắc Kạn posts
//! AMBER+STRICT never reaches Cao Bằng — not the list, the unread count, a direct read, a file,
//! the stream, a notification — while its GREEN messages do; mentions notify by mail and refuse
//! people who cannot read; read markers; bad input is refused naming the field, nothing stored;
//! and on PostgreSQL a message (and an alert) committed on one instance reaches a stream on
//! another, and only the readers it may reach.

use irnet_app::channels::{ChannelView, MessageView};
use irnet_app::{Settings, jobs};
use irnet_domain::{Role, TokenScope};
use irnet_testkit::smtp::SmtpSink;
use irnet_testkit::sse::EventStream;
use irnet_testkit::{
    Backend, Client, Reply, TestApp, TestDb, both, fields, org_grant, postgres_only, spawn_with,
    start, test_clock,
};
use irnet_web::api::PageOf;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

/// A small attachment limit, so that "too large" is cheap to send.
const MAX_FILE: usize = 1024 * 1024;

/// A person of the tests: their client (with a write token) and their address.
struct Caller {
    client: Client,
    email: String,
}

impl std::ops::Deref for Caller {
    type Target = Client;

    fn deref(&self) -> &Client {
        &self.client
    }
}

impl Caller {
    /// Posts a message with one file, as a multipart form.
    async fn post_with_file(
        &self,
        channel: &str,
        fields: &[(&str, &str)],
        filename: &str,
        bytes: &[u8],
    ) -> Reply {
        self.multipart(
            &format!("/api/v1/channels/{channel}/messages"),
            fields,
            filename,
            "application/pdf",
            bytes,
        )
        .await
    }

    /// Posts a message as JSON; fails the test unless it is stored. Returns it.
    async fn say(&self, channel: &str, body: Value) -> MessageView {
        self.post_json(&format!("/api/v1/channels/{channel}/messages"), &body)
            .await
            .created()
    }

    /// The ids of the messages this caller reads in a channel, newest first.
    async fn message_ids(&self, channel: &str) -> Vec<String> {
        let page: PageOf<MessageView> = self
            .get(&format!("/api/v1/channels/{channel}/messages?limit=500"))
            .await
            .ok();
        page.items.into_iter().map(|m| m.id).collect()
    }

    /// This caller's unread count in a channel, from the channel list.
    async fn unread(&self, channel: &str) -> i64 {
        let list: Vec<ChannelView> = self.get("/api/v1/channels").await.ok();
        list.iter()
            .find(|c| c.id == channel)
            .map(|c| c.unread)
            .unwrap_or_else(|| panic!("{channel} not listed for {}", self.email))
    }

    async fn channel_ids(&self) -> Vec<String> {
        let list: Vec<ChannelView> = self.get("/api/v1/channels").await.ok();
        list.into_iter().map(|c| c.id).collect()
    }

    async fn stream(&self, channel: &str) -> EventStream {
        EventStream::open(
            &self.url(&format!("/api/v1/channels/{channel}/stream")),
            self.token(),
            None,
        )
        .await
    }

    async fn notifications(&self) -> EventStream {
        EventStream::open(
            &self.url("/api/v1/notifications/stream"),
            self.token(),
            None,
        )
        .await
    }

    /// The same person on another instance.
    fn on(&self, app: &TestApp) -> Caller {
        Caller {
            client: self.client.on(app),
            email: self.email.clone(),
        }
    }
}

fn settings(sink: &SmtpSink) -> Settings {
    Settings {
        attachment_max_bytes: MAX_FILE,
        ..sink.settings()
    }
}

/// The people of the tests: responders of Bắc Kạn, Cao Bằng and of a department outside every
/// cluster (Hà Giang, made for the test), the demo coordinator, the demo Lạng Sơn responder
/// and the administrator (a member of no cluster).
struct People {
    bk: Caller,
    cb: Caller,
    outsider: Caller,
    coordinator: Caller,
    lang_son: Caller,
    admin: Caller,
    cao_bang: String,
    cluster: String,
}

async fn people(app: &TestApp) -> People {
    irnet_app::demo::load(&app.app).await.unwrap();
    app.set_local_time(2025, 6, 10, 9, 0);
    let ha_giang = app.org("Sở Khoa học và Công nghệ tỉnh Hà Giang").await;
    let mut made = Vec::new();
    for (org, email) in [
        (
            app.demo_org("Sở KH&CN Bắc Kạn").await,
            "kenh.backan@test.vn",
        ),
        (
            app.demo_org("Sở KH&CN Cao Bằng").await,
            "kenh.caobang@test.vn",
        ),
        (ha_giang, "kenh.hagiang@test.vn"),
    ] {
        let grant = org_grant(Role::Responder, &org);
        app.account(email, &org, vec![grant]).await;
        made.push(caller(app, email).await);
    }
    let outsider = made.pop().unwrap();
    let cb = made.pop().unwrap();
    let bk = made.pop().unwrap();
    let coordinator = caller(app, "dieuphoi@demo.irnet.vn").await;
    let (_, clusters) = coordinator.get("/api/v1/clusters").await.parts();
    People {
        cao_bang: app.demo_org("Sở KH&CN Cao Bằng").await,
        cluster: clusters[0]["id"].as_str().unwrap().to_owned(),
        bk,
        cb,
        outsider,
        coordinator,
        lang_son: caller(app, "ungcuu.langson@demo.irnet.vn").await,
        admin: caller(app, "admin@demo.irnet.vn").await,
    }
}

async fn caller(app: &TestApp, email: &str) -> Caller {
    Caller {
        client: app.client_of(email).await,
        email: email.to_owned(),
    }
}

async fn instance(backend: Backend, sink: &SmtpSink) -> (TestApp, TestDb) {
    spawn_with(backend, settings(sink)).await
}

#[both]
async fn a_cluster_channel_is_for_its_members_and_the_coordinator_only(backend: Backend) {
    let sink = SmtpSink::start().await;
    let (app, _db) = instance(backend, &sink).await;
    let p = people(&app).await;
    let c = p.cluster.as_str();

    for member in [&p.bk, &p.cb, &p.coordinator, &p.lang_son] {
        let listed = member.channel_ids().await;
        assert_eq!(listed[0], "network", "{}", member.email);
        assert!(listed.contains(&c.to_owned()), "{}", member.email);
    }
    for outsider in [&p.outsider, &p.admin] {
        assert_eq!(outsider.channel_ids().await, vec!["network"]);
    }

    // Bắc Kạn posts with a file; the members and the coordinator read it and the file.
    let pdf = b"%PDF-1.7 bao cao phan tich".to_vec();
    let (status, m) =
        p.bk.post_with_file(
            c,
            &[
                ("body", "Phát hiện dò quét vào cổng thông tin."),
                ("tlp", "GREEN"),
            ],
            "báo cáo.pdf",
            &pdf,
        )
        .await
        .parts();
    assert_eq!(status, StatusCode::CREATED, "{m}");
    let m: MessageView = serde_json::from_value(m).unwrap();
    let mid = m.id.as_str();
    let file = &m.attachments[0];
    assert_eq!(file.content_type, "application/pdf");
    assert_eq!(file.filename, "báo cáo.pdf");
    assert_eq!(file.size, i64::try_from(pdf.len()).unwrap());
    let sha = file.sha256.clone();
    let download = format!(
        "/api/v1/channels/{c}/messages/{mid}/attachments/{}",
        file.id
    );
    for reader in [&p.cb, &p.coordinator, &p.lang_son] {
        assert_eq!(reader.message_ids(c).await, vec![mid.to_owned()]);
        let res = reader.get(&download).await;
        assert_eq!(res.status(), StatusCode::OK);
        assert_eq!(res.headers()["content-type"], "application/pdf");
        let bytes = res.bytes();
        assert_eq!(bytes, pdf.as_slice());
        assert_eq!(
            hex::encode(<sha2::Sha256 as sha2::Digest>::digest(bytes)),
            sha
        );
    }

    // Every channel URL is 404 to an organisation outside the cluster and to the
    // administrator, and so is an unknown channel.
    for outsider in [&p.outsider, &p.admin] {
        for path in [
            format!("/api/v1/channels/{c}"),
            format!("/api/v1/channels/{c}/messages"),
            format!("/api/v1/channels/{c}/messages/{mid}"),
            download.clone(),
        ] {
            let (status, _) = outsider.get(&path).await.parts();
            assert_eq!(status, StatusCode::NOT_FOUND, "{} {path}", outsider.email);
        }
        let res = EventStream::request(
            &app.api(&format!("/api/v1/channels/{c}/stream")),
            outsider.token(),
            None,
        )
        .await;
        assert_eq!(res.status(), StatusCode::NOT_FOUND);
        let (status, _) = outsider
            .post_json(
                &format!("/api/v1/channels/{c}/messages"),
                &json!({"body": "xin chào", "tlp": "GREEN"}),
            )
            .await
            .parts();
        assert_eq!(status, StatusCode::NOT_FOUND);
        let (status, _) = outsider
            .post_json(&format!("/api/v1/channels/{c}/read"), &json!({}))
            .await
            .parts();
        assert_eq!(status, StatusCode::NOT_FOUND);
    }
    let unknown = uuid::Uuid::now_v7().to_string();
    for path in [
        format!("/api/v1/channels/{unknown}"),
        "/api/v1/channels/cluster-1/messages".to_owned(),
    ] {
        let (status, _) = p.bk.get(&path).await.parts();
        assert_eq!(status, StatusCode::NOT_FOUND, "{path}");
    }
    // The message is the cluster's: the network channel does not carry it.
    assert!(p.outsider.message_ids("network").await.is_empty());
    assert_eq!(p.cb.message_ids(c).await.len(), 1);
}

#[both]
async fn amber_strict_of_bac_kan_never_reaches_cao_bang_while_green_does(backend: Backend) {
    let sink = SmtpSink::start().await;
    let (app, _db) = instance(backend, &sink).await;
    let p = people(&app).await;
    let c = p.cluster.as_str();
    let (status, ind) = p
        .bk
        .post_json("/api/v1/indicators", &json!({"observables": [{"kind": "ip", "value": "203.0.113.7"}], "tlp": "AMBER+STRICT", "name": "C2 Bắc Kạn"})).await.parts();
    assert_eq!(status, StatusCode::CREATED, "{ind}");
    let strict_indicator = ind["id"].as_str().unwrap().to_owned();

    let mut cb_live = p.cb.stream(c).await;
    let mut cb_notices = p.cb.notifications().await;
    let cb_unread = p.cb.unread(c).await;

    // AMBER+STRICT, naming no other organisation, about the AMBER+STRICT indicator, with a
    // file and a mention of a colleague-less nobody: Bắc Kạn's alone.
    let (status, strict) =
        p.bk.post_with_file(
            c,
            &[
                ("body", "IP 203.0.113.7 điều khiển mã độc tại Bắc Kạn."),
                ("tlp", "AMBER+STRICT"),
                ("indicators", strict_indicator.as_str()),
            ],
            "pcap.pdf",
            b"%PDF-1.4 noi bo",
        )
        .await
        .parts();
    assert_eq!(status, StatusCode::CREATED, "{strict}");
    assert_eq!(strict["indicators"][0]["id"], strict_indicator.as_str());
    let strict_id = strict["id"].as_str().unwrap().to_owned();
    let strict_file = format!(
        "/api/v1/channels/{c}/messages/{strict_id}/attachments/{}",
        strict["attachments"][0]["id"].as_str().unwrap()
    );

    // GREEN about an AMBER+STRICT indicator: refused naming the TLP, nothing stored.
    let before = p.bk.message_ids(c).await;
    let refused =
        p.bk.post_json(
            &format!("/api/v1/channels/{c}/messages"),
            &json!({"body": "Chia sẻ rộng", "tlp": "GREEN", "indicators": [strict_indicator]}),
        )
        .await
        .problem(422);
    assert_eq!(fields(&refused), vec!["tlp"]);
    assert!(
        serde_json::to_string(&refused)
            .unwrap()
            .contains("AMBER+STRICT"),
        "the message says which level: {refused:?}"
    );
    assert_eq!(p.bk.message_ids(c).await, before);

    // The positive control: a GREEN message is the first thing Cao Bằng's stream carries.
    let green =
        p.bk.say(
            c,
            json!({"body": "Đã chặn IP tại tường lửa.", "tlp": "GREEN"}),
        )
        .await;
    let event = cb_live.next().await;
    assert_eq!(event.event, "message");
    assert_eq!(event.id, green.id);
    assert_eq!(event.data["body"], "Đã chặn IP tại tường lửa.");

    // Nothing else of it reaches Cao Bằng: list, unread count, direct read, file; nor the
    // coordinator, who reads the channel but is not named.
    for outsider in [&p.cb, &p.coordinator, &p.lang_son] {
        let seen = outsider.message_ids(c).await;
        assert!(!seen.contains(&strict_id), "{}", outsider.email);
        assert!(seen.contains(&green.id));
        for path in [
            format!("/api/v1/channels/{c}/messages/{strict_id}"),
            strict_file.clone(),
        ] {
            let (status, _) = outsider.get(&path).await.parts();
            assert_eq!(status, StatusCode::NOT_FOUND, "{path}");
        }
    }
    assert_eq!(p.cb.unread(c).await, cb_unread + 1);
    let (_, page) =
        p.cb.get(&format!("/api/v1/channels/{c}/messages"))
            .await
            .parts();
    assert!(!page.to_string().contains("203.0.113.7"), "{page}");
    assert!(!page.to_string().contains(&strict_indicator), "{page}");
    // Bắc Kạn reads both.
    assert_eq!(p.bk.message_ids(c).await.len(), 2);

    // Naming Cao Bằng opens the message to it, but not the indicator it refers to.
    let named = p
        .bk
        .say(
            c,
            json!({"body": "Cao Bằng lưu ý.", "tlp": "AMBER+STRICT", "orgs": [p.cao_bang], "indicators": [strict_indicator]}),
        )
        .await;
    let event = cb_live.next().await;
    assert_eq!(event.id, named.id);
    assert_eq!(event.data["indicators"], json!([]), "{}", event.data);
    let m: MessageView =
        p.cb.get(&format!("/api/v1/channels/{c}/messages/{}", named.id))
            .await
            .ok();
    assert!(m.indicators.is_empty(), "{:?}", m.indicators);
    assert_eq!(m.tlp, "AMBER+STRICT");
    assert_eq!(m.orgs, vec![p.cao_bang.clone()]);
    assert!(!p.lang_son.message_ids(c).await.contains(&named.id));

    // RED reaches the people named, no one else of the channel.
    let red =
        p.bk.say(
            c,
            json!({"body": "Chỉ anh chị đọc.", "tlp": "RED", "people": [p.cb.email]}),
        )
        .await;
    let event = cb_live.next().await;
    assert_eq!(event.id, red.id);
    assert!(!p.lang_son.message_ids(c).await.contains(&red.id));
    assert!(!p.coordinator.message_ids(c).await.contains(&red.id));

    // Cao Bằng was told nothing of any of it: its first notification is a later mention.
    p.bk.say(
        c,
        json!({"body": "@kenh.caobang@test.vn xem giúp", "tlp": "GREEN"}),
    )
    .await;
    let n = cb_notices.next().await;
    assert_eq!(n.data["kind"], "channel.mentioned", "{}", n.data);
}

#[both]
async fn mentions_notify_readers_by_mail_and_refuse_anyone_else(backend: Backend) {
    let sink = SmtpSink::start().await;
    let (app, _db) = instance(backend, &sink).await;
    let p = people(&app).await;
    let c = p.cluster.as_str();

    let m = p
        .bk
        .say(
            c,
            json!({"body": "@kenh.caobang@test.vn, @ungcuu.langson@demo.irnet.vn kiểm tra nhật ký giúp.", "tlp": "AMBER"}),
        )
        .await;
    assert_eq!(m.mentions.len(), 2, "{m:?}");
    let (_, list) = p.cb.get("/api/v1/notifications").await.parts();
    let item = &list["items"][0];
    assert_eq!(item["kind"], "channel.mentioned");
    assert_eq!(item["link"], format!("/channels/{c}"));
    jobs::run_due(&app.app, "test").await.unwrap();
    let mail = sink.messages();
    let to_cb: Vec<_> = mail
        .iter()
        .filter(|m| m.to == ["kenh.caobang@test.vn"])
        .collect();
    assert_eq!(to_cb.len(), 1, "one mail to Cao Bằng");
    assert!(
        to_cb[0].text().contains(&format!("/channels/{c}")),
        "{}",
        to_cb[0].text()
    );
    assert!(
        mail.iter()
            .any(|m| m.to == ["ungcuu.langson@demo.irnet.vn"])
    );

    // Mentioning someone who could not read the message is refused by the mention, the same
    // for an unknown address, a person outside the channel and one outside an AMBER+STRICT
    // message's organisations; nothing is stored and nobody is told.
    let before = p.bk.message_ids(c).await;
    let mail_before = sink.messages().len();
    for (body, tlp, mention) in [
        (
            "@kenh.caobang@test.vn bí mật",
            "AMBER+STRICT",
            "@kenh.caobang@test.vn",
        ),
        (
            "@kenh.hagiang@test.vn xem",
            "GREEN",
            "@kenh.hagiang@test.vn",
        ),
        ("@khongco@test.vn xem", "GREEN", "@khongco@test.vn"),
    ] {
        let refused =
            p.bk.post_json(
                &format!("/api/v1/channels/{c}/messages"),
                &json!({"body": body, "tlp": tlp}),
            )
            .await
            .problem(422);
        assert_eq!(fields(&refused), vec!["mentions"]);
        assert!(
            serde_json::to_string(&refused).unwrap().contains(mention),
            "{refused:?}"
        );
    }
    assert_eq!(p.bk.message_ids(c).await, before);
    let (_, hg) = p.outsider.get("/api/v1/notifications").await.parts();
    assert!(hg["items"].as_array().unwrap().is_empty(), "{hg}");
    jobs::run_due(&app.app, "test").await.unwrap();
    assert_eq!(sink.messages().len(), mail_before);

    // Read markers: one's own messages are never unread; marking read clears the count,
    // a new message raises it, marking up to a message clears up to it.
    assert_eq!(p.bk.unread(c).await, 0);
    assert_eq!(p.cb.unread(c).await, 1);
    let (status, ch) =
        p.cb.post_json(&format!("/api/v1/channels/{c}/read"), &json!({}))
            .await
            .parts();
    assert_eq!(status, StatusCode::OK, "{ch}");
    assert_eq!(ch["unread"], 0);
    let one = p.bk.say(c, json!({"body": "Một", "tlp": "GREEN"})).await;
    p.bk.say(c, json!({"body": "Hai", "tlp": "GREEN"})).await;
    assert_eq!(p.cb.unread(c).await, 2);
    let (_, ch) =
        p.cb.post_json(
            &format!("/api/v1/channels/{c}/read"),
            &json!({"message_id": one.id}),
        )
        .await
        .parts();
    assert_eq!(ch["unread"], 1);
    assert_eq!(p.lang_son.unread(c).await, 3);
    // A marker never moves back.
    let (_, ch) =
        p.cb.post_json(&format!("/api/v1/channels/{c}/read"), &json!({}))
            .await
            .parts();
    assert_eq!(ch["unread"], 0);
    let (_, ch) =
        p.cb.post_json(
            &format!("/api/v1/channels/{c}/read"),
            &json!({"message_id": one.id}),
        )
        .await
        .parts();
    assert_eq!(ch["unread"], 0);
}

#[both]
async fn bad_input_is_refused_naming_the_field_and_nothing_is_stored(backend: Backend) {
    let sink = SmtpSink::start().await;
    let (app, _db) = instance(backend, &sink).await;
    let p = people(&app).await;
    let c = p.cluster.as_str();
    let path = format!("/api/v1/channels/{c}/messages");
    let ha_giang = p.outsider.channel_ids().await; // only to prove the caller works
    assert_eq!(ha_giang, vec!["network"]);
    let (_, hg_org) = p.outsider.get("/api/v1/me").await.parts();
    for (body, field) in [
        (json!({"body": "   ", "tlp": "GREEN"}), "body"),
        (json!({"body": "x".repeat(10_001), "tlp": "GREEN"}), "body"),
        (json!({"body": "Xin chào", "tlp": "ORANGE"}), "tlp"),
        (
            json!({"body": "Xin chào", "tlp": "AMBER+STRICT", "orgs": [hg_org["org_id"]]}),
            "orgs[0]",
        ),
        (
            json!({"body": "Xin chào", "tlp": "RED", "people": ["kenh.hagiang@test.vn"]}),
            "people[0]",
        ),
        (
            json!({"body": "Xin chào", "tlp": "GREEN", "orgs": [p.cao_bang]}),
            "orgs",
        ),
        (
            json!({"body": "Xin chào", "tlp": "GREEN", "indicators": [uuid::Uuid::now_v7().to_string()]}),
            "indicators[0]",
        ),
    ] {
        let refused = p.bk.post_json(&path, &body).await.problem(422);
        assert_eq!(fields(&refused), vec![field], "{refused:?}");
        assert!(!refused.errors[0].message.is_empty(), "{refused:?}");
    }
    let refused =
        p.bk.post_with_file(
            c,
            &[("body", "Tệp lớn"), ("tlp", "GREEN")],
            "lon.pdf",
            &vec![b'%'; MAX_FILE + 1],
        )
        .await
        .problem(422);
    assert_eq!(fields(&refused), vec!["files[0]"]);
    assert!(
        serde_json::to_string(&refused).unwrap().contains("1 MiB"),
        "{refused:?}"
    );
    let refused =
        p.bk.post_with_file(
            c,
            &[("body", "Tệp rỗng"), ("tlp", "GREEN")],
            "rong.pdf",
            b"",
        )
        .await
        .problem(422);
    assert_eq!(fields(&refused), vec!["files[0]"]);
    // A read-only token reads but does not post.
    let reader = app.token("kenh.caobang@test.vn", TokenScope::Read).await;
    let res = app
        .bearer(&reader)
        .post_json(&path, &json!({"body": "Xin chào", "tlp": "GREEN"}))
        .await;
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    assert!(p.bk.message_ids(c).await.is_empty());
    assert!(p.cb.message_ids(c).await.is_empty());
}

#[both]
async fn alerts_take_files_that_only_their_readers_download(backend: Backend) {
    let sink = SmtpSink::start().await;
    let (app, _db) = instance(backend, &sink).await;
    let p = people(&app).await;
    let (status, draft) = p
        .coordinator
        .post_json(
            "/api/v1/alerts",
            &json!({"title": "Lỗ hổng PAN-OS", "audience": {"orgs": [p.cao_bang]}, "tlp": "AMBER"}),
        )
        .await
        .parts();
    assert_eq!(status, StatusCode::CREATED, "{draft}");
    let id = draft["id"].as_str().unwrap();
    let upload = |bytes: Vec<u8>| {
        let coordinator = p.coordinator.client.clone();
        let path = format!("/api/v1/alerts/{id}/attachments?filename=huong-dan.pdf");
        async move {
            coordinator
                .request(Method::POST, &path)
                .body(bytes)
                .send()
                .await
        }
    };
    let refused = upload(vec![b'%'; MAX_FILE + 1]).await.problem(422);
    assert_eq!(fields(&refused), vec!["file"]);
    let (status, with_file) = upload(b"%PDF-1.7 huong dan".to_vec()).await.parts();
    assert_eq!(status, StatusCode::CREATED, "{with_file}");
    assert_eq!(with_file["attachments"].as_array().unwrap().len(), 1);
    let file = format!(
        "/api/v1/alerts/{id}/attachments/{}",
        with_file["attachments"][0]["id"].as_str().unwrap()
    );
    // A draft's file is the sender's only.
    let (status, _) = p.cb.get(&file).await.parts();
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, sent) = p
        .coordinator
        .post_json(&format!("/api/v1/alerts/{id}/send"), &json!({}))
        .await
        .parts();
    assert_eq!(status, StatusCode::OK, "{sent}");
    let res = p.cb.get(&file).await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(res.bytes(), b"%PDF-1.7 huong dan");
    for outsider in [&p.lang_son, &p.outsider] {
        let (status, _) = outsider.get(&file).await.parts();
        assert_eq!(status, StatusCode::NOT_FOUND, "{}", outsider.email);
    }
    // A sent alert takes no more files.
    let (status, _) = upload(b"%PDF-1.7 sau".to_vec()).await.parts();
    assert_eq!(status, StatusCode::CONFLICT);
}

#[postgres_only]
async fn messages_and_alerts_from_one_instance_reach_streams_on_another(backend: Backend) {
    let sink = SmtpSink::start().await;
    let db = TestDb::new(backend);
    let clock = test_clock();
    let a = start(&db, clock.clone(), settings(&sink)).await;
    let b = start(&db, clock, settings(&sink)).await;
    let p = people(&a).await;
    let c = p.cluster.as_str();
    let (cb_b, outsider_b) = (p.cb.on(&b), p.outsider.on(&b));

    let mut cb_channel = cb_b.stream(c).await;
    let mut cb_notices = cb_b.notifications().await;
    let mut outsider_network = outsider_b.stream("network").await;
    let mut outsider_notices = outsider_b.notifications().await;

    // On A: Bắc Kạn's AMBER+STRICT, then GREEN, in the cluster; the coordinator's alert to the
    // cluster; an AMBER+STRICT on the network channel, then a GREEN one mentioning the outsider.
    p.bk.say(c, json!({"body": "Nội bộ Bắc Kạn", "tlp": "AMBER+STRICT"}))
        .await;
    let green =
        p.bk.say(c, json!({"body": "Cho cả cụm", "tlp": "GREEN"}))
            .await;
    let (status, draft) = p
        .coordinator
        .post_json(
            "/api/v1/alerts",
            &json!({"title": "Cảnh báo PAN-OS", "audience": {"clusters": [c]}}),
        )
        .await
        .parts();
    assert_eq!(status, StatusCode::CREATED, "{draft}");
    let alert = draft["id"].as_str().unwrap();
    let (status, _) = p
        .coordinator
        .post_json(&format!("/api/v1/alerts/{alert}/send"), &json!({}))
        .await
        .parts();
    assert_eq!(status, StatusCode::OK);
    p.bk.say(
        "network",
        json!({"body": "Nội bộ, kênh chung", "tlp": "AMBER+STRICT"}),
    )
    .await;
    let open =
        p.bk.say(
            "network",
            json!({"body": "@kenh.hagiang@test.vn chào đơn vị mới", "tlp": "GREEN"}),
        )
        .await;

    // On B: Cao Bằng's first message is the GREEN one, and the alert reaches it live.
    let e = cb_channel.next().await;
    assert_eq!(e.id, green.id);
    let n = cb_notices.next().await;
    assert_eq!(n.data["kind"], "alert.sent", "{}", n.data);
    assert_eq!(n.data["link"], format!("/alerts/{alert}"));
    // The outsider heard nothing of the cluster, of the alert or of the AMBER+STRICT message:
    // the first thing each of its streams carries is what it may read.
    let e = outsider_network.next().await;
    assert_eq!(e.id, open.id);
    let n = outsider_notices.next().await;
    assert_eq!(n.data["kind"], "channel.mentioned", "{}", n.data);
}

#[both]
async fn the_pages_list_channels_show_messages_and_post_in_both_languages(backend: Backend) {
    let sink = SmtpSink::start().await;
    let (app, _db) = instance(backend, &sink).await;
    let p = people(&app).await;
    let c = p.cluster.as_str();
    p.bk.say(
        c,
        json!({"body": "Tin <b>GREEN</b> cho cụm", "tlp": "GREEN"}),
    )
    .await;
    p.bk.say(
        c,
        json!({"body": "Tin riêng Bắc Kạn", "tlp": "AMBER+STRICT"}),
    )
    .await;

    // Cao Bằng reads in English, Bắc Kạn in Vietnamese (the profile's language decides).
    let (status, _) =
        p.cb.patch_json("/api/v1/me", &json!({"locale": "en"}))
            .await
            .parts();
    assert_eq!(status, StatusCode::OK);
    let (status, html) = app
        .bearer(p.bk.token())
        .lang("vi")
        .get("/channels")
        .await
        .page();
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("Kênh toàn mạng lưới"), "{html}");
    assert!(html.contains(&format!("/channels/{c}")));
    let (status, html) = app
        .bearer(p.cb.token())
        .lang("en")
        .get(&format!("/channels/{c}"))
        .await
        .page();
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("Write a message"));
    assert!(
        html.contains("Tin &#60;b&#62;GREEN&#60;/b&#62; cho cụm"),
        "escaped: {html}"
    );
    assert!(!html.contains("Tin riêng Bắc Kạn"));
    assert!(html.contains("/static/channel.js"));
    let (status, _) = app
        .bearer(p.outsider.token())
        .lang("vi")
        .get(&format!("/channels/{c}"))
        .await
        .page();
    assert_eq!(status, StatusCode::NOT_FOUND);

    // The form posts (multipart, with a file) and comes back to the channel; a refused one
    // shows the page again with the field's message in the reader's language.
    let client = app.plain().with_token(p.cb.token());
    let form = format!("/channels/{c}/messages");
    let with_note = "ghi-chu.txt";
    let res = client
        .multipart(
            &form,
            &[("body", "Từ trang web"), ("tlp", "GREEN")],
            with_note,
            "text/plain",
            b"ghi chu",
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let (_, page) =
        p.bk.get(&format!("/api/v1/channels/{c}/messages"))
            .await
            .parts();
    assert_eq!(page["items"][0]["body"], "Từ trang web");
    assert_eq!(
        page["items"][0]["attachments"][0]["filename"],
        "ghi-chu.txt"
    );
    let res = client
        .lang("en")
        .multipart(
            &form,
            &[("body", "Sai"), ("tlp", "ORANGE")],
            with_note,
            "text/plain",
            b"ghi chu",
        )
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.text().contains("Not a valid TLP marking"));
    let res = client
        .request(Method::POST, &format!("/channels/{c}/read"))
        .send()
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(p.cb.unread(c).await, 0);
    // The script is served from our origin.
    let res = app.client().get("/static/channel.js").await;
    assert_eq!(res.status(), StatusCode::OK);
    assert!(res.text().contains("textContent"));
}
