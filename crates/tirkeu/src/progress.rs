//! Progress for long work, on stderr: a bar when stderr is a terminal, and otherwise (a log
//! file, CI, `nohup`) a plain line every tenth of the way or every ten seconds, so long work
//! never runs silent.

use std::io::IsTerminal;
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// How often a plain progress line is written at most when the total is unknown.
const PLAIN_EVERY: Duration = Duration::from_secs(10);

/// A progress display; `set_position` is cheap enough to call for every batch.
pub struct Progress {
    what: String,
    total: Option<u64>,
    started: Instant,
    shown: Shown,
}

enum Shown {
    Bar(ProgressBar),
    Plain { last_tenth: u64, last_line: Instant },
}

impl Progress {
    fn new(total: Option<u64>, what: &str, template: &str) -> Progress {
        Self::shown_as(total, what, template, std::io::stderr().is_terminal())
    }

    fn shown_as(total: Option<u64>, what: &str, template: &str, terminal: bool) -> Progress {
        let shown = if terminal {
            let b = ProgressBar::with_draw_target(total, ProgressDrawTarget::stderr());
            b.set_style(ProgressStyle::with_template(template).expect("a valid template"));
            b.set_message(what.to_owned());
            Shown::Bar(b)
        } else {
            Shown::Plain {
                last_tenth: 0,
                last_line: Instant::now(),
            }
        };
        Progress {
            what: what.to_owned(),
            total,
            started: Instant::now(),
            shown,
        }
    }

    /// `n` items done so far.
    pub fn set_position(&mut self, n: u64) {
        let (what, total, started) = (&self.what, self.total, self.started);
        match &mut self.shown {
            Shown::Bar(b) => b.set_position(n),
            Shown::Plain {
                last_tenth,
                last_line,
            } => {
                let due = match total {
                    Some(t) if t > 0 => {
                        let tenth = n.saturating_mul(10) / t;
                        let due = tenth > *last_tenth;
                        if due {
                            *last_tenth = tenth;
                        }
                        due
                    }
                    _ => last_line.elapsed() >= PLAIN_EVERY,
                };
                if due {
                    *last_line = Instant::now();
                    eprintln!("{}", plain_line(what, n, total, started.elapsed()));
                }
            }
        }
    }

    /// Removes the bar (a plain display has nothing to remove).
    pub fn finish_and_clear(&self) {
        if let Shown::Bar(b) = &self.shown {
            b.finish_and_clear();
        }
    }
}

fn plain_line(what: &str, n: u64, total: Option<u64>, elapsed: Duration) -> String {
    let secs = elapsed.as_secs_f64();
    #[allow(clippy::cast_precision_loss)]
    let rate = n as f64 / secs.max(1e-9);
    match total {
        Some(t) => {
            let pct = n.saturating_mul(100) / t.max(1);
            format!("{what}: {n}/{t} ({pct} %), {secs:.0} s, {rate:.0}/s")
        }
        None => format!("{what}: {n}, {secs:.0} s, {rate:.0}/s"),
    }
}

/// Progress counting to `total`.
pub fn bar(total: u64, what: &str) -> Progress {
    Progress::new(
        Some(total),
        what,
        "{msg} [{elapsed_precise}] {wide_bar} {human_pos}/{human_len} ({per_sec}, ETA {eta})",
    )
}

/// Progress counting items of unknown total.
pub fn counter(what: &str) -> Progress {
    Progress::new(
        None,
        what,
        "{spinner} {msg}: {human_pos} [{elapsed_precise}, {per_sec}]",
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_lines_say_how_far_and_how_fast() {
        assert_eq!(
            plain_line("seeding cases", 250, Some(1000), Duration::from_secs(5)),
            "seeding cases: 250/1000 (25 %), 5 s, 50/s"
        );
        assert_eq!(
            plain_line(
                "verifying audit entries",
                300,
                None,
                Duration::from_secs(10)
            ),
            "verifying audit entries: 300, 10 s, 30/s"
        );
    }

    #[test]
    fn without_a_terminal_a_line_is_due_every_tenth() {
        let mut p = Progress::shown_as(Some(100), "x", "{msg}", false);
        for n in 1..=100 {
            p.set_position(n);
        }
        let Shown::Plain { last_tenth, .. } = p.shown else {
            unreachable!()
        };
        assert_eq!(last_tenth, 10);
    }
}
