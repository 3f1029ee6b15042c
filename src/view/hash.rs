//! Fingerprints of views: a serde serializer that feeds a value straight into xxh3, with no
//! text made on the way, so that whatever a page shows is in its fingerprint.

use std::fmt;

use serde::ser::{self, Serialize};
use xxhash_rust::xxh3::Xxh3;

use super::{SHARED_MARKER, Slot};

/// A stable 64-bit fingerprint of a serializable value: the same value gives the same hash
/// in every run; different values differ (barring xxh3 collisions).
///
/// What serde gives is hashed, type, field and variant names included, each part tagged with
/// its kind, so that no two values feed the same bytes. Maps are hashed in the order they give
/// their entries, as templates see them: a view must not hold a `HashMap`, whose order changes
/// from run to run. A value that fails to serialize gets a hash of its own; it fails again,
/// and is reported, when it is made into a template value.
pub fn fingerprint<T: Serialize + ?Sized>(seed: u64, value: &T) -> u64 {
    hash_with(seed, value, None)
}

/// The fingerprint of `value`, with the slots of the shared views it shows added to `refs`:
/// what a page shows of other views, found by hashing it rather than listed by hand.
pub fn fingerprint_with_refs<T: Serialize + ?Sized>(
    seed: u64,
    value: &T,
    refs: &mut Vec<Slot>,
) -> u64 {
    hash_with(seed, value, Some(refs))
}

fn hash_with<T: Serialize + ?Sized>(seed: u64, value: &T, refs: Option<&mut Vec<Slot>>) -> u64 {
    let mut hasher = Hasher {
        xx: Xxh3::with_seed(seed),
        in_shared: false,
        refs,
    };
    if value.serialize(&mut hasher).is_err() {
        hasher.tag(tag::FAILED);
    }
    hasher.xx.digest()
}

/// The byte that starts each part. Changing one changes every fingerprint.
mod tag {
    pub const NONE: u8 = 0;
    pub const SOME: u8 = 1;
    pub const UNIT: u8 = 2;
    pub const BOOL: u8 = 3;
    pub const I64: u8 = 4;
    pub const U64: u8 = 5;
    pub const I128: u8 = 6;
    pub const U128: u8 = 7;
    pub const F64: u8 = 8;
    pub const CHAR: u8 = 9;
    pub const STR: u8 = 10;
    pub const BYTES: u8 = 11;
    pub const UNIT_STRUCT: u8 = 12;
    pub const UNIT_VARIANT: u8 = 13;
    pub const NEWTYPE: u8 = 14;
    pub const NEWTYPE_VARIANT: u8 = 15;
    pub const SEQ: u8 = 16;
    pub const TUPLE: u8 = 17;
    pub const TUPLE_STRUCT: u8 = 18;
    pub const TUPLE_VARIANT: u8 = 19;
    pub const MAP: u8 = 20;
    pub const STRUCT: u8 = 21;
    pub const STRUCT_VARIANT: u8 = 22;
    pub const FIELD: u8 = 23;
    pub const END: u8 = 24;
    pub const FAILED: u8 = 25;
}

/// Ends every string: a byte UTF-8 never holds, so a string needs no length before it, and one
/// made by `collect_str` is hashed as it is written, with no `String`.
const STR_END: u8 = 0xff;

struct Hasher<'r> {
    xx: Xxh3,
    /// The next `u128` is a shared view's marker: its hash is hashed, its slot recorded.
    in_shared: bool,
    refs: Option<&'r mut Vec<Slot>>,
}

impl Hasher<'_> {
    fn tag(&mut self, tag: u8) {
        self.xx.update(&[tag]);
    }

    /// A tag and up to 16 bytes, in one update.
    fn fixed(&mut self, tag: u8, bytes: &[u8]) {
        let mut buf = [0; 17];
        buf[0] = tag;
        buf[1..=bytes.len()].copy_from_slice(bytes);
        self.xx.update(&buf[..=bytes.len()]);
    }

    /// A name or string, ended by `STR_END`.
    fn text(&mut self, s: &str) {
        self.xx.update(s.as_bytes());
        self.xx.update(&[STR_END]);
    }

    fn tag_names(&mut self, tag: u8, names: &[&str]) {
        self.tag(tag);
        names.iter().for_each(|name| self.text(name));
    }
}

