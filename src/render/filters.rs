//! The filters broadsheet adds to Tera: dates in the site's zone, XML escaping of HTML, and
//! URL encoding.

use chrono::DateTime;
use chrono_tz::Tz;
use tera::{Kwargs, State, Tera, TeraResult};

/// Formats RFC 3339 text in the site's zone, for `{{ story.date | date(format="%H:%M") }}`.
pub fn register(tera: &mut Tera, tz: Tz) {
    tera.register_filter(
        "date",
        move |value: &str, kwargs: Kwargs, _: &State| -> TeraResult<String> {
            let format: Option<&str> = kwargs.get("format")?;
            let dt = DateTime::parse_from_rfc3339(value).map_err(|_| {
                tera::Error::message(format!("`date` filter: `{value}` is not an RFC 3339 date"))
            })?;
            Ok(dt
                .with_timezone(&tz)
                .format(format.unwrap_or("%B %d, %Y"))
                .to_string())
        },
    );
    tera.register_filter("escape_xml", XmlEscape);
    // Tera 2 has no URL encoding; share links and query strings need it.
    tera.register_filter("urlencode", |value: &str, _: Kwargs, _: &State| -> String {
        crate::slug::percent_encode(value, b"/-._~")
    });
    tera.register_filter(
        "urlencode_strict",
        |value: &str, _: Kwargs, _: &State| -> String {
            crate::slug::percent_encode(value, b"-._~")
        },
    );
}

/// Escapes for XML even text already marked safe (HTML bodies in feeds), exactly once.
struct XmlEscape;

impl tera::Filter<&str, String> for XmlEscape {
    fn call(&self, value: &str, _: Kwargs, _: &State) -> String {
        crate::pages::discovery::escape(value)
    }

    fn is_safe(&self) -> bool {
        true
    }
}
