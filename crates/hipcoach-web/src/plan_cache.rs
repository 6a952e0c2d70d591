//! This week's plan per user, kept between requests while nothing it is built from changes.
//!
//! Building a plan reads three documents and every measurement and runs the planner; the cache
//! compares the user's [`Revision`] instead and rebuilds only when it or the day differs. The
//! revision comes with the user's row, which every request reads anyway (with the login, in one
//! statement), so a fresh plan costs no extra query; and since every instance reads it from the
//! database, several servers sharing one PostgreSQL never serve a stale plan.

use crate::WebError;
use chrono::NaiveDate;
use hipcoach_core::catalog::Catalog;
use hipcoach_core::program::WeekPlan;
use hipcoach_store::{Revision, Store, User, UserId};
use hipcoach_workflows::program::Program;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

/// Users kept before the cache starts over; a plan is a few kilobytes.
const MAX_USERS: usize = 10_000;

/// A user's program and the plan it gives today, or why there is none.
pub struct Planned {
    /// Everything stored for the user.
    pub program: Program,
    /// This week's plan, or the reason there is none, in words.
    pub plan: Result<WeekPlan, String>,
    /// The plan as JSON for the API; empty when there is no plan.
    pub plan_json: axum::body::Bytes,
}

impl Planned {
    /// This week's plan, or a 409 saying why there is none.
    pub fn week_plan(&self) -> Result<&WeekPlan, WebError> {
        self.plan.as_ref().map_err(|why| WebError::Conflict(why.clone()))
    }
}

/// What a plan was built from, and the plan.
type Entry = (Revision, NaiveDate, Arc<Planned>);

#[derive(Default)]
pub struct PlanCache {
    entries: Mutex<HashMap<UserId, Entry>>,
}

impl PlanCache {
    /// The user's program and plan for `today`, rebuilt only when something changed since the
    /// user's row (and its `revision`) was read.
    pub async fn get(
        &self,
        store: &Store,
        catalog: &Catalog,
        user: &User,
        today: NaiveDate,
    ) -> Result<Arc<Planned>, WebError> {
        let (revision, user) = (user.revision, user.id);
        if let Some((seen, day, planned)) = self.lock().get(&user)
            && (*seen, *day) == (revision, today)
        {
            return Ok(Arc::clone(planned));
        }
        let program = Program::load(store, user).await?;
        let plan = program.plan(catalog, today).map_err(|error| error.to_string());
        let plan_json = match &plan {
            Ok(plan) => serde_json::to_vec(plan).map_err(|error| WebError::Internal(error.into()))?.into(),
            Err(_) => axum::body::Bytes::new(),
        };
        let planned = Arc::new(Planned { program, plan, plan_json });
        let mut entries = self.lock();
        if entries.len() >= MAX_USERS {
            entries.clear();
        }
        entries.insert(user, (revision, today, Arc::clone(&planned)));
        Ok(planned)
    }

    /// Drops what is kept for `user` (a deleted account: its id may be handed out again).
    pub fn forget(&self, user: UserId) {
        self.lock().remove(&user);
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<UserId, Entry>> {
        self.entries.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}
