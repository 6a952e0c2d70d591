//! `hipcoach serve`: the web app on a bound address, with logs, until ctrl-c or SIGTERM.

use crate::cli::{ServeArgs, StorageArgs};
use crate::storage::{block_on, data_dir, open};
use anyhow::Context;
use chrono::NaiveDate;
use hipcoach_core::catalog::Catalog;
use hipcoach_web::{Access, Settings};
use std::process::ExitCode;

pub fn run(
    storage: &StorageArgs,
    catalog: Catalog,
    today: Option<NaiveDate>,
    args: ServeArgs,
) -> anyhow::Result<ExitCode> {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_env("HIPCOACH_LOG").unwrap_or_else(|_| "hipcoach=info".into()),
        )
        .with_target(false)
        .with_writer(std::io::stderr)
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .init();
    block_on(async {
        let store = open(storage, catalog.clone()).await?;
        raise_open_file_limit();
        let listener = tokio::net::TcpListener::bind(args.bind).await.with_context(|| {
            format!("cannot listen on {}: is another program using it? Try --bind 127.0.0.1:8081", args.bind)
        })?;
        let address = listener.local_addr()?;
        if args.single_user && !address.ip().is_loopback() {
            anyhow::bail!(
                "--single-user lets every visitor in without a password, so it only listens on a loopback \
                 address; use --bind 127.0.0.1:{} or drop --single-user",
                address.port()
            );
        }
        let access = if args.single_user { Access::SingleUser(storage.user.clone()) } else { Access::Accounts };
        let network = crate::tls::network_address(address);
        let tls = if args.tls || args.cert.is_some() {
            let own = args.cert.as_deref().zip(args.key.as_deref());
            Some(crate::tls::server_config(own, &data_dir(storage).join("tls"), network)?)
        } else {
            None
        };
        let scheme = if tls.is_some() { "https" } else { "http" };
        let network_url = network.map(|ip| format!("{scheme}://{}", std::net::SocketAddr::new(ip, address.port())));
        let settings = Settings {
            access,
            quick_step_ms: args.quick_step_ms,
            today,
            behind_proxy: args.behind_proxy,
            tls,
            network_url: network_url.clone(),
        };
        tracing::info!(%address, "hipcoach is ready");
        // Listening on every address: this computer opens it on its own.
        let here = if address.ip().is_unspecified() {
            std::net::SocketAddr::from(([127, 0, 0, 1], address.port()))
        } else {
            address
        };
        match network_url {
            Some(url) => {
                println!("hipcoach is ready: open {scheme}://{here} (from a phone: {url}; its QR code is on /connect)")
            }
            None => println!("hipcoach is ready: open {scheme}://{here}"),
        }
        hipcoach_web::serve(settings, store.clone(), catalog, listener, shutdown_signal())
            .await
            .context("the server stopped")?;
        // Requests cut off at the end of the grace period may still hold connections: give them
        // a moment, then let the process go (the database is consistent either way).
        if tokio::time::timeout(std::time::Duration::from_secs(2), store.close()).await.is_err() {
            tracing::warn!("closed the database with requests still running");
        }
        tracing::info!("stopped cleanly");
        Ok(ExitCode::SUCCESS)
    })
}

/// Every connection is an open file: the usual soft limit of 1,024 would run out long before
/// the server's connection cap, so it is raised to the hard limit, and the result logged.
fn raise_open_file_limit() {
    match rlimit::increase_nofile_limit(u64::MAX) {
        Ok(limit) if limit < hipcoach_web::MAX_CONNECTIONS as u64 + 100 => tracing::warn!(
            limit,
            "open files are limited to {limit}, fewer than the server's {} connections; raise the hard limit \
             (ulimit -Hn) to let it use them all",
            hipcoach_web::MAX_CONNECTIONS
        ),
        Ok(limit) => tracing::info!(limit, "open-file limit"),
        Err(error) => tracing::warn!(%error, "cannot raise the open-file limit"),
    }
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        if let Ok(mut signal) = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            signal.recv().await;
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {}
        () = terminate => {}
    }
}
