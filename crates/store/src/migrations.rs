//! Embedded migrations, one directory per backend.

use sqlx::SqlSafeStr;
use sqlx::migrate::{Migration, MigrationType, Migrator};

macro_rules! embedded {
    ($dir:literal: $($version:literal $name:literal),* $(,)?) => {
        vec![$(
            Migration::new(
                $version,
                $name.into(),
                MigrationType::Simple,
                include_str!(concat!("../migrations/", $dir, "/", $name, ".sql")).into_sql_str(),
                false,
            ),
        )*]
    };
}

pub(crate) fn sqlite() -> Migrator {
    Migrator::with_migrations(
        embedded!("sqlite": 1 "0001_foundation", 2 "0002_interviews", 3 "0003_recordings", 4 "0004_webhooks", 5 "0005_sessions", 6 "0006_users", 7 "0007_overrides", 8 "0008_rate_counters", 9 "0009_audit_events", 10 "0010_erasure", 11 "0011_demographics"),
    )
}

pub(crate) fn postgres() -> Migrator {
    Migrator::with_migrations(
        embedded!("postgres": 1 "0001_foundation", 2 "0002_interviews", 3 "0003_recordings", 4 "0004_webhooks", 5 "0005_sessions", 6 "0006_users", 7 "0007_overrides", 8 "0008_rate_counters", 9 "0009_audit_events", 10 "0010_erasure", 11 "0011_demographics"),
    )
}
