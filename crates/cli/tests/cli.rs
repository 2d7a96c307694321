//! The operator's commands, run as the real binary: first run, accounts, tokens, audit verify,
//! the configuration's layers.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // a failed unwrap in a test is a failed assertion

use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use diesel::{Connection, RunQueryDsl, SqliteConnection};

const BIN: &str = env!("CARGO_BIN_EXE_irnet");

fn irnet(dir: &Path, args: &[&str], stdin: Option<&str>) -> std::process::Output {
    irnet_with_env(dir, args, &[], stdin)
}

/// Runs `irnet` in `dir` with only the given `IRNET_*` settings in its environment.
fn irnet_with_env(
    dir: &Path,
    args: &[&str],
    env: &[(&str, &str)],
    stdin: Option<&str>,
) -> std::process::Output {
    let mut cmd = Command::new(BIN);
    cmd.current_dir(dir)
        .args(args)
        .env_remove("IRNET_DATABASE_URL")
        .env_remove("IRNET_DATA_DIR")
        .envs(env.iter().copied());
    cmd.stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = cmd.spawn().unwrap();
    if let Some(input) = stdin {
        child
            .stdin
            .take()
            .unwrap()
            .write_all(input.as_bytes())
            .unwrap();
    }
    child.wait_with_output().unwrap()
}

struct Server(Child, String);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Starts `irnet serve` in `dir` with no data-dir flag and waits for the line that gives its URL.
fn serve(dir: &Path) -> Server {
    let mut child = Command::new(BIN)
        .current_dir(dir)
        .args(["serve", "--listen", "127.0.0.1:0"])
        .env_remove("IRNET_DATABASE_URL")
        .env_remove("IRNET_DATA_DIR")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            let _ = tx.send(line);
        }
    });
    let deadline = Instant::now() + Duration::from_secs(30);
    let mut seen = Vec::new();
    while Instant::now() < deadline {
        if let Ok(line) = rx.recv_timeout(Duration::from_millis(200)) {
            if let Some(url) = line.split_whitespace().find(|w| w.starts_with("http://")) {
                return Server(child, url.to_owned());
            }
            seen.push(line);
        }
    }
    let _ = child.kill();
    let _ = child.wait();
    panic!("irnet serve printed no URL within 30 s: {seen:?}");
}

fn tempdir() -> std::path::PathBuf {
    let d = std::env::temp_dir().join(format!(
        "irnet-cli-{}-{}",
        std::process::id(),
        rand_suffix()
    ));
    std::fs::create_dir_all(&d).unwrap();
    d
}

fn rand_suffix() -> u128 {
    std::time::SystemTime::UNIX_EPOCH
        .elapsed()
        .map(|d| d.as_nanos())
        .unwrap_or(0)
}

