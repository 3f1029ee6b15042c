//! Template values made once from the library and shared by every page that shows them:
//! a story's value is built once and each listing holds a cheap reference to it.

use chrono::{DateTime, Datelike, FixedOffset};
use tera::value::Key;
use tera::{Map, Value};

use crate::config::Config;
use crate::library::{Library, Section, Story, Term};
use crate::slug::encode_path;

/// Builds a template object field by field.
#[derive(Default, Clone)]
pub struct Obj(Map);

impl Obj {
    pub fn new() -> Self {
        Obj(Map::default())
    }

    pub fn set(mut self, key: &'static str, value: impl Into<Value>) -> Self {
        self.0.insert(Key::Str(key), value.into());
        self
    }

    pub fn build(self) -> Value {
        Value::from(self.0)
    }
}

pub fn opt_str(s: &Option<String>) -> Value {
    Value::from(s.as_deref().unwrap_or(""))
}

/// URLs for one site path (`/world/`): host-relative and absolute, percent-encoded.
pub struct Address {
    pub url: String,
    pub permalink: String,
}

impl Address {
    pub fn new(config: &Config, path: &str) -> Address {
        let encoded = encode_path(path);
        Address {
            url: config.url(&encoded),
            permalink: config.absolute(&encoded),
        }
    }
}

pub fn rfc3339(dt: &DateTime<FixedOffset>) -> String {
    dt.to_rfc3339_opts(chrono::SecondsFormat::Secs, false)
}

/// RFC 822 as feeds want it: two-digit day, numeric zone.
pub fn rfc822(dt: &DateTime<FixedOffset>) -> String {
    dt.format("%a, %d %b %Y %H:%M:%S %z").to_string()
}

/// Where listings of a section, tag or author live.
pub fn section_path(slug: &str) -> String {
    format!("/{slug}/")
}
pub fn tag_path(slug: &str) -> String {
    format!("/tags/{slug}/")
}
pub fn author_path(slug: &str) -> String {
    format!("/authors/{slug}/")
}
pub fn day_path(d: chrono::NaiveDate) -> String {
    d.format("/%Y/%m/%d/").to_string()
}

pub fn section_value(config: &Config, s: &Section) -> Value {
    let a = Address::new(config, &section_path(&s.slug));
    Obj::new()
        .set("slug", s.slug.as_str())
        .set("name", s.name.as_str())
        .set(
            "feed_url",
            config.absolute(&format!("{}rss.xml", encode_path(&section_path(&s.slug)))),
        )
        .set("count", s.stories.len())
        .set("url", a.url)
        .set("permalink", a.permalink)
        .build()
}

pub fn term_value(config: &Config, t: &Term, path: &str, with_feed: bool) -> Value {
    let a = Address::new(config, path);
    let mut o = Obj::new()
        .set("name", t.name.as_str())
        .set("slug", t.slug.as_str())
        .set("count", t.stories.len())
        .set("url", a.url)
        .set("permalink", a.permalink);
    if with_feed {
        o = o.set(
            "feed_url",
            config.absolute(&format!("{}rss.xml", encode_path(path))),
        );
    }
    o.build()
}

/// Values every story points into: its section's, its tags' and its authors' objects are made
/// once and shared, not copied into each story.
pub struct Common {
    pub sections: Vec<Value>,
    pub tags: Vec<Value>,
    pub authors: Vec<Value>,
    date_format: Vec<chrono::format::Item<'static>>,
}

impl Common {
    pub fn new(config: &Config, library: &Library) -> Common {
        let terms = |all: &[Term], path: fn(&str) -> String| -> Vec<Value> {
            all.iter()
                .map(|t| term_value(config, t, &path(&t.slug), false))
                .collect()
        };
        Common {
            sections: library
                .sections
                .iter()
                .map(|s| section_value(config, s))
                .collect(),
            tags: terms(&library.tags, tag_path),
            authors: terms(&library.authors, author_path),
            // Parsed once: formatting from the pattern string re-parses it every time.
            date_format: chrono::format::StrftimeItems::new(&config.date_format)
                .parse_to_owned()
                .unwrap_or_default(),
        }
    }

