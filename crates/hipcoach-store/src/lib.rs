//! Storage for hipcoach: an embedded SQLite file by default, PostgreSQL when a deployment
//! outgrows one machine. Everything a user records goes through here, checked first (no pain of
//! 11, no unknown exercise reaches a table) and written durably.
//!
//! # Layout
//! - `store`: connecting, pools, pragmas, migrations (`migrations/{sqlite,postgres}`);
//!   `write`: one all-or-nothing write transaction; `group_commit`: concurrent session
//!   records and readings sharing one.
//! - `model`: the stored types beyond the core's own.
//! - one file per kind of data: `users`, `sessions`, `checkins`, `measurements`, `documents`,
//!   `preferences`, `login_sessions`, `calendar_feeds`.
//! - `account`: whole-account export and import; `spreadsheet`: CSV; `backup`: online copies.

#![forbid(unsafe_code)]

mod account;
mod backup;
mod calendar_feeds;
mod checkins;
mod corrections;
mod documents;
mod error;
mod group_commit;
mod login_sessions;
mod measurements;
mod model;
mod preferences;
mod sessions;
mod spreadsheet;
mod store;
mod users;
mod write;

pub use account::{ACCOUNT_FORMAT, ACCOUNT_VERSION, AccountExport, ExportedUser};
pub use error::{StoreError, Unavailable};
pub use measurements::check_measurement;
pub use model::*;
pub use spreadsheet::{measurements_csv, sessions_csv};
pub use store::{Backend, Store, redact, sqlite_url};
pub use users::parse_user_name;
