//! Where time and ids come from.

use time::OffsetDateTime;
use uuid::Uuid;

/// The current time.
pub trait Clock: Send + Sync {
    /// Now, truncated to microseconds so it reads back the same from either database.
    fn now(&self) -> OffsetDateTime;
}

/// The system clock.
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> OffsetDateTime {
        let now = OffsetDateTime::now_utc();
        now.replace_nanosecond(now.nanosecond() / 1000 * 1000).unwrap_or(now)
    }
}

/// New ids.
pub trait IdGen: Send + Sync {
    /// A new unique id.
    fn new_id(&self) -> Uuid;
}

/// Time-ordered UUIDv7 ids, so new rows land at the end of the primary-key index.
pub struct UuidV7;

impl IdGen for UuidV7 {
    fn new_id(&self) -> Uuid {
        Uuid::now_v7()
    }
}

/// The date in Tokyo (JST, UTC+9, no daylight saving) at `t`: the day consents and cases count in.
pub fn tokyo_date(t: OffsetDateTime) -> time::Date {
    let jst = time::UtcOffset::from_hms(9, 0, 0).unwrap_or(time::UtcOffset::UTC);
    t.to_offset(jst).date()
}
