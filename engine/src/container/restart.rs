//! Restart policies (`docker run --restart`): what the daemon does when a container's main
//! process exits. `no` leaves it stopped; `always` restarts it whatever the exit code;
//! `unless-stopped` likewise unless the user stopped it; `on-failure[:N]` restarts after a
//! non-zero exit, at most N times. A container stopped with `docker stop` or `docker kill` is
//! never restarted. Restarts back off as Docker's do: 100 ms, doubling each time, back to
//! 100 ms once the container has run for 10 seconds.

use std::fmt;

/// A restart policy.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum RestartPolicy {
    #[default]
    No,
    Always,
    UnlessStopped,
    /// Restart on a non-zero exit; at most this many times (0 = no limit).
    OnFailure(u32),
}

impl RestartPolicy {
    /// Parses the flag's value as the Docker client does.
    pub fn parse(s: &str) -> Result<Self, String> {
        let (name, count) = match s.split_once(':') {
            Some((n, c)) => (n, Some(c)),
            None => (s, None),
        };
        let policy = match (name, count) {
            ("" | "no", None) => RestartPolicy::No,
            ("always", None) => RestartPolicy::Always,
            ("unless-stopped", None) => RestartPolicy::UnlessStopped,
            ("on-failure", None) => RestartPolicy::OnFailure(0),
            ("on-failure", Some(c)) => {
                RestartPolicy::OnFailure(c.parse().map_err(|_| format!("invalid restart policy format: maximum retry count must be an integer: {s}"))?)
            }
            ("no" | "always" | "unless-stopped", Some(_)) => {
                return Err(format!("invalid restart policy format: maximum retry count can only be used with 'on-failure': {s}"))
            }
            _ => return Err(format!("invalid restart policy format: unknown policy '{name}'; use one of 'no', 'always', 'on-failure', or 'unless-stopped'")),
        };
        Ok(policy)
    }

    /// The name `docker inspect` shows in `HostConfig.RestartPolicy.Name`.
    pub fn name(&self) -> &'static str {
        match self {
            RestartPolicy::No => "no",
            RestartPolicy::Always => "always",
            RestartPolicy::UnlessStopped => "unless-stopped",
            RestartPolicy::OnFailure(_) => "on-failure",
        }
    }

    pub fn max_retries(&self) -> u32 {
        match self {
            RestartPolicy::OnFailure(n) => *n,
            _ => 0,
        }
    }

    /// Whether to restart after an exit with `code`, having restarted `count` times already.
    pub fn should_restart(&self, code: i32, count: u32, manually_stopped: bool) -> bool {
        if manually_stopped {
            return false;
        }
        match self {
            RestartPolicy::No => false,
            RestartPolicy::Always | RestartPolicy::UnlessStopped => true,
            RestartPolicy::OnFailure(max) => code != 0 && (*max == 0 || count < *max),
        }
    }
}

impl fmt::Display for RestartPolicy {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// The delay before the next restart, given the previous one and how long the container ran.
pub fn next_delay_ms(previous_ms: u64, ran_ms: u64) -> u64 {
    if ran_ms >= 10_000 || previous_ms == 0 {
        100
    } else {
        (previous_ms * 2).min(60_000)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn policies_parse_and_decide_like_docker() {
        assert_eq!(RestartPolicy::parse("on-failure:3"), Ok(RestartPolicy::OnFailure(3)));
        assert_eq!(RestartPolicy::parse("always"), Ok(RestartPolicy::Always));
        assert!(RestartPolicy::parse("sometimes").is_err());
        assert!(RestartPolicy::parse("always:2").is_err());
        assert!(RestartPolicy::OnFailure(3).should_restart(1, 2, false));
        assert!(!RestartPolicy::OnFailure(3).should_restart(1, 3, false));
        assert!(!RestartPolicy::OnFailure(0).should_restart(0, 0, false));
        assert!(!RestartPolicy::Always.should_restart(0, 0, true));
        assert_eq!(next_delay_ms(0, 0), 100);
        assert_eq!(next_delay_ms(100, 50), 200);
        assert_eq!(next_delay_ms(800, 20_000), 100);
    }
}
