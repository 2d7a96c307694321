//! The operator's commands, one module per group. A group is a clap type that implements `Run`;
//! `main.rs` lists the groups in `commands!`, one entry each, which makes the top-level enum and
//! its dispatch.

pub mod audit;
pub mod bench;
pub mod config;
pub mod demo;
pub mod migrate;
pub mod provinces;
pub mod serve;
pub mod stix;
pub mod token;
pub mod user;

use std::process::ExitCode;

use figment::value::Dict;

use crate::context::Context;

pub trait Run {
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
