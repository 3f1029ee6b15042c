//! Where a build's time goes, printed to stderr when `BROADSHEET_TIMINGS` is set: for
//! profiling, not for users.

use std::time::Instant;

pub struct Timings {
    on: bool,
    last: Instant,
}

impl Timings {
    pub fn start() -> Timings {
        Timings {
            on: enabled(),
            last: Instant::now(),
        }
    }

    /// Prints the time since the last mark, naming the stage that took it.
    pub fn mark(&mut self, stage: &str) {
        if self.on {
            let now = Instant::now();
            eprintln!(
                "  {stage}: {:.1} ms",
                (now - self.last).as_secs_f64() * 1000.0
            );
            self.last = now;
        }
    }
}

/// Whether timings are asked for, for stages that run apart from a `Timings`.
pub fn enabled() -> bool {
    std::env::var_os("BROADSHEET_TIMINGS").is_some()
}
