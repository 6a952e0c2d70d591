//! Progression stories over weeks of records.
