//! Template values made from views: a serde serializer that builds a `tera::Value` as
//! `Value::from_serializable` would, except that a shared view's marker becomes the value made
//! once for it, and marked HTML becomes a safe (unescaped) string.

use std::fmt;
use std::sync::Arc;

use serde::ser::{self, Serialize};
use tera::value::{Key, ValueKind};
use tera::{Context, Map, Value};

use crate::view::{HTML_MARKER, SCRIPT_JSON_MARKER, SHARED_MARKER, Slot};

/// Where the values of shared views come from, by the slot their markers name.
pub trait SharedLookup: Sync {
    fn value(&self, slot: Slot) -> Option<Value>;
}

/// Why a view could not become a template value: a bug in a view, never the user's input.
#[derive(Debug)]
pub struct ValueError(String);

impl fmt::Display for ValueError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for ValueError {}

impl ser::Error for ValueError {
    fn custom<T: fmt::Display>(msg: T) -> Self {
        ValueError(msg.to_string())
    }
}

/// The template value of `value`, its shared views' markers replaced by their `shared` values.
pub fn to_value<T: Serialize + ?Sized>(
    value: &T,
    shared: &dyn SharedLookup,
) -> Result<Value, ValueError> {
    value.serialize(ValueSerializer { shared })
}

/// A page's template context: the fields of its view, as top-level variables.
pub fn to_context<T: Serialize + ?Sized>(
    value: &T,
    shared: &dyn SharedLookup,
) -> Result<Context, ValueError> {
    let value = to_value(value, shared)?;
    let kind = value.name();
    let map = value
        .into_map()
        .ok_or_else(|| ValueError(format!("a page's view must be a struct or map, not {kind}")))?;
    let mut context = Context::new();
    for (key, value) in map {
        match key {
            // Borrowed, where `Context::from_serialize` would copy every name.
            Key::Str(name) => context.insert_value(name, value),
            key => context.insert_value(key.to_string(), value),
        }
    }
    Ok(context)
}

#[derive(Clone, Copy)]
struct ValueSerializer<'s> {
    shared: &'s dyn SharedLookup,
}

/// `{variant: value}`, as tera makes a variant with data.
fn variant(name: &'static str, value: Value) -> Value {
    let mut map = Map::with_capacity(1);
    map.insert(Key::Str(name), value);
    Value::from(map)
}

/// Calls `f` with `value` formatted, on the stack when short (dates, numbers), so that
/// `collect_str` does not allocate a `String` for them as serde's default does.
fn with_display<R>(value: &(impl fmt::Display + ?Sized), f: impl FnOnce(&str) -> R) -> R {
    struct Buf {
        bytes: [u8; 128],
        len: usize,
    }
    impl fmt::Write for Buf {
        fn write_str(&mut self, s: &str) -> fmt::Result {
            let end = self.len + s.len();
            let room = self.bytes.get_mut(self.len..end).ok_or(fmt::Error)?;
            room.copy_from_slice(s.as_bytes());
            self.len = end;
            Ok(())
        }
    }
    let mut buf = Buf {
        bytes: [0; 128],
        len: 0,
    };
    if fmt::write(&mut buf, format_args!("{value}")).is_ok() {
        // Whole `str`s were copied in, so this cannot fail.
        f(std::str::from_utf8(&buf.bytes[..buf.len]).expect("UTF-8"))
    } else {
        f(&value.to_string())
    }
}

/// Numbers, booleans and strings, as tera's `From` impls make them.
macro_rules! scalars {
    ($($method:ident($t:ty)),* $(,)?) => {
        $(fn $method(self, v: $t) -> Result<Value, ValueError> {
            Ok(Value::from(v))
        })*
    };
}

impl<'s> ser::Serializer for ValueSerializer<'s> {
    type Ok = Value;
    type Error = ValueError;
    type SerializeSeq = Seq<'s>;
    type SerializeTuple = Seq<'s>;
    type SerializeTupleStruct = Seq<'s>;
    type SerializeTupleVariant = Seq<'s>;
    type SerializeMap = Entries<'s>;
    type SerializeStruct = Fields<'s>;
    type SerializeStructVariant = Fields<'s>;

