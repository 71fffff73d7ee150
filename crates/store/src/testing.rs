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

/// A migrated store on a fresh database in `dir` (see [`fresh_database_url`]), with its
/// URL.
pub async fn fresh_store(dir: &Path) -> (std::sync::Arc<dyn crate::Store>, String) {
    let url = fresh_database_url(dir).await;
    let store = crate::connect(&url)
        .await
        .unwrap_or_else(|e| panic!("cannot open the test database: {e}"));
    store
        .migrate()
        .await
        .unwrap_or_else(|e| panic!("cannot migrate the test database: {e}"));
    (store, url)
}

/// A new organisation on the free plan, with one API key.
pub async fn new_org(store: &dyn crate::Store) -> talentd_core::OrgId {
    let org = crate::OrgRow {
        id: talentd_core::OrgId::generate(),
        name: "Acme".into(),
        plan: talentd_core::Plan::Free,
        created_at: 0,
    };
    let key = crate::NewApiKey {
        id: talentd_core::ApiKeyId::generate(),
        org_id: org.id.clone(),
        name: "k".into(),
        prefix: "tk_live_abcd".into(),
        key_hash: talentd_core::apikey::generate().hash,
        created_at: 0,
    };
    store
        .create_org(&org, &key)
        .await
        .unwrap_or_else(|e| panic!("cannot create an organisation: {e}"));
    org.id
}

/// Every value of every column of every table of the database at `url` (the schema's
/// own list, so that a table added later is searched too) that contains one of
/// `needles`, as `table.column: value`. For tests that prove something left no trace.
pub async fn find_text(url: &str, needles: &[String]) -> Result<Vec<String>, crate::StoreError> {
    let store = crate::SqlStore::connect(url).await?;
    let (tables_sql, columns_sql) = match store.backend {
        crate::Backend::Sqlite => (
            "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name",
            "SELECT name FROM pragma_table_info($1) ORDER BY cid",
        ),
        crate::Backend::Postgres => (
            "SELECT table_name::text FROM information_schema.tables \
             WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' \
             ORDER BY table_name",
            "SELECT column_name::text FROM information_schema.columns \
             WHERE table_schema = current_schema() AND table_name = $1 ORDER BY ordinal_position",
        ),
    };
    let tables: Vec<(String,)> = sqlx::query_as(tables_sql).fetch_all(&store.pool).await?;
    let mut found = Vec::new();
    for (table,) in tables {
        let columns: Vec<(String,)> = sqlx::query_as(columns_sql)
            .bind(&table)
            .fetch_all(&store.pool)
            .await?;
        for (column,) in columns {
            // SQLite keeps bytes that need not be UTF-8 (a migration's checksum).
            let value = match store.backend {
                crate::Backend::Sqlite => format!(
                    "CASE WHEN typeof(\"{column}\") = 'blob' THEN hex(\"{column}\") \
                     ELSE CAST(\"{column}\" AS TEXT) END"
                ),
                crate::Backend::Postgres => format!("CAST(\"{column}\" AS TEXT)"),
            };
            let values: Vec<(Option<String>,)> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
                "SELECT {value} FROM \"{table}\""
            )))
            .fetch_all(&store.pool)
            .await?;
            for value in values.into_iter().filter_map(|(v,)| v) {
                if needles.iter().any(|n| value.contains(n.as_str())) {
                    found.push(format!("{table}.{column}: {value}"));
                }
            }
        }
    }
    store.pool.close().await;
    Ok(found)
}
