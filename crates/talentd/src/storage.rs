//! Opening the configured database, migrated.

use crate::cli::StorageArgs;
use anyhow::Context;
use std::sync::Arc;
use talentd_store::Store;

/// The database URL: the one given, or a SQLite file in the data dir.
pub fn database_url(args: &StorageArgs) -> anyhow::Result<String> {
    if let Some(url) = &args.database_url {
        return Ok(url.clone());
    }
    std::fs::create_dir_all(&args.data_dir)
        .with_context(|| format!("cannot create data dir {}", args.data_dir.display()))?;
    let dir = std::path::absolute(&args.data_dir)?;
    Ok(format!(
        "sqlite://{}?mode=rwc",
        dir.join("talentd.db").display()
    ))
}

/// Connects and applies pending migrations.
pub async fn open(args: &StorageArgs) -> anyhow::Result<Arc<dyn Store>> {
    let url = database_url(args)?;
    let store = talentd_store::connect(&url)
        .await
        .context("cannot open the database")?;
    store
        .migrate()
        .await
        .context("cannot migrate the database")?;
    Ok(store)
}
