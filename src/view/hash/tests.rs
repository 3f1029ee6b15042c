use std::collections::BTreeMap;
use std::fmt;

use serde::Serialize;
use serde::ser::{SerializeMap, SerializeSeq, Serializer};

use super::*;

fn hash<T: Serialize + ?Sized>(value: &T) -> u64 {
    fingerprint(0, value)
}

#[derive(Serialize)]
struct Card<'a> {
    title: &'a str,
    words: u32,
    tags: Vec<&'a str>,
    lead: Option<bool>,
}

#[test]
fn a_fingerprint_is_the_same_from_run_to_run() {
    let card = Card {
        title: "Rain",
        words: 120,
        tags: vec!["weather"],
        lead: Some(true),
    };
    // If this changes, every page's fingerprint has changed: make sure that was meant.
    assert_eq!(fingerprint(7, &card), 4511086137471297892);
    // The bytes hashed, spelled out.
    let mut bytes = vec![tag::STRUCT];
    bytes.extend(b"Card\xff");
    bytes.extend([tag::FIELD].iter().chain(b"title\xff"));
    bytes.extend([tag::STR].iter().chain(b"Rain\xff"));
    bytes.extend([tag::FIELD].iter().chain(b"words\xff"));
    bytes.push(tag::U64);
    bytes.extend(120u64.to_le_bytes());
    bytes.extend([tag::FIELD].iter().chain(b"tags\xff"));
    bytes.extend([tag::SEQ, tag::STR].iter().chain(b"weather\xff"));
    bytes.push(tag::END);
    bytes.extend([tag::FIELD].iter().chain(b"lead\xff"));
    bytes.extend([tag::SOME, tag::BOOL, 1, tag::END]);
    assert_eq!(
        fingerprint(7, &card),
        xxhash_rust::xxh3::xxh3_64_with_seed(&bytes, 7)
    );
    assert_ne!(fingerprint(8, &card), fingerprint(7, &card));
}

#[test]
fn where_strings_and_lists_end_is_part_of_the_hash() {
    assert_ne!(hash(&["ab", "c"]), hash(&["a", "bc"]));
    assert_ne!(hash(&("a", "")), hash(&("", "a")));
    assert_ne!(hash(&[vec![1], vec![2]]), hash(&[vec![1, 2], vec![]]));
    assert_ne!(hash(&vec![vec![1], vec![2]]), hash(&vec![vec![1, 2]]));
    assert_ne!(hash(&[vec![], vec![1]]), hash(&[vec![1], vec![]]));
}

#[test]
fn absence_differs_from_emptiness() {
    assert_ne!(hash(&Some(5)), hash(&5));
    assert_ne!(hash(&None::<&str>), hash(""));
    assert_ne!(hash(&Some("")), hash(""));
    assert_ne!(hash(&None::<()>), hash(&()));
    assert_ne!(hash(&Some(None::<u8>)), hash(&None::<u8>));
    assert_ne!(hash(&Vec::<u8>::new()), hash(&()));
}

/// The same struct, its fields renamed or reordered.
mod first {
    #[derive(serde::Serialize)]
    pub struct View {
        pub a: u8,
        pub b: u8,
    }
}
mod reordered {
    #[derive(serde::Serialize)]
    pub struct View {
        pub b: u8,
        pub a: u8,
    }
}
mod renamed {
    #[derive(serde::Serialize)]
    pub struct View {
        pub a: u8,
        pub c: u8,
    }
}

#[test]
fn field_names_and_their_order_are_part_of_the_hash() {
    let first = hash(&first::View { a: 1, b: 2 });
    assert_eq!(first, hash(&first::View { a: 1, b: 2 }));
    assert_ne!(first, hash(&reordered::View { b: 2, a: 1 }));
    assert_ne!(first, hash(&renamed::View { a: 1, c: 2 }));
    assert_ne!(first, hash(&first::View { a: 2, b: 1 }));
}

struct Marker(u64);

impl Serialize for Marker {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_newtype_struct("$broadsheet::shared", &self.0)
    }
}

