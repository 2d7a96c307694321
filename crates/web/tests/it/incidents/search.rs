//! Incident search on a network large enough for common words: a member's search must answer
//! exactly what its list holds, filtered by the words, newest first, page after page — whether a
//! word is common (the member's incidents are walked) or rare (its indexed incidents are read).
//! The expected answer is computed here from the member's full list and each incident's words.

use irnet_domain::ids::IncidentId;
use std::collections::BTreeMap;

use irnet_app::Actor;
use irnet_domain::search::words;
use irnet_domain::{Role, TokenScope};
use irnet_testkit::{Backend, TestApp, both, org_grant, spawn_app};
use serde_json::{Value, json};

/// Incidents seeded: the busiest of three members gets well over the 1,000 index entries that
/// make a word common.
const INCIDENTS: usize = 4_000;

/// Every page of `path` (which ends with a query string), newest first: the items.
async fn all_pages(app: &TestApp, token: &str, path: &str, limit: usize) -> Vec<Value> {
    let mut ids = Vec::new();
    let mut cursor: Option<String> = None;
    loop {
        let mut url = format!("{path}&limit={limit}");
        if let Some(c) = &cursor {
            url.push_str(&format!("&cursor={c}"));
        }
        let page = app.bearer(token).get(&url).await.ok::<Value>();
        ids.extend(page["items"].as_array().unwrap().iter().cloned());
        match page["next_cursor"].as_str() {
            Some(c) => cursor = Some(c.to_owned()),
            None => return ids,
        }
    }
}

/// Each incident's searchable words: number, title, summary and observables, folded.
async fn words_of(app: &TestApp, ids: &[String]) -> BTreeMap<String, Vec<String>> {
    let ids = ids.to_vec();
    app.app
        .store
        .read(move |c| {
            let mut out = BTreeMap::new();
            for id in ids {
                let id = IncidentId::from_trusted(id);
                let r = irnet_store::incidents::get(c, &id)?.unwrap();
                let mut w: Vec<String> =
                    [r.number.as_deref(), Some(&r.title), r.summary.as_deref()]
                        .into_iter()
                        .flatten()
                        .flat_map(words)
                        .collect();
                for o in irnet_store::incidents::parts::observables(c, &id)? {
                    w.extend(words(&o.value));
                }
                out.insert(id.to_string(), w);
            }
            Ok::<_, irnet_app::AppError>(out)
        })
        .await
        .unwrap()
}

fn expected(
    listed: &[String],
    words_by_id: &BTreeMap<String, Vec<String>>,
    q: &str,
) -> Vec<String> {
    let query = words(q);
    listed
        .iter()
        .filter(|id| {
            query
                .iter()
                .all(|w| words_by_id[*id].iter().any(|t| t.starts_with(w.as_str())))
        })
        .cloned()
        .collect()
}