    scalars! {
        serialize_bool(bool), serialize_i8(i8), serialize_i16(i16), serialize_i32(i32),
        serialize_i64(i64), serialize_i128(i128), serialize_u8(u8), serialize_u16(u16),
        serialize_u32(u32), serialize_u64(u64), serialize_u128(u128), serialize_f32(f32),
        serialize_f64(f64), serialize_char(char), serialize_str(&str),
    }
    fn collect_str<T: fmt::Display + ?Sized>(self, v: &T) -> Result<Value, ValueError> {
        Ok(with_display(v, |s| Value::from(s)))
    }
    fn serialize_bytes(self, v: &[u8]) -> Result<Value, ValueError> {
        Ok(Value::bytes(v))
    }
    fn serialize_none(self) -> Result<Value, ValueError> {
        Ok(Value::none())
    }
    fn serialize_some<T: Serialize + ?Sized>(self, v: &T) -> Result<Value, ValueError> {
        v.serialize(self)
    }
    fn serialize_unit(self) -> Result<Value, ValueError> {
        Ok(Value::none())
    }
    fn serialize_unit_struct(self, _: &'static str) -> Result<Value, ValueError> {
        Ok(Value::none())
    }
    fn serialize_unit_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
    ) -> Result<Value, ValueError> {
        Ok(Value::from(variant))
    }

    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        name: &'static str,
        v: &T,
    ) -> Result<Value, ValueError> {
        if name == SCRIPT_JSON_MARKER {
            let json = serde_json::to_string_pretty(v).map_err(|e| ValueError(e.to_string()))?;
            return Ok(Value::safe_string(&escape_for_script(&json)));
        }
        let inner = v.serialize(self)?;
        if name == SHARED_MARKER {
            let slot = inner
                .as_u128()
                .and_then(|packed| Slot::unpack(packed as u64));
            let Some(slot) = slot else {
                return Err(ValueError(format!(
                    "{SHARED_MARKER} wraps {inner:?}, not a shared view's marker"
                )));
            };
            return self.shared.value(slot).ok_or_else(|| {
                ValueError(format!("no value was made for the shared view {slot:?}"))
            });
        }
        if name == HTML_MARKER {
            if !inner.is_string() {
                return Err(ValueError(format!(
                    "{HTML_MARKER} wraps {inner:?}, not a string"
                )));
            }
            // Keeps the string already made: no second copy.
            return Ok(inner.mark_safe());
        }
        Ok(inner)
    }

    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        _: u32,
        name: &'static str,
        v: &T,
    ) -> Result<Value, ValueError> {
        Ok(variant(name, v.serialize(self)?))
    }

    fn serialize_seq(self, len: Option<usize>) -> Result<Seq<'s>, ValueError> {
        Ok(Seq::new(self, None, len.unwrap_or(0)))
    }
    fn serialize_tuple(self, len: usize) -> Result<Seq<'s>, ValueError> {
        Ok(Seq::new(self, None, len))
    }
    fn serialize_tuple_struct(self, _: &'static str, len: usize) -> Result<Seq<'s>, ValueError> {
        Ok(Seq::new(self, None, len))
    }
    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        name: &'static str,
        len: usize,
    ) -> Result<Seq<'s>, ValueError> {
        Ok(Seq::new(self, Some(name), len))
    }

    fn serialize_map(self, len: Option<usize>) -> Result<Entries<'s>, ValueError> {
        Ok(Entries {
            ser: self,
            map: Map::with_capacity(len.unwrap_or(0)),
            key: None,
        })
    }
    fn serialize_struct(self, _: &'static str, len: usize) -> Result<Fields<'s>, ValueError> {
        Ok(Fields::new(self, None, len))
    }
    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        name: &'static str,
        len: usize,
    ) -> Result<Fields<'s>, ValueError> {
        Ok(Fields::new(self, Some(name), len))
    }
}

/// An array being made; in a variant, wrapped as `{variant: [...]}` at the end.
pub struct Seq<'s> {
    ser: ValueSerializer<'s>,
    variant: Option<&'static str>,
    items: Vec<Value>,
}

impl<'s> Seq<'s> {
    fn new(ser: ValueSerializer<'s>, variant: Option<&'static str>, len: usize) -> Self {
        let items = Vec::with_capacity(len);
        Seq {
            ser,
            variant,
            items,
        }
    }

