//! The canary crawl (issue 14's first acceptance check), on both databases: records at every TLP
//! through every pillar, each text field carrying a unique marker; every kind of notification,
//! mail, reminder and statistic triggered; then, as each principal of the matrix, every GET route
//! of the OpenAPI document, every page reachable from the start page and the seeded records, every
//! export and feed (STIX, MISP, TAXII, DOCX, XLSX), the live streams opened before anything was
//! made, the notification list, the mail the SMTP sink received and the audit log are read — and
//! every marker found where the audience table (`canary/oracle.rs`) says that principal may not
//! read it is reported, all at once (principal, route, marker).
//!
//! New pillars add their records to `canary/seed.rs` and their rule to the oracle.

mod crawl;
mod oracle;
mod seed;

use std::collections::BTreeSet;
use std::sync::{Arc, Mutex};
use std::time::Instant;

use irnet_app::Settings;
use irnet_domain::FixedClock;
use irnet_testkit::smtp::SmtpSink;
use irnet_testkit::{Backend, TestApp, TestDb, both, start, test_epoch};
use oracle::{Markers, Who};

/// A principal of the matrix with its write token.
pub(super) struct Person {
    pub who: Who,
    pub email: String,
    pub token: String,
    pub user_id: String,
}

/// What one run found: leaks, and what could not be done or read (printed, not failed on).
#[derive(Default)]
pub(super) struct Findings {
    /// (principal, route, marker)
    pub leaks: BTreeSet<(Who, String, String)>,
    pub notes: BTreeSet<String>,
    /// markers some reader of their audience was shown: a marker nobody saw was not crawled
    pub seen: BTreeSet<usize>,
}

pub(super) type Shared = Arc<Mutex<Findings>>;

pub(super) fn note(findings: &Shared, text: impl Into<String>) {
    findings.lock().unwrap().notes.insert(text.into());
}

/// Records every marker in `text` that `who` may not read.
pub(super) fn check(findings: &Shared, markers: &Markers, who: Who, route: &str, text: &str) {
    let audit = route.contains("audit");
    let mut f = findings.lock().unwrap();
    for i in markers.find(text) {
        let m = &markers.list[i];
        // The audit log may keep naming a record (its action, time and actor stay for the
        // auditor); only its details are under the record's rule.
        let record_id = m.label.starts_with("id of");
        if m.is_id && ((audit && record_id) || route.to_ascii_lowercase().contains(&m.text)) {
            continue;
        }
        if m.readers.contains(&who) {
            f.seen.insert(i);
        } else {
            f.leaks
                .insert((who, route.to_owned(), format!("{} [{}]", m.text, m.label)));
        }
    }
    // A label must not make a record look less restricted than it is (a TLP:GREEN event titled
    // with an AMBER+STRICT alert): each JSON string naming a TLP is checked against its markers.
    let json = text.trim_start().starts_with(['{', '[']);
    for segment in text.split('"').filter(|s| json && s.contains("TLP:")) {
        let Some(label) = segment.rsplit("TLP:").next().and_then(oracle::label_rank) else {
            continue;
        };
        for i in markers.find(segment) {
            let m = &markers.list[i];
            if !m.is_id && m.rank < 5 && label < m.rank {
                f.leaks.insert((
                    who,
                    format!("{route} (relabelled)"),
                    format!(
                        "{} [{}] labelled {}",
                        m.text,
                        m.label,
                        oracle::TLPS[label].0
                    ),
                ));
            }
        }
    }
}

fn settings(sink: &SmtpSink) -> Settings {
    Settings {
        smtp_url: Some(sink.url()),
        mail_from: "irnet <irnet@vncert.vn>".to_owned(),
        public_url: "https://irnet.example.vn".to_owned(),
        ..Settings::default()
    }
}

