//! The command line: `serve`, `orgs create`, `users create`, `keys create`, `analyze`.

use clap::{Args, Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

#[derive(Parser, Debug)]
#[command(name = "talentd", version, about = "Self-hosted AI interview platform")]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Run the server.
    Serve(ServeArgs),
    /// Manage organisations.
    Orgs {
        #[command(subcommand)]
        command: OrgsCommand,
    },
    /// Manage dashboard users.
    Users {
        #[command(subcommand)]
        command: UsersCommand,
    },
    /// Manage API keys.
    Keys {
        #[command(subcommand)]
        command: KeysCommand,
    },
    /// Analyse a transcript or a recording offline and print the JSON report.
    Analyze(AnalyzeArgs),
}

#[derive(Args, Debug)]
pub struct AnalyzeArgs {
    /// A transcript (.txt `Speaker: text` lines, .vtt, .srt or .json segments) or a
    /// recording (mp3, m4a, mp4, wav, ogg, webm, flac).
    pub file: PathBuf,
    /// The vacancy's name, shown in the report.
    #[arg(long)]
    pub vacancy: Option<String>,
    /// Where the fetched model files live.
    #[arg(long, env = "TALENTD_MODELS_DIR", default_value = "./models")]
    pub models_dir: PathBuf,
    #[command(flatten)]
    pub speech: SpeechArgs,
    /// For a stereo recording: the candidate's channel (0 left, 1 right).
    #[arg(long)]
    pub candidate_channel: Option<usize>,
    /// For a recording: the spoken language (en, ru, ...); detected when absent.
    #[arg(long)]
    pub language: Option<String>,
}

/// The speech-to-text model.
#[derive(Args, Debug, Clone)]
pub struct SpeechArgs {
    /// Whisper model for recordings: `base` (multilingual) or `tiny.en` (English, faster).
    #[arg(long, env = "TALENTD_STT_MODEL", default_value = "base")]
    pub stt_model: String,
}

