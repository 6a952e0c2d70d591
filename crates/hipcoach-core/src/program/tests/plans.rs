//! Plans: fit the minutes, honour equipment, goal and preferences, dose the sides fairly.
