//! Typed views: what each page shows, as plain `Serialize` structs borrowed from the model.
//! A page's fingerprint is the hash of its view, so nothing a page shows can be missed by it.
//!
//! Views shown on many pages (a story, a section, a tag) are made and hashed once, and appear
//! in page views as a [`Shared`] marker holding that hash: hashing a page hashes the marker,
//! and the renderer swaps it for the value it made once. Nothing here knows the template
//! engine; the renderer recognises the markers by their names.

pub mod hash;
pub mod json_ld;
pub mod page;
pub mod shared;
pub mod story;
pub mod words;

use serde::{Serialize, Serializer};

pub use hash::fingerprint;
pub use page::{Meta, Paginator};
pub use shared::Views;
pub use words::Words;

/// The name of the newtype that stands for a shared view (holding its hash).
pub const SHARED_MARKER: &str = "$broadsheet::shared";
/// The name of the newtype that holds HTML to be printed as it is.
pub const HTML_MARKER: &str = "$broadsheet::html";
/// The name of the newtype that holds data to print as JSON inside a `<script>` element.
pub const SCRIPT_JSON_MARKER: &str = "$broadsheet::script_json";

/// A view made once and shown on many pages, standing in a page's view as its hash.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Shared(pub u64);

impl Serialize for Shared {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_newtype_struct(SHARED_MARKER, &self.0)
    }
}

/// HTML made by broadsheet (a rendered story body), printed without escaping.
#[derive(Debug, Clone, Copy)]
pub struct Html<'a>(pub &'a str);

impl Serialize for Html<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_newtype_struct(HTML_MARKER, self.0)
    }
}

/// Structured data printed as JSON that is safe inside `<script>` (JSON-LD).
#[derive(Debug, Clone)]
pub struct ScriptJson<T>(pub T);

impl<T: Serialize> Serialize for ScriptJson<T> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_newtype_struct(SCRIPT_JSON_MARKER, &self.0)
    }
}

/// A value templates see as an empty string when it is absent, so `{% if newer %}` works
/// and an absent value prints nothing.
#[derive(Debug, Clone)]
pub struct OrEmpty<T>(pub Option<T>);

impl<T: Serialize> Serialize for OrEmpty<T> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match &self.0 {
            Some(v) => v.serialize(s),
            None => s.serialize_str(""),
        }
    }
}

/// RFC 3339 to the second, with the offset as `+06:00`.
pub fn rfc3339(dt: &chrono::DateTime<chrono::FixedOffset>) -> String {
    dt.to_rfc3339_opts(chrono::SecondsFormat::Secs, false)
}

/// RFC 822 as feeds want it: two-digit day, numeric zone.
pub fn rfc822(dt: &chrono::DateTime<chrono::FixedOffset>) -> String {
    dt.format("%a, %d %b %Y %H:%M:%S %z").to_string()
}
