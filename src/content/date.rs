//! Story dates: RFC 3339, or a local date/time read in the site's time zone.

use std::fmt;

use chrono::{DateTime, FixedOffset, LocalResult, NaiveDate, NaiveDateTime, TimeZone};
use chrono_tz::Tz;
use serde::de::{self, Deserializer, MapAccess, Visitor};

/// A date as written in front matter, before it is read in a time zone.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DateText(pub String);

impl<'de> serde::Deserialize<'de> for DateText {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = DateText;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a date like 2025-12-05T09:30:00+06:00")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<DateText, E> {
                Ok(DateText(v.trim().to_string()))
            }
            // TOML hands its native dates over as a one-entry map.
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<DateText, A::Error> {
                let (_, value): (String, String) = map
                    .next_entry()?
                    .ok_or_else(|| de::Error::custom("expected a date"))?;
                Ok(DateText(value))
            }
        }
        d.deserialize_any(V)
    }
}

const LOCAL_FORMATS: &[&str] = &[
    "%Y-%m-%dT%H:%M:%S%.f",
    "%Y-%m-%d %H:%M:%S%.f",
    "%Y-%m-%dT%H:%M",
    "%Y-%m-%d %H:%M",
];

/// Reads a date; one without an offset is local time in `tz`. The result carries the offset
/// of `tz` at that instant.
pub fn parse(text: &str, tz: Tz) -> Result<DateTime<FixedOffset>, String> {
    let text = text.trim();
    let normalized = text.replacen(' ', "T", 1);
    if let Ok(dt) = DateTime::parse_from_rfc3339(&normalized) {
        return Ok(dt.with_timezone(&tz).fixed_offset());
    }
    let local = LOCAL_FORMATS
        .iter()
        .find_map(|f| NaiveDateTime::parse_from_str(text, f).ok())
        .or_else(|| {
            NaiveDate::parse_from_str(text, "%Y-%m-%d")
                .ok()
                .and_then(|d| d.and_hms_opt(0, 0, 0))
        })
        .ok_or_else(|| format!("`{text}` is not a date broadsheet can read"))?;
    let dt = match tz.from_local_datetime(&local) {
        LocalResult::Single(dt) => dt,
        LocalResult::Ambiguous(first, _) => first,
        // A local time skipped by a clock change: take the instant an hour later.
        LocalResult::None => tz
            .from_local_datetime(&(local + chrono::Duration::hours(1)))
            .earliest()
            .ok_or_else(|| format!("`{text}` does not exist in time zone {tz}"))?,
    };
    Ok(dt.fixed_offset())
}

/// The calendar date of an instant in the site's time zone.
pub fn local_date(dt: &DateTime<FixedOffset>, tz: Tz) -> NaiveDate {
    dt.with_timezone(&tz).date_naive()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn local_times_use_site_zone() {
        let dt = parse("2025-12-05 09:30", chrono_tz::Asia::Dhaka).unwrap();
        assert_eq!(dt.to_rfc3339(), "2025-12-05T09:30:00+06:00");
        let dt = parse("2025-12-05", chrono_tz::Asia::Dhaka).unwrap();
        assert_eq!(dt.to_rfc3339(), "2025-12-05T00:00:00+06:00");
    }

    #[test]
    fn offsets_are_kept_as_instants() {
        let dt = parse("2025-12-31T23:30:00-05:00", chrono_tz::Asia::Dhaka).unwrap();
        assert_eq!(dt.to_rfc3339(), "2026-01-01T10:30:00+06:00");
        assert_eq!(
            local_date(&dt, chrono_tz::Asia::Dhaka),
            NaiveDate::from_ymd_opt(2026, 1, 1).unwrap()
        );
    }

    #[test]
    fn rejects_nonsense() {
        assert!(parse("2025-13-45", chrono_tz::UTC).is_err());
        assert!(parse("yesterday", chrono_tz::UTC).is_err());
    }
}
