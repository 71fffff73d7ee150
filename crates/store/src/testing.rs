//! Databases for tests: a SQLite file in a given folder, or, when
//! `TALENTD_TEST_DATABASE_URL` names a PostgreSQL server (an admin URL), a throwaway
//! database created on it (named `talentd_t_*`; the test script drops them).

use sqlx::Connection;
use std::path::Path;

/// A URL of a fresh, empty database for one test.
pub async fn fresh_database_url(dir: &Path) -> String {
    match std::env::var("TALENTD_TEST_DATABASE_URL") {
        Ok(admin) if admin.starts_with("postgres") => {
            let name = format!(
                "talentd_t_{}",
                talentd_core::id::random_token(12).to_ascii_lowercase()
            );
            let mut conn = sqlx::PgConnection::connect(&admin)
                .await
                .unwrap_or_else(|e| panic!("TALENTD_TEST_DATABASE_URL must reach PostgreSQL: {e}"));
            sqlx::Executor::execute(
                &mut conn,
                sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}")),
            )
            .await
            .unwrap_or_else(|e| panic!("cannot create a throwaway database: {e}"));
            let base = admin.rsplit_once('/').map_or(admin.as_str(), |(b, _)| b);
            format!("{base}/{name}")
        }
        _ => format!("sqlite://{}?mode=rwc", dir.join("talentd.db").display()),
    }
}