#[both]
async fn a_members_search_is_its_list_filtered_by_the_words_for_common_and_rare_words(
    backend: Backend,
) {
    let (app, _db) = spawn_app(backend).await;
    let seeded =
        irnet_app::incidents::synthetic::seed(&app.app, &Actor::operator(), 3, INCIDENTS, |_| {})
            .await
            .unwrap();
    let member = seeded.member_org.clone();
    app.account(
        "ungcuu@search.test.vn",
        &member,
        vec![org_grant(Role::Responder, &member)],
    )
    .await;
    let token = app.token("ungcuu@search.test.vn", TokenScope::Write).await;

    let items = all_pages(&app, &token, "/api/v1/incidents?", 200).await;
    let listed: Vec<String> = items
        .iter()
        .map(|i| i["id"].as_str().unwrap().to_owned())
        .collect();
    assert!(
        listed.len() >= 1_500,
        "{backend:?}: {} listed",
        listed.len()
    );
    let by_id = words_of(&app, &listed).await;

    // The words by how many of the member's incidents have one starting with them.
    let mut freq: BTreeMap<String, usize> = BTreeMap::new();
    for ws in by_id.values() {
        let mut seen: Vec<&str> = ws.iter().map(String::as_str).collect();
        seen.sort_unstable();
        seen.dedup();
        for w in seen {
            *freq.entry(w.to_owned()).or_default() += 1;
        }
    }
    let common = freq
        .iter()
        .find(|(w, n)| **n >= 1_200 && w.len() >= 2 && w.chars().all(|c| c.is_ascii_lowercase()))
        .map(|(w, _)| w.clone())
        .expect("a common word");
    let rare = freq
        .iter()
        .find(|(w, n)| {
            (60..400).contains(*n) && w.len() >= 3 && w.chars().all(|c| c.is_ascii_lowercase())
        })
        .map(|(w, _)| w.clone())
        .expect("a rare word");

    // Three open incidents without the common word, spread over the list, get it in an
    // observable's value: a walk must find them by their observables too.
    let lacking: Vec<String> = items
        .iter()
        .filter(|i| i["status"] != "closed")
        .map(|i| i["id"].as_str().unwrap().to_owned())
        .filter(|id| !by_id[id].iter().any(|t| t.starts_with(common.as_str())))
        .step_by(37)
        .take(3)
        .collect();
    assert_eq!(
        lacking.len(),
        3,
        "{backend:?}: open incidents without {common:?}"
    );
    for id in &lacking {
        let res = app.bearer(&token).post_json(&format!("/api/v1/incidents/{id}/observables"), &json!({"kind": "domain", "value": format!("{common}x-dieukhien.example.vn"), "is_indicator": false})).await;
        let s = res.status();
        assert!(s.is_success(), "{backend:?}: {s} {}", res.text());
    }
    let by_id = words_of(&app, &listed).await;
    let found = expected(&listed, &by_id, &common);
    assert!(
        lacking.iter().all(|id| found.contains(id)),
        "the observables count"
    );

    let queries = [
        common.clone(),
        rare.clone(),
        format!("{common} {rare}"),
        "ma doc".to_owned(),
        "mã độc tống tiền".to_owned(),
        "MÁY CHỦ".to_owned(),
        format!("{common}x dieukhien"),
        "tan cong 2024".to_owned(),
        "zzzkhongco".to_owned(),
    ];
    for q in &queries {
        assert_search(&app, &token, &listed, &by_id, q, backend).await;
    }

    // A burst of newer incidents without the common word (a member that just filed many of
    // another kind): the walk gives up after its budget and the index finds the rest.
    let newest = listed[0].clone();
    app.app
        .store
        .write(move |c| {
            let model = irnet_store::incidents::get(c, &IncidentId::from_trusted(newest))?.unwrap();
            let burst: Vec<_> = (0..2_100)
                .map(|i| irnet_store::incidents::IncidentRow {
                    // after every v7 id, so newest of all
                    id: IncidentId::from_trusted(format!("zz-burst-{i:05}")),
                    number: None,
                    title: format!("Sự cố thử nghiệm số {i}"),
                    summary: None,
                    ..model.clone()
                })
                .collect();
            irnet_store::incidents::insert_many(c, &burst)?;
            Ok::<_, irnet_app::AppError>(())
        })
        .await
        .unwrap();
    let listed: Vec<String> = all_pages(&app, &token, "/api/v1/incidents?", 200)
        .await
        .iter()
        .map(|i| i["id"].as_str().unwrap().to_owned())
        .collect();
    assert!(listed[0].starts_with("zz-burst-"), "{backend:?}");
    let by_id = words_of(&app, &listed).await;
    for q in [common.clone(), format!("{common} {rare}")] {
        assert_search(&app, &token, &listed, &by_id, &q, backend).await;
    }

    // An outsider's search of the same words finds none of them.
    let elsewhere = app.org("Sở KH&CN Tỉnh Khác").await;
    let outsider = app
        .account(
            "ungcuu@khac.test.vn",
            &elsewhere,
            vec![org_grant(Role::Responder, &elsewhere)],
        )
        .await;
    let other = app.token(&outsider.email, TokenScope::Read).await;
    for q in [&common, &rare] {
        let page = app.bearer(&other).get(&search_path(q)).await.ok::<Value>();
        assert_eq!(page["items"], json!([]), "{backend:?}: {q}");
    }
}

/// Every page of the search for `q` holds what the member's list holds with those words,
/// newest first.
async fn assert_search(
    app: &TestApp,
    token: &str,
    listed: &[String],
    by_id: &BTreeMap<String, Vec<String>>,
    q: &str,
    backend: Backend,
) {
    let want = expected(listed, by_id, q);
    let got: Vec<String> = all_pages(app, token, &search_path(q), 50)
        .await
        .iter()
        .map(|i| i["id"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(
        got.len(),
        want.len(),
        "{backend:?}: {q:?} found {} of {}",
        got.len(),
        want.len()
    );
    assert_eq!(
        got, want,
        "{backend:?}: {q:?}, newest first, page after page"
    );
}

/// `/api/v1/incidents?q=…`, the words URL-encoded.
fn search_path(q: &str) -> String {
    let url =
        reqwest::Url::parse_with_params("http://irnet/api/v1/incidents", &[("q", q)]).unwrap();
    format!("{}?{}", url.path(), url.query().unwrap_or_default())
}
