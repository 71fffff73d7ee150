//! `talentd`: the server and its administration commands.

mod analyze;
mod cli;
mod models;
mod serve;
mod storage;

use anyhow::Context;
use clap::Parser;
use cli::{Cli, Command, KeysCommand, OrgsCommand, UsersCommand};
use talentd_core::{OrgId, SystemClock, timefmt::to_millis};

// mimalloc: the server allocates small, short-lived buffers on every request, where it
// is markedly faster than the system allocator.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> anyhow::Result<()> {
    let cli = Cli::parse();
    init_logging();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("cannot start the async runtime")?;
    let result = runtime.block_on(run(cli));
    // A transcription still running on a blocking thread after the drain deadline has
    // had its job given back; do not wait for it.
    runtime.shutdown_timeout(std::time::Duration::from_millis(200));
    result
}

fn init_logging() {
    use tracing_subscriber::EnvFilter;
    let filter = EnvFilter::try_from_env("TALENTD_LOG")
        .unwrap_or_else(|_| EnvFilter::new("info,sqlx=warn,tower_http=info"));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    if std::env::var("TALENTD_LOG_FORMAT").is_ok_and(|f| f == "json") {
        builder.json().init();
    } else {
        builder.init();
    }
}

async fn run(cli: Cli) -> anyhow::Result<()> {
    match cli.command {
        Command::Serve(args) => serve::serve(args).await,
        Command::Analyze(args) => analyze::analyze(args),
        Command::Orgs {
            command:
                OrgsCommand::Create {
                    name,
                    plan,
                    storage,
                },
        } => {
            let name = name.trim();
            anyhow::ensure!(!name.is_empty(), "--name must not be empty");
            let store = storage::open(&storage).await?;
            let p = talentd_api::provision::create_org(&*store, &SystemClock, name, plan.into())
                .await
                .context("cannot create the organisation")?;
            println!(
                "{}",
                serde_json::json!({"org_id": p.org_id, "api_key": p.api_key})
            );
            Ok(())
        }
        Command::Users {
            command:
                UsersCommand::Create {
                    org,
                    email,
                    role,
                    password_stdin,
                    storage,
                },
        } => {
            let org_id =
                OrgId::parse(&org).context("--org must be an organisation id (org_...)")?;
            let password = if password_stdin {
                let mut line = String::new();
                std::io::stdin()
                    .read_line(&mut line)
                    .context("cannot read the password from standard input")?;
                Some(line.trim_end_matches(['\r', '\n']).to_owned())
            } else {
                None
            };
            let store = storage::open(&storage).await?;
            let created = talentd_api::provision::create_user(
                &*store,
                &SystemClock,
                &org_id,
                &email,
                role.into(),
                password.as_deref(),
            )
            .await?;
            let mut out = serde_json::json!({
                "user_id": created.user.id,
                "org_id": created.user.org_id,
                "email": created.user.email,
                "role": created.user.role.as_str(),
            });
            if let Some(p) = created.password {
                out["password"] = serde_json::json!(p);
            }
            println!("{out}");
            Ok(())
        }
        Command::Keys {
            command: KeysCommand::Create { org, name, storage },
        } => {
            let org_id =
                OrgId::parse(&org).context("--org must be an organisation id (org_...)")?;
            let store = storage::open(&storage).await?;
            store
                .get_org(&org_id)
                .await?
                .with_context(|| format!("no organisation {org_id}"))?;
            let now = to_millis(talentd_core::Clock::now(&SystemClock));
            let (key, secret) = talentd_api::provision::new_key(&org_id, &name, now);
            store.insert_api_key(&key).await?;
            println!(
                "{}",
                serde_json::json!({"org_id": org_id, "key_id": key.id, "api_key": secret})
            );
            Ok(())
        }
    }
}
