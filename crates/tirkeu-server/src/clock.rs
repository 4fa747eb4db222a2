//! The server's clock: the one source of "now" for handlers and rules.
//!
//! Handlers never read the wall clock themselves; they ask the [`App`](crate::App)'s clock,
//! which is the system clock in production and a fixed, settable instant in tests, so every
//! time rule can be tried at a chosen instant (a card that expires in 2027 stays valid in a
//! test run in 2028).

use std::sync::{Arc, Mutex};

use jiff::{SignedDuration, Timestamp};

/// Where "now" comes from.
#[derive(Clone, Debug, Default)]
pub struct Clock(Option<Arc<Mutex<Timestamp>>>);

impl Clock {
    /// The system's clock.
    pub fn system() -> Clock {
        Clock(None)
    }

    /// A clock that stands at `at` until it is set or advanced.
    pub fn fixed(at: Timestamp) -> Clock {
        Clock(Some(Arc::new(Mutex::new(at))))
    }

    /// The current instant.
    pub fn now(&self) -> Timestamp {
        match &self.0 {
            None => Timestamp::now(),
            Some(t) => *t.lock().expect("clock lock"),
        }
    }

    /// Moves a fixed clock by `by` (a system clock cannot be moved; this is a no-op there).
    pub fn advance(&self, by: SignedDuration) {
        if let Some(t) = &self.0 {
            let mut t = t.lock().expect("clock lock");
            *t = t.saturating_add(by).expect("a duration, not a span");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fixed_clock_stands_until_advanced() {
        let at: Timestamp = "2027-12-15T00:00:00Z".parse().unwrap();
        let c = Clock::fixed(at);
        let shared = c.clone();
        assert_eq!(c.now(), at);
        shared.advance(SignedDuration::from_hours(1));
        assert_eq!(
            c.now(),
            "2027-12-15T01:00:00Z".parse::<Timestamp>().unwrap()
        );
        assert!(Clock::system().now() > at - SignedDuration::from_hours(24 * 3650));
    }
}
