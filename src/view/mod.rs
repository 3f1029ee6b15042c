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

pub use hash::{fingerprint, fingerprint_with_refs};
pub use page::{Meta, Paginator};
pub use shared::Views;
pub use words::Words;

/// The name of the newtype that stands for a shared view (holding its hash).
pub const SHARED_MARKER: &str = "$broadsheet::shared";
/// The name of the newtype that holds HTML to be printed as it is.
pub const HTML_MARKER: &str = "$broadsheet::html";
/// The name of the newtype that holds data to print as JSON inside a `<script>` element.
pub const SCRIPT_JSON_MARKER: &str = "$broadsheet::script_json";

/// A view made once and shown on many pages, standing in a page's view for it: its hash, which
/// is all a fingerprint sees of it, and its slot, where the renderer finds its value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Shared {
    pub hash: u64,
    pub slot: Slot,
}

/// Which shared view a marker stands for. Slots change when stories are added or moved, so
/// they are never part of a fingerprint.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Slot {
    Site,
    Section(u32),
    Tag(u32),
    Author(u32),
    Story(u32),
}

impl Slot {
    pub fn pack(self) -> u64 {
        let (kind, i) = match self {
            Slot::Site => (0, 0),
            Slot::Section(i) => (1, i),
            Slot::Tag(i) => (2, i),
            Slot::Author(i) => (3, i),
            Slot::Story(i) => (4, i),
        };
        (kind << 32) | u64::from(i)
    }

    pub fn unpack(n: u64) -> Option<Slot> {
        let i = n as u32;
        Some(match n >> 32 {
            0 => Slot::Site,
            1 => Slot::Section(i),
            2 => Slot::Tag(i),
            3 => Slot::Author(i),
            4 => Slot::Story(i),
            _ => return None,
        })
    }
}

impl Shared {
    /// The marker's one value: the hash above the slot.
    pub fn packed(self) -> u128 {
        (u128::from(self.hash) << 64) | u128::from(self.slot.pack())
    }
}

impl Serialize for Shared {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_newtype_struct(SHARED_MARKER, &self.packed())
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
