//! `irnet user`: accounts created and reset by the operator on the server.

use std::io::Read as _;
use std::process::ExitCode;

use clap::Subcommand;
use irnet_app::identity::users::{self, NewUser};
use irnet_domain::{Grant, Role, Scope};

use super::Run;
use crate::context::{Context, Migrate, explain};

#[derive(Subcommand)]
pub(crate) enum UserCommand {
    /// Create an account (and its organisation, if it does not exist yet)
    Create {
        #[arg(long)]
        email: String,
        /// Organisation: its id or its name
        #[arg(long)]
        org: String,
        /// Display name (default: the email)
        #[arg(long)]
        name: Option<String>,
        /// Make the account a platform administrator
        #[arg(long)]
        admin: bool,
        /// Language: vi or en
        #[arg(long)]
        locale: Option<String>,
        /// Read the password from standard input (otherwise one is generated and printed)
        #[arg(long)]
        password_stdin: bool,
    },
    /// Set a new password; every session of the account ends
    ResetPassword {
        #[arg(long)]
        email: String,
        #[arg(long)]
        password_stdin: bool,
    },
}

impl Run for UserCommand {
    async fn run(self, ctx: &Context) -> anyhow::Result<ExitCode> {
        let app = ctx.app(Migrate::Apply).await?;
        match self {
            Self::Create {
                email,
                org,
                name,
                admin,
                locale,
                password_stdin,
            } => {
                let (org, created) = irnet_app::directory::orgs::find_or_create(&app, &org, true)
                    .await
                    .map_err(explain)?;
                if created {
                    println!("Created organisation \"{}\" ({}).", org.name_vi, org.id);
                }
                let (password, generated) = read_password(password_stdin)?;
                let grants = if admin {
                    vec![Grant {
                        role: Role::Admin,
                        scope: Scope::Network,
                    }]
                } else {
                    vec![]
                };
                let input = NewUser {
                    display_name: name.unwrap_or_else(|| email.clone()),
                    email,
                    org_id: org.id.clone(),
                    locale,
                    password: password.clone(),
                    grants,
                };
                let user = users::create(&app, &irnet_app::Actor::operator(), input)
                    .await
                    .map_err(explain)?;
                println!(
                    "Created account {} ({}) in \"{}\".",
                    user.email, user.id, org.name_vi
                );
                if generated {
                    println!("Initial password (shown once): {password}");
                }
            }
            Self::ResetPassword {
                email,
                password_stdin,
            } => {
                let (password, generated) = read_password(password_stdin)?;
                users::operator_reset_password(&app, &email, &password)
                    .await
                    .map_err(explain)?;
                println!("Password of {email} reset; its sessions were ended.");
                if generated {
                    println!("New password (shown once): {password}");
                }
            }
        }
        Ok(ExitCode::SUCCESS)
    }
}

/// The password from the first line of standard input, or a generated one (and whether it was).
fn read_password(from_stdin: bool) -> anyhow::Result<(String, bool)> {
    if from_stdin {
        let mut s = String::new();
        std::io::stdin().read_to_string(&mut s)?;
        let pw = s.lines().next().unwrap_or_default().to_owned();
        Ok((pw, false))
    } else {
        Ok((
            irnet_app::identity::secrets::random_secret()
                .chars()
                .take(20)
                .collect(),
            true,
        ))
    }
}
