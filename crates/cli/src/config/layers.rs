//! The layers above the defaults, each named for where its values came from (a file, a variable,
//! a flag), so that an error or `irnet config show` can say which one set a key.

use std::collections::BTreeSet;

use anyhow::{anyhow, bail};
use figment::providers::{Data, Env, Format};
use figment::value::{Dict, Map, Value};
use figment::{Figment, Metadata, Profile, Provider, Source};
use irnet_app::Settings;
use irnet_app::settings::{MOVED_KEYS, Sections};
use serde::Serialize;

use super::Deployment;

const ENV_PREFIX: &str = "IRNET_";

/// A few keys from one place.
#[derive(Clone)]
pub(super) struct Layer {
    name: String,
    dict: Dict,
}

impl Layer {
    fn new(name: String, key: &str, value: Value) -> Self {
        let dict = figment::util::nest(key, value)
            .into_dict()
            .unwrap_or_default();
        Self { name, dict }
    }
}

impl Provider for Layer {
    fn metadata(&self) -> Metadata {
        Metadata::named(self.name.clone()).interpolater(|_: &Profile, keys: &[&str]| keys.join("."))
    }

    fn data(&self) -> Result<Map<Profile, Dict>, figment::Error> {
        Ok(Profile::Default.collect(self.dict.clone()))
    }
}

pub(super) fn merged(layers: &[Layer]) -> Figment {
    layers
        .iter()
        .fold(Figment::new(), |f, layer| f.merge(layer.clone()))
}

pub(crate) fn dict_of<T: Serialize>(value: &T) -> anyhow::Result<Dict> {
    Value::serialize(value)?
        .into_dict()
        .ok_or_else(|| anyhow!("not a table"))
}

/// Every key there is, from what the defaults serialize to: a table (`incidents`) or a value
/// (`incidents.notice_days`, `smtp_url`, set or not).
#[derive(Default)]
pub(super) struct Keys {
    tables: BTreeSet<String>,
    values: BTreeSet<String>,
}

impl Keys {
    pub(super) fn of_defaults() -> anyhow::Result<Self> {
        let mut keys = Self::default();
        for dict in [
            dict_of(&Deployment::default())?,
            dict_of(&Settings::default())?,
            dict_of(&Sections::default())?,
        ] {
            keys.add("", &dict);
        }
        Ok(keys)
    }

    fn add(&mut self, prefix: &str, dict: &Dict) {
        for (k, v) in dict {
            let path = format!("{prefix}{k}");
            match v {
                Value::Dict(_, inner) => {
                    self.add(&format!("{path}."), inner);
                    self.tables.insert(path);
                }
                _ => {
                    self.values.insert(path);
                }
            }
        }
    }

    pub(super) fn is_value(&self, key: &str) -> bool {
        self.values.contains(key)
    }

    pub(super) fn values(&self) -> impl Iterator<Item = &str> {
        self.values.iter().map(String::as_str)
    }

    /// Refuses a file with a key that is no setting, naming every such key (and where a moved
    /// one went): a misspelt key would otherwise be ignored without a word.
    pub(super) fn check_file(&self, file: &Data<impl Format>, label: &str) -> anyhow::Result<()> {
        let data = file
            .data()
            .map_err(|e| anyhow!("in {label}: {e}"))?
            .remove(&Profile::Default)
            .unwrap_or_default();
        let mut unknown = Vec::new();
        self.unknown_in("", &data, &mut unknown);
        if unknown.is_empty() {
            return Ok(());
        }
        let lines: Vec<String> = unknown
            .iter()
            .map(|k| format!("unknown key `{k}` in {label}{}", moved(k)))
            .collect();
        bail!("{}", lines.join("\n"))
    }

    fn unknown_in(&self, prefix: &str, dict: &Dict, unknown: &mut Vec<String>) {
        for (k, v) in dict {
            let path = format!("{prefix}{k}");
            match v {
                Value::Dict(_, inner) if self.tables.contains(&path) => {
                    self.unknown_in(&format!("{path}."), inner, unknown)
                }
                _ if self.values.contains(&path) => {}
                _ => unknown.push(path),
            }
        }
    }
}

fn moved(key: &str) -> String {
    MOVED_KEYS
        .iter()
        .find(|(old, _)| *old == key)
        .map(|(_, new)| format!(": it is now `{new}`"))
        .unwrap_or_default()
}

/// The `IRNET_*` variables that name a setting, one layer each; the others (`IRNET_LOG`, the test
/// scripts' `IRNET_BIN`, …) are someone else's. An empty variable counts as unset.
pub(super) fn environment(keys: &Keys) -> Vec<Layer> {
    let mut vars: Vec<(String, String)> = Env::prefixed(ENV_PREFIX)
        .split("__")
        .iter()
        .map(|(k, v)| (k.as_str().to_owned(), v))
        .filter(|(k, v)| keys.is_value(k) && !v.is_empty())
        .collect();
    vars.sort();
    vars.into_iter()
        .map(|(key, value)| {
            let var = format!(
                "{ENV_PREFIX}{}",
                key.to_ascii_uppercase().replace('.', "__")
            );
            Layer::new(
                format!("environment variable {var}"),
                &key,
                Value::from(value),
            )
        })
        .collect()
}

/// Named flags, one layer each (`--listen`), from the flags' struct serialized without the
/// ones not given.
pub(super) fn flags(given: &Dict) -> Vec<Layer> {
    given
        .iter()
        .map(|(key, value)| Layer::new(format!("--{}", key.replace('_', "-")), key, value.clone()))
        .collect()
}

/// `--set KEY=VALUE`, one layer each, in order. The value is read as the environment's would be:
/// text that the key's type parses.
pub(super) fn sets(pairs: &[String], keys: &Keys) -> anyhow::Result<Vec<Layer>> {
    pairs
        .iter()
        .map(|pair| {
            let Some((key, value)) = pair.split_once('=') else {
                bail!("--set {pair}: expected KEY=VALUE, e.g. --set incidents.notice_days=3");
            };
            let key = key.trim();
            if !keys.is_value(key) {
                bail!("--set {key}: no such setting{}", moved(key));
            }
            Ok(Layer::new(
                format!("--set {key}"),
                key,
                Value::from(value.to_owned()),
            ))
        })
        .collect()
}

/// Where the value of `key` came from.
pub(super) fn origin(figment: &Figment, key: &str) -> String {
    match figment.find_metadata(key) {
        Some(md) => describe(md),
        None => "default".to_owned(),
    }
}

fn describe(md: &Metadata) -> String {
    match &md.source {
        Some(Source::File(path)) => format!("{} {}", md.name, path.display()),
        _ => md.name.to_string(),
    }
}

/// Figment's errors, one line each, naming the key and where its value came from.
pub(super) fn explain(error: figment::Error) -> anyhow::Error {
    let lines: Vec<String> = error
        .into_iter()
        .map(|e| {
            let from = e.metadata.as_ref().map(describe);
            match (e.path.is_empty(), from) {
                (false, Some(from)) => format!("{}: {} (from {from})", e.path.join("."), e.kind),
                (false, None) => format!("{}: {}", e.path.join("."), e.kind),
                (true, Some(from)) => format!("{} (from {from})", e.kind),
                (true, None) => e.kind.to_string(),
            }
        })
        .collect();
    anyhow!("{}", lines.join("\n"))
}
