//! The operator's commands, one module per group. A group is a clap type that implements `Run`;
//! `main.rs` lists the groups in `commands!`, one entry each, which makes the top-level enum and
//! its dispatch.

pub(crate) mod audit;
pub(crate) mod bench;
pub(crate) mod config;
pub(crate) mod demo;
pub(crate) mod migrate;
pub(crate) mod provinces;
pub(crate) mod serve;
pub(crate) mod stix;
pub(crate) mod token;
pub(crate) mod user;

use std::process::ExitCode;

use figment::value::Dict;

use crate::context::Context;

pub(crate) trait Run {
    /// The command's own named flags that are settings (serve's `--listen`, …), keyed by
    /// setting: they are a layer of the configuration.
    fn setting_flags(&self) -> anyhow::Result<Dict> {
        Ok(Dict::new())
    }

    async fn run(self, ctx: &Context) -> anyhow::Result<ExitCode>;
}

/// The top-level `Command` enum from a list of `Variant(Type)` entries (with their doc comment
/// and clap attributes), and its dispatch to each type's `Run`.
macro_rules! commands {
    ($($(#[$attr:meta])* $name:ident($ty:ty),)*) => {
        #[derive(clap::Subcommand)]
        enum Command {
            $($(#[$attr])* $name($ty),)*
        }

        impl Command {
            fn setting_flags(&self) -> anyhow::Result<figment::value::Dict> {
                match self {
                    $(Self::$name(c) => $crate::commands::Run::setting_flags(c),)*
                }
            }

            async fn run(
                self,
                ctx: &$crate::context::Context,
            ) -> anyhow::Result<std::process::ExitCode> {
                match self {
                    $(Self::$name(c) => $crate::commands::Run::run(c, ctx).await,)*
                }
            }
        }
    };
}

pub(crate) use commands;