/// Which of issue 14's findings a leak belongs to, from where it was found.
fn finding_of(who: Who, route: &str, marker: &str) -> &'static str {
    let m = marker.to_ascii_lowercase();
    if route.contains("(number of") {
        return "6 smaller leaks";
    }
    if route.starts_with("write:") {
        return "7 writes and grants";
    }
    if route.contains("(relabelled)") {
        return "5 MISP feed relabels an alert title";
    }
    if route.contains("audit") {
        return "1 audit log";
    }
    if route.contains("statistic") || route.contains("incident-year") {
        return "4 statistics";
    }
    if who == Who::ANoGrant
        || (who == Who::Admin && (m.contains("[inc-") || m.contains("[id of inc")))
    {
        return "7 writes and grants";
    }
    if route.starts_with("mail")
        || route.contains("notification")
        || route.contains("support-requests")
    {
        return "2 notifications and mail";
    }
    if m.contains("inddup") || route.contains("(dedupe)") {
        return "3 indicator de-duplication";
    }
    if route.contains("statistic") || route.contains("incident-year") {
        return "4 statistics";
    }
    if m.contains("[dir-") && who == Who::StaleLead {
        return "4 statistics (lead grant after the lead year)";
    }
    if route.contains("metrics") || (route.contains("indicator") && m.contains("[id of")) {
        return "6 smaller leaks";
    }
    "other (not among the issue's findings)"
}

async fn run(backend: Backend) -> (Shared, Arc<Markers>) {
    let started = Instant::now();
    let sink = SmtpSink::start().await;
    let db = TestDb::new(backend);
    let app: TestApp = start(
        &db,
        Arc::new(FixedClock::new(test_epoch())),
        settings(&sink),
    )
    .await;
    let findings: Shared = Arc::default();
    let mut markers = Markers::new();
    let mut world = seed::world(&app, &findings).await;
    let taps = crawl::open_streams(&app, &world).await;
    seed::all(&app, &mut world, &mut markers, &findings).await;
    seed::sweeps(&app, &world).await;
    eprintln!(
        "{backend:?}: seeded {} markers in {:?}",
        markers.list.len(),
        started.elapsed()
    );
    let markers = Arc::new(markers);
    crawl::drain_streams(&app, &world, taps, &markers, &findings).await;
    crawl::everything(&app, &world, &markers, &findings, &sink).await;
    eprintln!("{backend:?}: crawled in {:?}", started.elapsed());
    drop(app);
    drop(db);
    (findings, markers)
}

#[both(threads = 4)]
async fn no_marker_reaches_anyone_outside_its_audience(backend: Backend) {
    let mut report = String::new();
    let mut failed = false;
    let (findings, markers) = run(backend).await;
    let markers = &markers;
    let f = findings.lock().unwrap();
    report.push_str(&format!(
        "\n===== {backend:?}: {} leaks of {} markers =====\n",
        f.leaks.len(),
        markers.list.len()
    ));
    let mut by_finding: std::collections::BTreeMap<&str, Vec<String>> = Default::default();
    for (who, route, marker) in &f.leaks {
        by_finding
            .entry(finding_of(*who, route, marker))
            .or_default()
            .push(format!("  {} | {route} | {marker}", who.name()));
    }
    for (finding, lines) in &by_finding {
        report.push_str(&format!("--- finding {finding}: {} leaks\n", lines.len()));
        for l in lines {
            report.push_str(l);
            report.push('\n');
        }
    }
    if !f.notes.is_empty() {
        report.push_str(&format!(
            "--- not covered / odd answers ({}):\n",
            f.notes.len()
        ));
        for n in &f.notes {
            report.push_str(&format!("  {n}\n"));
        }
    }
    let unseen: Vec<String> = (0..markers.list.len())
        .filter(|i| !f.seen.contains(i))
        .map(|i| format!("{} [{}]", markers.list[i].text, markers.list[i].label))
        .collect();
    if !unseen.is_empty() {
        report.push_str(&format!(
            "--- markers no reader of their audience was shown (not stored, or not crawled): {}\n",
            unseen.len()
        ));
        for u in &unseen {
            report.push_str(&format!("  {u}\n"));
        }
    }
    failed |= !f.leaks.is_empty() || !unseen.is_empty();
    eprintln!("{report}");
    assert!(
        !failed,
        "markers reached principals outside their audience:{report}"
    );
}