    fn push<T: Serialize + ?Sized>(&mut self, v: &T) -> Result<(), ValueError> {
        self.items.push(v.serialize(self.ser)?);
        Ok(())
    }

    fn finish(self) -> Result<Value, ValueError> {
        // `From<Vec<Value>>` maps in place: the vector is kept, not copied.
        let array = Value::from(self.items);
        Ok(match self.variant {
            Some(name) => variant(name, array),
            None => array,
        })
    }
}

macro_rules! seq_impl {
    ($trait:ident, $method:ident) => {
        impl ser::$trait for Seq<'_> {
            type Ok = Value;
            type Error = ValueError;
            fn $method<T: Serialize + ?Sized>(&mut self, v: &T) -> Result<(), ValueError> {
                self.push(v)
            }
            fn end(self) -> Result<Value, ValueError> {
                self.finish()
            }
        }
    };
}
seq_impl!(SerializeSeq, serialize_element);
seq_impl!(SerializeTuple, serialize_element);
seq_impl!(SerializeTupleStruct, serialize_field);
seq_impl!(SerializeTupleVariant, serialize_field);

/// A struct's map being made, its field names as static keys, in declaration order.
pub struct Fields<'s> {
    ser: ValueSerializer<'s>,
    variant: Option<&'static str>,
    map: Map,
}

impl<'s> Fields<'s> {
    fn new(ser: ValueSerializer<'s>, variant: Option<&'static str>, len: usize) -> Self {
        let map = Map::with_capacity(len);
        Fields { ser, variant, map }
    }
}

macro_rules! fields_impl {
    ($trait:ident) => {
        impl ser::$trait for Fields<'_> {
            type Ok = Value;
            type Error = ValueError;
            fn serialize_field<T: Serialize + ?Sized>(
                &mut self,
                key: &'static str,
                v: &T,
            ) -> Result<(), ValueError> {
                self.map.insert(Key::Str(key), v.serialize(self.ser)?);
                Ok(())
            }
            fn end(self) -> Result<Value, ValueError> {
                let map = Value::from(self.map);
                Ok(match self.variant {
                    Some(name) => variant(name, map),
                    None => map,
                })
            }
        }
    };
}
fields_impl!(SerializeStruct);
fields_impl!(SerializeStructVariant);

/// A map key as tera makes it: strings, integers and booleans only. Views' maps are few, so
/// a key is made as a value first rather than by a serializer of its own.
fn to_key(key: Value) -> Result<Key<'static>, ValueError> {
    let key = match key.kind() {
        ValueKind::String => key.as_str().map(|s| Key::String(Arc::from(s))),
        ValueKind::Bool => key.as_bool().map(Key::Bool),
        ValueKind::U64 => key.as_u64().map(Key::U64),
        ValueKind::I64 => key.as_i64().map(Key::I64),
        ValueKind::U128 => key.as_u128().map(Key::U128),
        ValueKind::I128 => key.as_i128().map(Key::I128),
        _ => None,
    };
    key.ok_or_else(|| ValueError("map key must be string, integer, or bool".into()))
}

/// A map being made, in the order its entries come.
pub struct Entries<'s> {
    ser: ValueSerializer<'s>,
    map: Map,
    key: Option<Key<'static>>,
}

impl ser::SerializeMap for Entries<'_> {
    type Ok = Value;
    type Error = ValueError;

    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> Result<(), ValueError> {
        self.key = Some(to_key(key.serialize(self.ser)?)?);
        Ok(())
    }

    fn serialize_value<T: Serialize + ?Sized>(&mut self, v: &T) -> Result<(), ValueError> {
        let key = self
            .key
            .take()
            .ok_or_else(|| ValueError("a map value came before its key".into()))?;
        self.map.insert(key, v.serialize(self.ser)?);
        Ok(())
    }

    fn end(self) -> Result<Value, ValueError> {
        Ok(Value::from(self.map))
    }
}

#[cfg(test)]
mod tests;

/// `<`, `>` and `&` as JSON escapes, so no text can close the script element.
fn escape_for_script(json: &str) -> String {
    json.replace('<', "\\u003c")
        .replace('>', "\\u003e")
        .replace('&', "\\u0026")
}
