//! `irnet config show`: the effective configuration as TOML that could be saved as `irnet.toml`,
//! secrets masked, each value followed by the layer it came from.

use std::fmt::Write as _;

use anyhow::anyhow;

use super::Config;
use super::layers::origin;

impl Config {
    pub(crate) fn show(&self) -> anyhow::Result<String> {
        let mut effective = self.deployment.clone();
        effective.audit_key_file = Some(self.deployment.audit_key_file());
        effective.audit_checkpoint_dir = Some(self.deployment.audit_checkpoint_dir());
        let mut table = toml::Table::new();
        for part in [
            toml::Value::try_from(&effective)?,
            toml::Value::try_from(&self.settings)?,
            toml::Value::try_from(&self.settings.sections)?,
        ] {
            match part {
                toml::Value::Table(t) => table.extend(t),
                _ => return Err(anyhow!("a configuration part is not a table")),
            }
        }
        let mut out = String::from(
            "# The effective configuration: defaults, then the TOML file, then IRNET_* variables,\n\
             # then flags. Secrets are masked; each value says where it came from.\n",
        );
        self.write_table(&mut out, "", &table);
        Ok(out)
    }

    fn write_table(&self, out: &mut String, prefix: &str, table: &toml::Table) {
        let here: Vec<&str> = self
            .keys
            .values()
            .filter(|k| {
                k.strip_prefix(prefix)
                    .is_some_and(|rest| !rest.contains('.'))
            })
            .collect();
        for key in here {
            let name = &key[prefix.len()..];
            match table.get(name) {
                Some(toml::Value::Table(_)) | None => {
                    let _ = writeln!(out, "# {name} is not set");
                }
                Some(value) => {
                    let from = match self.derived.get(key) {
                        Some(how) if self.figment.find_metadata(key).is_none() => {
                            format!("default: {how}")
                        }
                        _ => origin(&self.figment, key),
                    };
                    let _ = writeln!(out, "{name} = {value}  # {from}");
                }
            }
        }
        for (name, value) in table {
            if let toml::Value::Table(inner) = value {
                let path = format!("{prefix}{name}");
                let _ = writeln!(out, "\n[{path}]");
                self.write_table(out, &format!("{path}."), inner);
            }
        }
    }
}
