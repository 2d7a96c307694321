//! Writes irnet's example STIX exports into a directory, for checking them with the OASIS
//! validator: `cargo run -p irnet-interop --example stix_examples -- DIR`, then
//! `stix2_validator --strict --ignore 302 --enforce-refs DIR/*.json`.

use std::path::PathBuf;
use std::process::ExitCode;

fn main() -> ExitCode {
    let Some(dir) = std::env::args_os().nth(1).map(PathBuf::from) else {
        eprintln!("usage: stix_examples DIR");
        return ExitCode::from(2);
    };
    if let Err(e) = std::fs::create_dir_all(&dir) {
        eprintln!("cannot create {}: {e}", dir.display());
        return ExitCode::FAILURE;
    }
    for (name, bundle) in irnet_interop::stix::export::samples::bundles() {
        let text = match bundle.map(|b| serde_json::to_string_pretty(&b)) {
            Ok(Ok(text)) => text,
            Ok(Err(e)) => {
                eprintln!("{name}: {e}");
                return ExitCode::FAILURE;
            }
            Err(problems) => {
                for p in problems {
                    eprintln!("{name}: {p}");
                }
                return ExitCode::FAILURE;
            }
        };
        let path = dir.join(&name);
        if let Err(e) = std::fs::write(&path, text) {
            eprintln!("cannot write {}: {e}", path.display());
            return ExitCode::FAILURE;
        }
        println!("{}", path.display());
    }
    ExitCode::SUCCESS
}