    fn date(&self, d: &DateTime<chrono_tz::Tz>) -> String {
        d.format_with_items(self.date_format.iter()).to_string()
    }
}

/// Everything the site's templates may need to know of one story.
pub fn story_value(config: &Config, common: &Common, story: &Story) -> Value {
    let e = &story.entry;
    let f = &e.front;
    let tz = config.timezone;
    let address = Address::new(config, &e.path);
    let local = e.date.with_timezone(&tz);
    let updated_local = e.updated.map(|u| u.with_timezone(&tz));
    let (image, image_url) = match f.image.as_deref() {
        Some(img) if img.starts_with("http://") || img.starts_with("https://") => {
            (img.to_string(), img.to_string())
        }
        Some(img) => {
            // A relative image sits beside the story and is copied into its folder.
            let path = if img.starts_with('/') {
                img.to_string()
            } else {
                format!("{}{}", e.path, img.trim_start_matches("./"))
            };
            let a = Address::new(config, &path);
            (a.permalink, a.url)
        }
        None => (String::new(), String::new()),
    };
    let (width, height) = story.image_size.unwrap_or((0, 0));
    let terms = |ids: &[usize], all: &[Value]| -> Value {
        Value::from(ids.iter().map(|&i| all[i].clone()).collect::<Vec<_>>())
    };
    Obj::new()
        .set("title", f.title.as_str())
        .set("subtitle", opt_str(&f.subtitle))
        .set("slug", e.slug.as_str())
        .set("url", address.url)
        .set("permalink", address.permalink)
        .set("section", common.sections[story.section].clone())
        .set("date", rfc3339(&local.fixed_offset()))
        .set("date_display", common.date(&local))
        .set("time_display", local.format("%H:%M").to_string())
        .set("date_rfc822", rfc822(&e.date))
        .set(
            "updated",
            updated_local
                .map(|u| rfc3339(&u.fixed_offset()))
                .unwrap_or_default(),
        )
        .set(
            "updated_display",
            updated_local.map(|u| common.date(&u)).unwrap_or_default(),
        )
        .set(
            "updated_time_display",
            updated_local
                .map(|u| u.format("%H:%M").to_string())
                .unwrap_or_default(),
        )
        .set(
            "updated_rfc822",
            e.updated.map(|u| u.to_rfc2822()).unwrap_or_default(),
        )
        .set("year", e.local_date.year())
        .set("month", e.local_date.month())
        .set("day", e.local_date.day())
        .set("day_url", Address::new(config, &day_path(e.local_date)).url)
        .set("tags", terms(&story.tags, &common.tags))
        .set("authors", terms(&story.authors, &common.authors))
        .set("dateline", opt_str(&f.dateline))
        .set(
            "sources",
            Value::from(
                f.sources
                    .iter()
                    .map(|s| Value::from(s.as_str()))
                    .collect::<Vec<_>>(),
            ),
        )
        .set("image", image)
        .set("image_url", image_url)
        .set("image_width", width)
        .set("image_height", height)
        .set("image_alt", opt_str(&f.image_alt))
        .set("image_caption", opt_str(&f.image_caption))
        .set("image_credit", opt_str(&f.image_credit))
        .set("summary", story.summary.clone())
        .set("summary_text", story.summary_text.clone())
        .set("content", story.content.clone())
        .set("word_count", story.word_count)
        .set("reading_time", story.reading_time)
        .set("featured", f.featured)
        .set("draft", f.draft)
        .set(
            "extra",
            f.extra
                .as_ref()
                .map(Value::from_serializable)
                .unwrap_or_else(|| Obj::new().build()),
        )
        .build()
}