#[derive(Serialize)]
struct Wrapper(&'static str);

#[derive(Serialize)]
enum Kind {
    News,
    Opinion,
    Sized(u8),
}

#[test]
fn names_of_newtypes_and_variants_are_part_of_the_hash() {
    assert_ne!(hash(&Marker(42)), hash(&42u64));
    assert_ne!(hash(&Marker(42)), hash(&Marker(43)));
    assert_ne!(hash(&Wrapper("x")), hash("x"));
    assert_ne!(hash(&Kind::News), hash(&Kind::Opinion));
    assert_ne!(hash(&Kind::News), hash("News"));
    assert_ne!(hash(&Kind::Sized(1)), hash(&Kind::Sized(2)));
}

#[test]
fn numbers_hash_as_tera_shows_them() {
    assert_eq!(hash(&1u8), hash(&1u64));
    assert_eq!(hash(&-1i8), hash(&-1i64));
    assert_eq!(hash(&0.5f32), hash(&0.5f64));
    assert_ne!(hash(&1u64), hash(&1.0f64));
    assert_ne!(hash(&true), hash(&1u8));
    assert_ne!(hash(&'a'), hash("a"));
}

/// Serializes its items with no length, as a filtered iterator would.
struct Unsized<'a>(&'a [(&'a str, u8)], bool);

impl Serialize for Unsized<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        if self.1 {
            let mut map = s.serialize_map(None)?;
            self.0
                .iter()
                .try_for_each(|(k, v)| map.serialize_entry(k, v))?;
            map.end()
        } else {
            let mut seq = s.serialize_seq(None)?;
            self.0.iter().try_for_each(|e| seq.serialize_element(e))?;
            seq.end()
        }
    }
}

#[test]
fn an_unknown_length_hashes_as_a_known_one() {
    let items = [("a", 1), ("b", 2)];
    assert_eq!(hash(&Unsized(&items, false)), hash(&items.to_vec()));
    assert_eq!(hash(&Unsized(&items, true)), hash(&BTreeMap::from(items)));
    assert_ne!(hash(&Unsized(&items, true)), hash(&Unsized(&items, false)));
    assert_ne!(
        hash(&Unsized(&items, true)),
        hash(&Unsized(&items[..1], true))
    );
}

struct ByDisplay<T>(T);

impl<T: fmt::Display> Serialize for ByDisplay<T> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(&self.0)
    }
}

struct Bytes(&'static [u8]);

impl Serialize for Bytes {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_bytes(self.0)
    }
}

#[test]
fn strings_hash_alike_however_they_are_given() {
    assert_eq!(hash(&ByDisplay(1.5)), hash("1.5"));
    assert_eq!(
        hash(&ByDisplay(format_args!("{}-{}", "a", "b"))),
        hash("a-b")
    );
    assert_eq!(hash(&String::from("x")), hash("x"));
    assert_ne!(hash(&Bytes(b"ab")), hash("ab"));
    assert_ne!(
        hash(&(Bytes(b"a"), Bytes(b""))),
        hash(&(Bytes(b""), Bytes(b"a")))
    );
}

struct Fails;

impl Serialize for Fails {
    fn serialize<S: Serializer>(&self, _: S) -> Result<S::Ok, S::Error> {
        Err(serde::ser::Error::custom("cannot"))
    }
}

#[test]
fn a_value_that_fails_to_serialize_still_hashes() {
    assert_eq!(hash(&[Fails]), hash(&[Fails]));
    assert_ne!(hash(&[Fails]), hash(&Vec::<u8>::new()));
}

#[test]
fn a_shared_marker_hashes_its_hash_not_its_slot_and_its_slot_is_recorded() {
    use crate::view::{Shared, Slot};
    let at = |slot| Shared { hash: 7, slot };
    let (mut a, mut b) = (Vec::new(), Vec::new());
    let first = fingerprint_with_refs(0, &vec![at(Slot::Story(1)), at(Slot::Tag(3))], &mut a);
    let moved = fingerprint_with_refs(0, &vec![at(Slot::Story(9)), at(Slot::Site)], &mut b);
    assert_eq!(
        first, moved,
        "slots move as stories are added; pages must not"
    );
    assert_eq!(a, vec![Slot::Story(1), Slot::Tag(3)]);
    assert_eq!(b, vec![Slot::Story(9), Slot::Site]);
    let other = Shared {
        hash: 8,
        slot: Slot::Story(1),
    };
    assert_ne!(first, fingerprint(0, &vec![other, at(Slot::Tag(3))]));
    // A plain u128 is not taken for a marker.
    assert_ne!(fingerprint(0, &7u128), fingerprint(0, &7u64));
}