#[tokio::test]
async fn first_run_an_admin_and_a_token_work_end_to_end() {
    let dir = tempdir();
    let server = serve(&dir);
    assert!(
        dir.join("irnet-data/irnet.db").exists(),
        "no SQLite database under ./irnet-data"
    );
    let health = reqwest::get(format!("{}/healthz", server.1)).await.unwrap();
    assert_eq!(health.status(), 200);

    let out = irnet(
        &dir,
        &[
            "user",
            "create",
            "--email",
            "admin@vncert.vn",
            "--org",
            "VNCERT/CC",
            "--name",
            "Quản trị",
            "--admin",
            "--password-stdin",
        ],
        Some("correct horse battery staple\n"),
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let out = irnet(
        &dir,
        &[
            "token",
            "create",
            "--email",
            "admin@vncert.vn",
            "--expires",
            "30d",
        ],
        None,
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let token = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .last()
        .unwrap()
        .trim()
        .to_owned();
    assert!(token.starts_with("irnet_"));

    let me: serde_json::Value = reqwest::Client::new()
        .get(format!("{}/api/v1/me", server.1))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(me["email"], "admin@vncert.vn");
    assert_eq!(me["roles"][0]["role"], "admin");

    let bad = irnet(
        &dir,
        &[
            "user",
            "create",
            "--email",
            "x@vncert.vn",
            "--org",
            "VNCERT/CC",
            "--password-stdin",
        ],
        Some("short\n"),
    );
    assert!(!bad.status.success());
    assert!(
        String::from_utf8_lossy(&bad.stderr).contains("password"),
        "{}",
        String::from_utf8_lossy(&bad.stderr)
    );
    drop(server);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn audit_verify_passes_on_an_intact_log_and_names_an_edited_entry() {
    let dir = tempdir();
    let out = irnet(
        &dir,
        &[
            "user",
            "create",
            "--email",
            "a@vncert.vn",
            "--org",
            "VNCERT/CC",
            "--admin",
            "--password-stdin",
        ],
        Some("correct horse battery staple\n"),
    );
    assert!(out.status.success());
    let ok = irnet(&dir, &["audit", "verify"], None);
    assert!(
        ok.status.success(),
        "{}",
        String::from_utf8_lossy(&ok.stderr)
    );
    assert!(String::from_utf8_lossy(&ok.stdout).contains("intact"));

    let mut db =
        SqliteConnection::establish(dir.join("irnet-data/irnet.db").to_str().unwrap()).unwrap();
    #[derive(diesel::QueryableByName)]
    struct Entry {
        #[diesel(sql_type = diesel::sql_types::Text)]
        id: String,
    }
    let first: Vec<Entry> = diesel::sql_query("SELECT id FROM audit_log ORDER BY seq LIMIT 1")
        .load(&mut db)
        .unwrap();
    diesel::sql_query("UPDATE audit_log SET actor = 'someone else' WHERE id = ?")
        .bind::<diesel::sql_types::Text, _>(&first[0].id)
        .execute(&mut db)
        .unwrap();
    let broken = irnet(&dir, &["audit", "verify"], None);
    assert!(!broken.status.success());
    let err = String::from_utf8_lossy(&broken.stderr);
    assert!(
        err.contains(&first[0].id) && err.contains("BROKEN"),
        "{err}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn audit_verify_names_an_emptied_log_from_its_checkpoint_and_keeps_the_key_private() {
    let dir = tempdir();
    let out = irnet(
        &dir,
        &[
            "user",
            "create",
            "--email",
            "a@vncert.vn",
            "--org",
            "VNCERT/CC",
            "--admin",
            "--password-stdin",
        ],
        Some("correct horse battery staple\n"),
    );
    assert!(out.status.success());
    let key = dir.join("irnet-data/audit.key");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&key).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600, "the audit key is the owner's alone");
    }
    // An intact verify leaves a checkpoint behind.
    let ok = irnet(&dir, &["audit", "verify"], None);
    assert!(
        ok.status.success(),
        "{}",
        String::from_utf8_lossy(&ok.stderr)
    );
    assert!(
        std::fs::read_dir(dir.join("irnet-data/audit-checkpoints"))
            .unwrap()
            .count()
            > 0
    );
    let mut db =
        SqliteConnection::establish(dir.join("irnet-data/irnet.db").to_str().unwrap()).unwrap();
    for s in ["DELETE FROM audit_log", "DELETE FROM audit_head"] {
        diesel::sql_query(s).execute(&mut db).unwrap();
    }
    let broken = irnet(&dir, &["audit", "verify"], None);
    assert_eq!(broken.status.code(), Some(2));
    let err = String::from_utf8_lossy(&broken.stderr);
    assert!(err.contains("the log is empty but checkpoint #"), "{err}");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn config_show_layers_the_file_the_environment_and_flags_and_masks_secrets() {
    let dir = tempdir();
    std::fs::create_dir_all(dir.join("irnet-data")).unwrap();
    // Found in the data directory without being named.
    std::fs::write(
        dir.join("irnet-data/irnet.toml"),
        "lockout_threshold = 3\n\
         mail_from = \"CERT <cert@example.vn>\"\n\
         smtp_url = \"smtps://irnet:smtp-hunter2@mail.example.vn:465\"\n\
         [incidents]\n\
         notice_days = 3\n\
         acknowledgement_hours = 3\n",
    )
    .unwrap();
    let out = irnet_with_env(
        &dir,
        &["config", "show", "--set", "incidents.notice_days=5"],
        &[
            ("IRNET_LOCKOUT_THRESHOLD", "4"),
            ("IRNET_INCIDENTS__NOTICE_DAYS", "4"),
            ("IRNET_METRICS_TOKEN", "token-hunter2"),
            // Not settings: left alone, not refused.
            ("IRNET_LOG", "warn"),
            ("IRNET_BIN", "/nowhere/irnet"),
            ("IRNET_PORT", "not a number"),
        ],
        None,
    );
    let shown = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let line = |key: &str| {
        shown
            .lines()
            .find(|l| l.starts_with(&format!("{key} = ")))
            .unwrap_or_else(|| panic!("no {key} in {shown}"))
            .to_owned()
    };
    // The file over the defaults, the environment over the file, a flag over the environment.
    assert!(line("mail_from").contains("\"CERT <cert@example.vn>\"  # TOML file"));
    assert!(
        line("lockout_threshold")
            .starts_with("lockout_threshold = 4  # environment variable IRNET_LOCKOUT_THRESHOLD")
    );
    assert!(line("notice_days").starts_with("notice_days = 5  # --set incidents.notice_days"));
    assert!(line("acknowledgement_hours").starts_with("acknowledgement_hours = 3  # TOML file"));
    assert!(line("closing_report_days").ends_with("# default"));
    assert!(line("smtp_url").contains("smtps://irnet:***@mail.example.vn:465"));
    assert!(line("metrics_token").contains("\"***\""));
    assert!(!shown.contains("hunter2"), "{shown}");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_bad_setting_is_refused_naming_its_key_and_where_it_came_from() {
    let dir = tempdir();
    let refused = |args: &[&str], env: &[(&str, &str)], expected: &[&str]| {
        let out = irnet_with_env(&dir, args, env, None);
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{err}");
        assert!(!err.contains("panicked"), "{err}");
        for e in expected {
            assert!(err.contains(e), "{e} not in {err}");
        }
    };
    refused(
        &["config", "show"],
        &[("IRNET_INCIDENTS__NOTICE_DAYS", "soon")],
        &["incidents.notice_days", "IRNET_INCIDENTS__NOTICE_DAYS"],
    );
    refused(
        &["config", "show", "--set", "lockout_minutes=0x"],
        &[],
        &["lockout_minutes", "--set lockout_minutes"],
    );
    refused(
        &["config", "show", "--set", "no_such_key=1"],
        &[],
        &["no_such_key"],
    );
    let file = dir.join("irnet.toml");
    std::fs::write(&file, "[incidents]\nnotice_hours = 3\n").unwrap();
    refused(
        &["config", "show", "--config", file.to_str().unwrap()],
        &[],
        &["incidents.notice_hours", "irnet.toml"],
    );
    // A key that moved names its new place.
    std::fs::write(&file, "alert_remind_main_hours = 3\n").unwrap();
    refused(
        &["config", "show"],
        &[("IRNET_CONFIG", file.to_str().unwrap())],
        &["alerts.remind_main_hours"],
    );
    let _ = std::fs::remove_dir_all(&dir);
}
