//! Time as a parameter. Deadlines, lockouts, drills and scoreboards all depend on "now";
//! taking it from a `Clock` lets tests set and move time at will. The system clock
//! implementation lives in the app crate, keeping this crate free of clock reads.

use chrono::{DateTime, Utc};
use std::sync::{Mutex, MutexGuard};

/// A source of the current instant.
pub trait Clock: Send + Sync + std::fmt::Debug {
    fn now(&self) -> DateTime<Utc>;
}

/// A clock that shows whatever the test sets.
#[derive(Debug)]
pub struct FixedClock(Mutex<DateTime<Utc>>);

impl FixedClock {
    pub fn new(at: DateTime<Utc>) -> Self {
        Self(Mutex::new(at))
    }

    pub fn set(&self, at: DateTime<Utc>) {
        *self.lock() = at;
    }

    /// Moves time forward (or back, with a negative duration). A step past the end of
    /// representable time leaves the clock where it was rather than failing a test
    /// somewhere unrelated.
    pub fn advance(&self, by: chrono::Duration) {
        let mut now = self.lock();
        if let Some(later) = now.checked_add_signed(by) {
            *now = later;
        }
    }

    /// A panic in another test thread while holding the lock leaves a valid instant
    /// behind, so a poisoned lock is recovered instead of propagating the panic.
    fn lock(&self) -> MutexGuard<'_, DateTime<Utc>> {
        self.0
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

impl Clock for FixedClock {
    fn now(&self) -> DateTime<Utc> {
        *self.lock()
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::panic)]
    use super::*;
    use chrono::{Duration, TimeZone};
    use std::sync::Arc;

    fn at(h: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2025, 3, 1, h, 0, 0).unwrap()
    }

    #[test]
    fn shows_what_was_set() {
        let clock = FixedClock::new(at(1));
        assert_eq!(clock.now(), at(1));
        clock.set(at(5));
        assert_eq!(clock.now(), at(5));
        clock.advance(Duration::hours(2));
        assert_eq!(clock.now(), at(7));
        clock.advance(Duration::hours(-7));
        assert_eq!(clock.now(), at(0));
    }

    #[test]
    fn overflow_leaves_the_clock_alone() {
        let clock = FixedClock::new(DateTime::<Utc>::MAX_UTC);
        clock.advance(Duration::seconds(1));
        assert_eq!(clock.now(), DateTime::<Utc>::MAX_UTC);
    }

    #[test]
    fn usable_as_a_shared_trait_object() {
        let clock: Arc<dyn Clock> = Arc::new(FixedClock::new(at(3)));
        assert_eq!(clock.now(), at(3));
    }

    #[test]
    fn survives_a_poisoned_lock() {
        let clock = Arc::new(FixedClock::new(at(1)));
        let c = Arc::clone(&clock);
        let result = std::thread::spawn(move || {
            let _guard = c.0.lock().unwrap();
            panic!("poison the lock");
        })
        .join();
        assert!(result.is_err());
        assert!(clock.0.is_poisoned());
        assert_eq!(clock.now(), at(1));
        clock.advance(Duration::hours(1));
        assert_eq!(clock.now(), at(2));
    }
}
