//! Properties that hold for random profiles and histories.