impl fmt::Write for Hasher<'_> {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        self.xx.update(s.as_bytes());
        Ok(())
    }
}

/// Serialization failed; the message is dropped, as only the hash is wanted.
#[derive(Debug)]
struct Failed;

impl fmt::Display for Failed {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("serialization failed")
    }
}

impl std::error::Error for Failed {}

impl ser::Error for Failed {
    fn custom<T: fmt::Display>(_: T) -> Self {
        Failed
    }
}

macro_rules! ints {
    ($($method:ident($t:ty) => $tag:ident as $wide:ty),* $(,)?) => {
        $(fn $method(self, v: $t) -> Result<(), Failed> {
            self.fixed(tag::$tag, &<$wide>::from(v).to_le_bytes());
            Ok(())
        })*
    };
}

// `is_human_readable` stays true, as for tera's serializer: types such as dates then hash the
// form templates get.
impl ser::Serializer for &mut Hasher<'_> {
    type Ok = ();
    type Error = Failed;
    type SerializeSeq = Self;
    type SerializeTuple = Self;
    type SerializeTupleStruct = Self;
    type SerializeTupleVariant = Self;
    type SerializeMap = Self;
    type SerializeStruct = Self;
    type SerializeStructVariant = Self;

    // Widened as tera widens them: a field's width changing does not change what is shown.
    ints! {
        serialize_i8(i8) => I64 as i64, serialize_i16(i16) => I64 as i64,
        serialize_i32(i32) => I64 as i64, serialize_i64(i64) => I64 as i64,
        serialize_i128(i128) => I128 as i128, serialize_u8(u8) => U64 as u64,
        serialize_u16(u16) => U64 as u64, serialize_u32(u32) => U64 as u64,
        serialize_u64(u64) => U64 as u64,
        serialize_f32(f32) => F64 as f64, serialize_f64(f64) => F64 as f64,
        serialize_char(char) => CHAR as u32,
    }
    fn serialize_u128(self, v: u128) -> Result<(), Failed> {
        if std::mem::take(&mut self.in_shared) {
            let (hash, slot) = ((v >> 64) as u64, v as u64);
            if let (Some(refs), Some(slot)) = (self.refs.as_deref_mut(), Slot::unpack(slot)) {
                refs.push(slot);
            }
            self.fixed(tag::U64, &hash.to_le_bytes());
        } else {
            self.fixed(tag::U128, &v.to_le_bytes());
        }
        Ok(())
    }
    fn serialize_bool(self, v: bool) -> Result<(), Failed> {
        self.fixed(tag::BOOL, &[u8::from(v)]);
        Ok(())
    }
    fn serialize_str(self, v: &str) -> Result<(), Failed> {
        self.tag(tag::STR);
        self.text(v);
        Ok(())
    }
    fn collect_str<T: fmt::Display + ?Sized>(self, v: &T) -> Result<(), Failed> {
        self.tag(tag::STR);
        fmt::write(&mut *self, format_args!("{v}")).map_err(|_| Failed)?;
        self.xx.update(&[STR_END]);
        Ok(())
    }
    fn serialize_bytes(self, v: &[u8]) -> Result<(), Failed> {
        // Any byte may be in bytes, so they have a length before them instead.
        self.fixed(tag::BYTES, &(v.len() as u64).to_le_bytes());
        self.xx.update(v);
        Ok(())
    }
    fn serialize_none(self) -> Result<(), Failed> {
        self.tag(tag::NONE);
        Ok(())
    }
    fn serialize_some<T: Serialize + ?Sized>(self, v: &T) -> Result<(), Failed> {
        self.tag(tag::SOME);
        v.serialize(self)
    }
    fn serialize_unit(self) -> Result<(), Failed> {
        self.tag(tag::UNIT);
        Ok(())
    }
    fn serialize_unit_struct(self, name: &'static str) -> Result<(), Failed> {
        self.tag_names(tag::UNIT_STRUCT, &[name]);
        Ok(())
    }
    // Variants by name, not index: templates see names, and reordering them shows nothing new.
    fn serialize_unit_variant(
        self,
        name: &'static str,
        _: u32,
        variant: &'static str,
    ) -> Result<(), Failed> {
        self.tag_names(tag::UNIT_VARIANT, &[name, variant]);
        Ok(())
    }
    // The name is what makes a shared view's marker differ from a bare `u64`.
    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        name: &'static str,
        v: &T,
    ) -> Result<(), Failed> {
        self.tag_names(tag::NEWTYPE, &[name]);
        self.in_shared = name == SHARED_MARKER;
        let r = v.serialize(&mut *self);
        self.in_shared = false;
        r
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        name: &'static str,
        _: u32,
        variant: &'static str,
        v: &T,
    ) -> Result<(), Failed> {
        self.tag_names(tag::NEWTYPE_VARIANT, &[name, variant]);
        v.serialize(self)
    }

    // Compounds are closed by `END`, never counted, so a length serde does not know (a
    // filtered iterator's) hashes as one it knows.
    fn serialize_seq(self, _: Option<usize>) -> Result<Self, Failed> {
        self.tag(tag::SEQ);
        Ok(self)
    }
    fn serialize_tuple(self, _: usize) -> Result<Self, Failed> {
        self.tag(tag::TUPLE);
        Ok(self)
    }
    fn serialize_tuple_struct(self, name: &'static str, _: usize) -> Result<Self, Failed> {
        self.tag_names(tag::TUPLE_STRUCT, &[name]);
        Ok(self)
    }
    fn serialize_tuple_variant(
        self,
        name: &'static str,
        _: u32,
        variant: &'static str,
        _: usize,
    ) -> Result<Self, Failed> {
        self.tag_names(tag::TUPLE_VARIANT, &[name, variant]);
        Ok(self)
    }
    fn serialize_map(self, _: Option<usize>) -> Result<Self, Failed> {
        self.tag(tag::MAP);
        Ok(self)
    }
    fn serialize_struct(self, name: &'static str, _: usize) -> Result<Self, Failed> {
        self.tag_names(tag::STRUCT, &[name]);
        Ok(self)
    }
    fn serialize_struct_variant(
        self,
        name: &'static str,
        _: u32,
        variant: &'static str,
        _: usize,
    ) -> Result<Self, Failed> {
        self.tag_names(tag::STRUCT_VARIANT, &[name, variant]);
        Ok(self)
    }
}

