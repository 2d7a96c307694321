//! The one place that reads the system clock; everything else receives a `Clock`.

use chrono::{DateTime, Utc};
use irnet_domain::Clock;

#[derive(Debug, Default, Clone, Copy)]
pub struct SystemClock;

impl Clock for SystemClock {
    #[allow(clippy::disallowed_methods)]
    fn now(&self) -> DateTime<Utc> {
        Utc::now()
    }
}
