//! Program-wide tests: screening tiers, plans and progression stories.
