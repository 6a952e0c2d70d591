//! Opening the store the CLI and server use: the URL from flag, environment or the default file.

use crate::cli::StorageArgs;
use anyhow::Context;
use hipcoach_core::catalog::Catalog;
use hipcoach_store::{Store, StoreError, User, redact, sqlite_url};
use std::path::PathBuf;
use std::sync::Arc;

/// The data folder: the one given, else the system's place for an application's data.
pub fn data_dir(args: &StorageArgs) -> PathBuf {
    match &args.data_dir {
        Some(dir) => dir.clone(),
        None => directories::ProjectDirs::from("", "", "hipcoach")
            .map(|dirs| dirs.data_dir().to_path_buf())
            .or_else(|| std::env::current_dir().ok().map(|d| d.join(".hipcoach")))
            .unwrap_or_else(|| PathBuf::from(".hipcoach")),
    }
}

/// The SQLite file these settings name, when they name no other database.
pub fn sqlite_file(args: &StorageArgs) -> Option<PathBuf> {
    if args.database_url.is_some() {
        return None;
    }
    Some(data_dir(args).join("hipcoach.db"))
}

/// The database URL these settings name; the data folder is created on first use.
pub fn database_url(args: &StorageArgs) -> anyhow::Result<String> {
    let Some(file) = sqlite_file(args) else {
        return Ok(args.database_url.clone().unwrap_or_default());
    };
    if let Some(dir) = file.parent() {
        std::fs::create_dir_all(dir).with_context(|| format!("cannot create the data folder {}", dir.display()))?;
    }
    Ok(sqlite_url(&file))
}

/// Connects and migrates.
pub async fn open(args: &StorageArgs, catalog: Catalog) -> anyhow::Result<Store> {
    let url = database_url(args)?;
    Store::connect(&url, Arc::new(catalog)).await.map_err(|error| match error {
        // These name the database and say what to do in one line already.
        StoreError::CannotOpen(_) | StoreError::Config(_) => error.into(),
        other => anyhow::Error::from(other).context(format!("cannot open the database {}", redact(&url))),
    })
}

/// The CLI's user: the one named by `--user`, created on first use.
pub async fn local_user(store: &Store, args: &StorageArgs) -> anyhow::Result<User> {
    Ok(store.local_user(&args.user).await?)
}

/// Runs async store work from the synchronous CLI. Work still running when `future` is done
/// (a cut-off request's blocking task, say) gets a second, then the process moves on.
pub fn block_on<T>(future: impl std::future::Future<Output = anyhow::Result<T>>) -> anyhow::Result<T> {
    let runtime =
        tokio::runtime::Builder::new_multi_thread().enable_all().build().context("cannot start the async runtime")?;
    let result = runtime.block_on(future);
    runtime.shutdown_timeout(std::time::Duration::from_secs(1));
    result
}