/// Where the data lives; shared by every command.
#[derive(Args, Debug, Clone)]
pub struct StorageArgs {
    /// Folder for the SQLite database and media.
    #[arg(long, env = "TALENTD_DATA_DIR", default_value = "./data")]
    pub data_dir: PathBuf,
    /// Database URL (`sqlite://...` or `postgres://...`); default: SQLite in the data dir.
    #[arg(long, env = "DATABASE_URL")]
    pub database_url: Option<String>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Role {
    /// Serve the HTTP API.
    Api,
    /// Run background jobs (health endpoints only over HTTP).
    Worker,
    /// Both.
    All,
}

#[derive(Args, Debug)]
pub struct ServeArgs {
    /// Address to listen on.
    #[arg(long, env = "TALENTD_LISTEN", default_value = "127.0.0.1:8080")]
    pub listen: String,
    #[command(flatten)]
    pub storage: StorageArgs,
    /// What this process does.
    #[arg(long, env = "TALENTD_ROLE", value_enum, default_value = "all")]
    pub role: Role,
    /// Base URL of interview and report links (default: http://<listen address>).
    #[arg(long, env = "TALENTD_PUBLIC_URL")]
    pub public_url: Option<String>,
    /// Create a demo organisation on first start (when the database has none).
    #[arg(long, env = "TALENTD_DEMO", default_value_t = true, action = clap::ArgAction::Set)]
    pub demo: bool,
    /// Largest accepted request body, in bytes.
    #[arg(long, env = "TALENTD_MAX_BODY_BYTES", default_value_t = 1024 * 1024)]
    pub max_body_bytes: usize,
    /// Where the fetched model files live.
    #[arg(long, env = "TALENTD_MODELS_DIR", default_value = "./models")]
    pub models_dir: PathBuf,
    /// Background workers in this process (roles worker and all).
    #[arg(long, env = "TALENTD_WORKERS", default_value_t = 1)]
    pub workers: usize,
    /// Seconds a claimed job stays claimed without a heartbeat; a crashed worker's job
    /// is taken again after it.
    #[arg(long, env = "TALENTD_JOB_LEASE_SECS", default_value_t = 60)]
    pub job_lease_secs: u64,
    #[command(flatten)]
    pub speech: SpeechArgs,
    /// Largest recording accepted, uploaded or fetched from a media_url, in bytes.
    #[arg(long, env = "TALENTD_MAX_MEDIA_BYTES", default_value_t = 2 * 1024 * 1024 * 1024)]
    pub max_media_bytes: u64,
    /// Let media_url downloads and webhook deliveries reach loopback and private
    /// addresses (for tests and closed networks; never on a server that takes URLs from
    /// outside).
    #[arg(long, env = "TALENTD_ALLOW_PRIVATE_URLS", default_value_t = false, action = clap::ArgAction::Set)]
    pub allow_private_urls: bool,
    /// Seconds before each webhook delivery attempt, comma-separated (the first is
    /// usually 0); default 0,5,300,1800,7200,18000,36000,36000.
    #[arg(long, env = "TALENTD_WEBHOOK_RETRY_SCHEDULE")]
    pub webhook_retry_schedule: Option<String>,
    /// Webhook deliveries in flight at once in this process.
    #[arg(long, env = "TALENTD_WEBHOOK_CONCURRENCY", default_value_t = 16)]
    pub webhook_concurrency: usize,
    /// Seconds a stopping process (SIGTERM) gives in-flight requests, then the jobs in
    /// hand; a job still running after that goes back to the queue for another worker.
    #[arg(long, env = "TALENTD_DRAIN_SECS", default_value_t = 30)]
    pub drain_secs: u64,
    /// Keep recordings in an S3-compatible bucket (`s3://bucket/prefix`; credentials,
    /// region and endpoint from the usual AWS_* variables) instead of the data dir, so
    /// that every API and worker machine reaches them.
    #[arg(long, env = "TALENTD_MEDIA_URL")]
    pub media_url: Option<String>,
    /// Delete recordings this many days after upload (transcripts, scores and reports
    /// are kept); default: keep them.
    #[arg(long, env = "TALENTD_MEDIA_RETENTION_DAYS", value_parser = clap::value_parser!(u32).range(1..))]
    pub media_retention_days: Option<u32>,
    /// Keep the rate-limit counts in this Redis (`redis://host:6379/0`). Without it they
    /// are kept in PostgreSQL when that is the database, else in this process's memory.
    #[arg(long, env = "TALENTD_REDIS_URL")]
    pub redis_url: Option<String>,
}

#[derive(Subcommand, Debug)]
pub enum UsersCommand {
    /// Create a dashboard user; prints {"user_id", "org_id", "email", "role", "password"?}
    /// with a one-time password unless --password-stdin gives one.
    Create {
        /// The organisation (org_...).
        #[arg(long)]
        org: String,
        #[arg(long)]
        email: String,
        #[arg(long, value_enum, default_value = "admin")]
        role: RoleArg,
        /// Read the password from the first line of standard input.
        #[arg(long)]
        password_stdin: bool,
        #[command(flatten)]
        storage: StorageArgs,
    },
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum RoleArg {
    Admin,
    Recruiter,
}

impl From<RoleArg> for talentd_core::user::Role {
    fn from(r: RoleArg) -> Self {
        match r {
            RoleArg::Admin => Self::Admin,
            RoleArg::Recruiter => Self::Recruiter,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum PlanArg {
    Free,
    Pro,
    Enterprise,
    Unlimited,
}

impl From<PlanArg> for talentd_core::Plan {
    fn from(p: PlanArg) -> Self {
        match p {
            PlanArg::Free => Self::Free,
            PlanArg::Pro => Self::Pro,
            PlanArg::Enterprise => Self::Enterprise,
            PlanArg::Unlimited => Self::Unlimited,
        }
    }
}

#[derive(Subcommand, Debug)]
pub enum OrgsCommand {
    /// Create an organisation and print its id and first API key as JSON.
    Create {
        #[arg(long)]
        name: String,
        #[arg(long, value_enum, default_value = "free")]
        plan: PlanArg,
        #[command(flatten)]
        storage: StorageArgs,
    },
}

#[derive(Subcommand, Debug)]
pub enum KeysCommand {
    /// Create another API key for an organisation and print it as JSON.
    Create {
        #[arg(long)]
        org: String,
        #[arg(long, default_value = "cli")]
        name: String,
        #[command(flatten)]
        storage: StorageArgs,
    },
}