/// Elements, keys and values: each starts with its own tag, so none can be taken for `END`.
macro_rules! elements {
    ($($trait:ident::$method:ident),*) => {
        $(impl ser::$trait for &mut Hasher<'_> {
            type Ok = ();
            type Error = Failed;
            fn $method<T: Serialize + ?Sized>(&mut self, v: &T) -> Result<(), Failed> {
                v.serialize(&mut **self)
            }
            fn end(self) -> Result<(), Failed> {
                self.tag(tag::END);
                Ok(())
            }
        })*
    };
}
elements!(
    SerializeSeq::serialize_element,
    SerializeTuple::serialize_element,
    SerializeTupleStruct::serialize_field,
    SerializeTupleVariant::serialize_field
);

impl ser::SerializeMap for &mut Hasher<'_> {
    type Ok = ();
    type Error = Failed;
    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> Result<(), Failed> {
        key.serialize(&mut **self)
    }
    fn serialize_value<T: Serialize + ?Sized>(&mut self, v: &T) -> Result<(), Failed> {
        v.serialize(&mut **self)
    }
    fn end(self) -> Result<(), Failed> {
        self.tag(tag::END);
        Ok(())
    }
}

/// Each field is its name, then its value; a skipped field is not hashed, as it is not shown.
macro_rules! fields {
    ($($trait:ident),*) => {
        $(impl ser::$trait for &mut Hasher<'_> {
            type Ok = ();
            type Error = Failed;
            fn serialize_field<T: Serialize + ?Sized>(
                &mut self,
                key: &'static str,
                v: &T,
            ) -> Result<(), Failed> {
                self.tag_names(tag::FIELD, &[key]);
                v.serialize(&mut **self)
            }
            fn end(self) -> Result<(), Failed> {
                self.tag(tag::END);
                Ok(())
            }
        })*
    };
}
fields!(SerializeStruct, SerializeStructVariant);

#[cfg(test)]
mod tests;
