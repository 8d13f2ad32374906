//! What the native benches share: driving the host shell as the page does (ticks of the page's
//! budget on the real clock, a command typed, the prompt awaited) and the figures' arithmetic.
//! Each bench includes it with `mod bench_support;`.

use engine::{Activity, Engine};
use std::time::{Duration, Instant};

/// The page's tick budget.
pub const TICK_MICROS: u64 = 8_000;
/// Longest a command may take before a bench gives up (a failure, not a figure).
pub const COMMAND_LIMIT: Duration = Duration::from_secs(300);

pub type Result<T = ()> = std::result::Result<T, String>;

/// The median (the mean of the two middle values for an even count; NaN for none).
pub fn median(mut xs: Vec<f64>) -> f64 {
    xs.sort_by(f64::total_cmp);
    let m = xs.len() / 2;
    match xs.len() {
        0 => f64::NAN,
        n if n % 2 == 1 => xs[m],
        _ => (xs[m - 1] + xs[m]) / 2.0,
    }
}

/// A duration in milliseconds.
#[allow(dead_code)] // not every bench prints durations it measured itself
pub fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

/// Ticks until the engine waits for input again; the output meanwhile.
pub fn settle(engine: &mut Engine) -> Result<String> {
    let started = Instant::now();
    let mut out = Vec::new();
    loop {
        let activity = engine.tick(TICK_MICROS);
        out.extend(engine.take_output());
        if activity != Activity::Busy && engine.awaiting_input() {
            return Ok(String::from_utf8_lossy(&out).into_owned());
        }
        if started.elapsed() > COMMAND_LIMIT {
            return Err(format!("no prompt after {COMMAND_LIMIT:?}; output:\n{}", String::from_utf8_lossy(&out)));
        }
        if activity != Activity::Busy {
            std::thread::sleep(Duration::from_micros(200));
        }
    }
}

/// Types `command` at the prompt; its output and how long until the prompt was back.
pub fn type_command(engine: &mut Engine, command: &str) -> Result<(String, Duration)> {
    let started = Instant::now();
    engine.write_input(format!("{command}\n").as_bytes());
    let out = settle(engine)?;
    Ok((out, started.elapsed()))
}
