//! Writes irnet's example exports into a directory so that the real tools can check them
//! (`tests/interop`): `cargo run -p irnet-interop --example interop_examples -- DIR` writes
//!
//! - `DIR/stix/*.json`: STIX bundles, for `stix2_validator --strict --ignore 302 --enforce-refs`;
//! - `DIR/misp/event.json`: a MISP event, for PyMISP's `MISPEvent().load_file`;
//! - `DIR/misp/feed/`: a MISP feed (`manifest.json`, `hashes.csv`, `<uuid>.json`).

use irnet_interop::misp::{export, feed};
use irnet_interop::stix;
use std::fmt::Display;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

fn main() -> ExitCode {
    let Some(dir) = std::env::args_os().nth(1).map(PathBuf::from) else {
        eprintln!("usage: interop_examples DIR");
        return ExitCode::from(2);
    };
    match write_all(&dir) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("{e}");
            ExitCode::FAILURE
        }
    }
}

fn write_all(dir: &Path) -> Result<(), String> {
    for (name, bundle) in stix::export::samples::bundles() {
        let bundle = bundle.map_err(|p| list(&name, &p))?;
        write(&dir.join("stix").join(&name), &pretty(&bundle)?)?;
    }
    let event = export::samples::event().map_err(|p| list("event", &p))?;
    write(&dir.join("misp/event.json"), &pretty(&event.to_json())?)?;
    for file in feed::build_feed(&[event]).map_err(|p| list("feed", &p))? {
        write(&dir.join("misp/feed").join(&file.path), &file.content)?;
    }
    Ok(())
}

fn list(what: &str, problems: &[impl Display]) -> String {
    problems
        .iter()
        .map(|p| format!("{what}: {p}"))
        .collect::<Vec<_>>()
        .join("\n")
}

fn pretty(value: &serde_json::Value) -> Result<Vec<u8>, String> {
    serde_json::to_vec_pretty(value).map_err(|e| e.to_string())
}

fn write(path: &Path, content: &[u8]) -> Result<(), String> {
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).map_err(|e| format!("{}: {e}", parent.display()))?;
    }
    std::fs::write(path, content).map_err(|e| format!("{}: {e}", path.display()))?;
    println!("{}", path.display());
    Ok(())
}
