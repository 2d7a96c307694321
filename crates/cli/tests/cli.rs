//! The operator's commands, run as the real binary: first run, accounts, tokens, audit verify.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // a failed unwrap in a test is a failed assertion

use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use diesel::{Connection, RunQueryDsl, SqliteConnection};

const BIN: &str = env!("CARGO_BIN_EXE_irnet");

fn irnet(dir: &Path, args: &[&str], stdin: Option<&str>) -> std::process::Output {
    let mut cmd = Command::new(BIN);
    cmd.current_dir(dir)
        .args(args)
        .env_remove("IRNET_DATABASE_URL")
        .env_remove("IRNET_DATA_DIR");
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
