use std::collections::BTreeMap;
use std::collections::HashMap;
use std::fmt;

use serde::Serialize;
use serde::ser::{SerializeMap, Serializer};
use tera::{Tera, Value};

use super::*;
use crate::view::Shared;

/// A shared view's marker for story `n`.
fn marker(n: u32) -> Shared {
    crate::view::Shared {
        hash: 0x1000 + u64::from(n),
        slot: Slot::Story(n),
    }
}

/// HTML to be shown unescaped, as views will mark it.
struct Html<'a>(&'a str);

impl Serialize for Html<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_newtype_struct(HTML_MARKER, self.0)
    }
}

#[derive(Serialize)]
struct Author<'a> {
    name: &'a str,
}

#[derive(Serialize)]
struct Page<'a> {
    title: &'a str,
    body: Html<'a>,
    count: u32,
    ratio: f64,
    draft: bool,
    tags: Vec<&'a str>,
    author: Option<Author<'a>>,
    editor: Option<Author<'a>>,
    byline: Author<'a>,
}

fn render(template: &str, view: &impl Serialize, shared: &SharedValues) -> String {
    let mut tera = Tera::default();
    tera.add_raw_template("page.html", template).unwrap();
    tera.render("page.html", &to_context(view, shared).unwrap())
        .unwrap()
}

#[test]
fn a_view_renders_escaped_but_for_its_html() {
    let page = Page {
        title: "<&>",
        body: Html("<p>A &amp; B</p>"),
        count: 3,
        ratio: 0.5,
        draft: false,
        tags: vec!["a", "b"],
        author: Some(Author { name: "Ann" }),
        editor: None,
        byline: Author { name: "Bo<b>" },
    };
    let template = "{{ title }}|{{ body }}|{{ count }}|{{ ratio }}|{{ draft }}|\
        {% for t in tags %}{{ t }},{% endfor %}|{{ author.name }}|\
        {% if editor %}editor{% else %}none{% endif %}|{{ editor }}|{{ byline.name }}";
    assert_eq!(
        render(template, &page, &SharedValues::new()),
        "&lt;&amp;&gt;|<p>A &amp; B</p>|3|0.5|false|a,b,|Ann|none||Bo&lt;b&gt;"
    );
}

#[test]
fn a_shared_view_is_the_value_made_for_it() {
    #[derive(Serialize)]
    struct Story<'a> {
        title: &'a str,
        html: Html<'a>,
    }
    #[derive(Serialize)]
    struct Front {
        lead: Shared,
        more: Vec<Shared>,
    }
    let story = Story {
        title: "Rain & snow",
        html: Html("<em>cold</em>"),
    };
    let mut shared = SharedValues::new();
    assert!(shared.is_empty());
    let value = to_value(&story, &shared).unwrap();
    shared.insert(42, value.clone());
    assert_eq!(shared.len(), 1);

    let front = Front {
        lead: marker(42),
        more: vec![marker(42), marker(42)],
    };
    let made = to_value(&front, &shared).unwrap();
    // The same map, not a copy of it.
    let lead = made.as_map().unwrap().get(&Key::Str("lead")).unwrap();
    assert!(std::ptr::eq(
        lead.as_map().unwrap(),
        value.as_map().unwrap()
    ));

    let template = "{{ lead.title }} {{ lead.html }}{% for s in more %} {{ s.title }}{% endfor %}";
    assert_eq!(
        render(template, &front, &shared),
        "Rain &amp; snow <em>cold</em> Rain &amp; snow Rain &amp; snow"
    );
}

#[test]
fn a_missing_shared_value_is_an_error_naming_its_slot() {
    let err = to_value(&vec![marker(48879)], &SharedValues::new()).unwrap_err();
    assert!(err.to_string().contains("Story(48879)"), "{err}");
}

#[test]
fn markers_around_the_wrong_kind_are_errors() {
    struct BadHtml;
    impl Serialize for BadHtml {
        fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
            s.serialize_newtype_struct(HTML_MARKER, &7u8)
        }
    }
    struct BadShared;
    impl Serialize for BadShared {
        fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
            s.serialize_newtype_struct(SHARED_MARKER, "42")
        }
    }
    let shared = SharedValues::new();
    assert!(to_value(&BadHtml, &shared).is_err());
    assert!(to_value(&BadShared, &shared).is_err());
    assert!(to_context(&[1, 2], &shared).is_err());
}

