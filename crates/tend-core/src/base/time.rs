//! Instants are UTC milliseconds since the Unix epoch. The core never reads the clock: callers
//! pass `now`, so every rule that depends on time can be tested to the millisecond.

/// UTC milliseconds since the Unix epoch.
pub type UtcMillis = i64;

/// The wall clock, for the shell (the app and tools) to pass in. Domain code takes `now` instead.
pub fn system_now() -> UtcMillis {
    chrono::Utc::now().timestamp_millis()
}

/// Milliseconds in a day, for callers computing local day bounds.
pub const DAY_MS: i64 = 86_400_000;
