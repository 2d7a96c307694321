//! Who may see or do what is decided in `domain::policy` only. The role checks are crate-private
//! (so another crate cannot call them), and this test keeps their names out of every other
//! crate's source and templates, so that nobody re-derives a decision under the same name
//! (a local `fn is_coordinator`, a field of that name carried into a page).

use std::path::{Path, PathBuf};

const ROLE_CHECKS: [&str; 4] = ["is_coordinator", "has_role", "is_admin", "is_org_admin_of"];

fn sources(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let path = e.path();
        if path.is_dir() {
            if path.file_name().is_some_and(|n| n == "target") {
                continue;
            }
            sources(&path, out);
        } else if path
            .extension()
            .is_some_and(|x| x == "rs" || x == "html" || x == "js")
        {
            out.push(path);
        }
    }
}

/// The name as a word: `is_admin` but not `is_admin_page` or `this_is_admin`.
fn mentions(text: &str, name: &str) -> bool {
    let word = |c: char| c.is_ascii_alphanumeric() || c == '_';
    text.match_indices(name).any(|(i, _)| {
        let before = text[..i].chars().next_back();
        let after = text[i + name.len()..].chars().next();
        !before.is_some_and(word) && !after.is_some_and(word)
    })
}

#[test]
fn role_checks_appear_only_in_the_domain_crate() {
    let crates = Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("crates/ holds the domain crate");
    let mut files = Vec::new();
    for e in std::fs::read_dir(crates)
        .expect("crates/ is readable")
        .flatten()
    {
        if e.file_name() != "domain" {
            sources(&e.path(), &mut files);
        }
    }
    assert!(files.len() > 50, "the walk found the other crates' sources");
    let mut found = Vec::new();
    for f in files {
        let text = std::fs::read_to_string(&f).unwrap_or_default();
        for name in ROLE_CHECKS {
            if mentions(&text, name) {
                let shown = f.strip_prefix(crates).unwrap_or(&f).display().to_string();
                found.push(format!("{shown}: {name}"));
            }
        }
    }
    assert!(
        found.is_empty(),
        "role checks outside crates/domain (ask a named domain::policy function instead): {found:#?}"
    );
}

#[test]
fn the_word_match_is_exact() {
    assert!(mentions("p.is_admin()", "is_admin"));
    assert!(!mentions("p.is_admin_page()", "is_admin"));
    assert!(!mentions("this_is_admin", "is_admin"));
}