/// A map that serializes its entries in the order given, as an ordered map would.
struct Ordered(Vec<(&'static str, i32)>);

impl Serialize for Ordered {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        // Unknown length, as a filtered iterator gives.
        let mut map = s.serialize_map(None)?;
        for (k, v) in &self.0 {
            map.serialize_entry(k, v)?;
        }
        map.end()
    }
}

#[test]
fn fields_and_entries_keep_their_order() {
    #[derive(Serialize)]
    struct View {
        zeta: u8,
        alpha: u8,
        map: Ordered,
    }
    let view = View {
        zeta: 1,
        alpha: 2,
        map: Ordered(vec![("z", 1), ("a", 2), ("m", 3)]),
    };
    let value = to_value(&view, &SharedValues::new()).unwrap();
    let fields = value.as_map().unwrap();
    let names: Vec<_> = fields.keys().map(|k| k.as_str().unwrap()).collect();
    assert_eq!(names, ["zeta", "alpha", "map"]);
    // Field names are borrowed, as tera makes them.
    assert!(fields.keys().all(|k| matches!(k, Key::Str(_))));

    let template = "{% for k, v in map %}{{ k }}={{ v }} {% endfor %}";
    assert_eq!(
        render(template, &view, &SharedValues::new()),
        "z=1 a=2 m=3 "
    );
}

/// `a` and `b` are alike, down to each string's safety and each map's order.
fn assert_same(a: &Value, b: &Value) {
    assert_eq!(a, b);
    assert_eq!(a.kind(), b.kind(), "{a:?}");
    assert_eq!(a.is_safe(), b.is_safe(), "{a:?}");
    if let (Some(x), Some(y)) = (a.as_array(), b.as_array()) {
        x.iter().zip(y).for_each(|(x, y)| assert_same(x, y));
    }
    if let (Some(x), Some(y)) = (a.as_map(), b.as_map()) {
        assert!(x.keys().eq(y.keys()), "{a:?}");
        x.values()
            .zip(y.values())
            .for_each(|(x, y)| assert_same(x, y));
    }
}

#[derive(Serialize)]
struct UnitStruct;

#[derive(Serialize)]
struct Wrapper(&'static str);

#[derive(Serialize)]
struct Pair(i8, &'static str);

#[derive(Serialize, PartialEq, Eq, PartialOrd, Ord)]
enum Kind {
    Plain,
    Newtype(u16),
    Tuple(i32, bool),
    Struct { a: u8, b: Option<&'static str> },
}

/// Displays as a long string, through `collect_str`.
struct Long;

impl fmt::Display for Long {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        (0..100).try_for_each(|i| write!(f, "{i},"))
    }
}

struct ByDisplay<T>(T);

impl<T: fmt::Display> Serialize for ByDisplay<T> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(&self.0)
    }
}

#[derive(Serialize)]
struct Everything {
    unit: (),
    unit_struct: UnitStruct,
    none: Option<u8>,
    some: Option<&'static str>,
    chars: (char, char),
    bytes: &'static serde_bytes_like::Bytes,
    ints: (i8, i16, i32, i64, i128, u8, u16, u32, u64, u128),
    floats: (f32, f64),
    long: &'static str,
    wrapper: Wrapper,
    pair: Pair,
    kinds: Vec<Kind>,
    by_int: BTreeMap<i64, bool>,
    by_bool: BTreeMap<bool, u8>,
    by_kind: BTreeMap<Kind, u8>,
    by_char: BTreeMap<char, u8>,
    ordered: Ordered,
    short_display: ByDisplay<f64>,
    long_display: ByDisplay<Long>,
    empty: Vec<u8>,
}

/// Bytes that serialize with `serialize_bytes`, as `serde_bytes` would.
mod serde_bytes_like {
    pub struct Bytes(pub [u8; 3]);

    impl serde::Serialize for Bytes {
        fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
            s.serialize_bytes(&self.0)
        }
    }
}

#[test]
fn without_markers_the_value_is_teras_own() {
    static BYTES: serde_bytes_like::Bytes = serde_bytes_like::Bytes([0, 159, 255]);
    let everything = Everything {
        unit: (),
        unit_struct: UnitStruct,
        none: None,
        some: Some("x"),
        chars: ('é', '<'),
        bytes: &BYTES,
        ints: (-1, -2, -3, -4, i128::MIN, 1, 2, 3, u64::MAX, u128::MAX),
        floats: (0.1, -2.5e300),
        long: "a string longer than twenty-one bytes, kept out of line",
        wrapper: Wrapper("inside"),
        pair: Pair(-8, "two"),
        kinds: vec![
            Kind::Plain,
            Kind::Newtype(7),
            Kind::Tuple(-1, true),
            Kind::Struct { a: 1, b: None },
        ],
        by_int: BTreeMap::from([(-1, true), (5, false)]),
        by_bool: BTreeMap::from([(false, 0), (true, 1)]),
        by_kind: BTreeMap::from([(Kind::Plain, 1)]),
        by_char: BTreeMap::from([('c', 1)]),
        ordered: Ordered(vec![("b", 1), ("a", 2), ("b", 3)]),
        short_display: ByDisplay(1.5),
        long_display: ByDisplay(Long),
        empty: vec![],
    };
    let ours = to_value(&everything, &SharedValues::new()).unwrap();
    assert_same(&ours, &Value::from_serializable(&everything));
    let long = ours.as_map().unwrap().get(&Key::Str("long_display"));
    assert_eq!(long.unwrap().as_str(), Some(Long.to_string().as_str()));

    // Keys tera cannot make are refused as tera refuses them.
    let by_variant = BTreeMap::from([(Kind::Newtype(1), 1)]);
    assert!(to_value(&by_variant, &SharedValues::new()).is_err());
    assert!(Value::try_from_serializable(&by_variant).is_err());
}

#[test]
fn script_json_cannot_close_its_script_element() {
    let v = to_value(
        &crate::view::ScriptJson(serde_json::json!({"headline": "a </script> & b"})),
        &SharedValues::new(),
    )
    .unwrap();
    let text = v.as_str().unwrap();
    assert_eq!(
        text,
        "{\n  \"headline\": \"a \\u003c/script\\u003e \\u0026 b\"\n}"
    );
    let back: serde_json::Value = serde_json::from_str(text).unwrap();
    assert_eq!(back["headline"], "a </script> & b");
}

/// A plain table of shared values, as a page would see them.
#[derive(Default)]
pub struct SharedValues(HashMap<Slot, Value>);

impl SharedValues {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn insert(&mut self, n: u32, value: Value) {
        self.0.insert(Slot::Story(n), value);
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl SharedLookup for SharedValues {
    fn value(&self, slot: Slot) -> Option<Value> {
        self.0.get(&slot).cloned()
    }
}
