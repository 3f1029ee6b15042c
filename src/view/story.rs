//! The views of a story and of what stories point to: sections, tags and authors.

use chrono::{DateTime, Datelike};
use serde::{Serialize, Serializer};

use super::{Html, Shared, rfc822, rfc3339};
use crate::config::Config;
use crate::model::{Address, Section, Story, Term, day_path, section_path};
use crate::slug::encode_path;

#[derive(Serialize)]
pub struct SectionView<'a> {
    pub slug: &'a str,
    pub name: &'a str,
    pub feed_url: String,
    pub count: usize,
    pub url: String,
    pub permalink: String,
}

impl<'a> SectionView<'a> {
    pub fn new(config: &Config, s: &'a Section) -> Self {
        let path = section_path(&s.slug);
        let a = Address::new(config, &path);
        SectionView {
            slug: &s.slug,
            name: &s.name,
            feed_url: feed_url(config, &path),
            count: s.stories.len(),
            url: a.url,
            permalink: a.permalink,
        }
    }
}

/// A tag or an author; `feed_url` only where the term has a feed and the page shows it.
#[derive(Serialize)]
pub struct TermView<'a> {
    pub name: &'a str,
    pub slug: &'a str,
    pub count: usize,
    pub url: String,
    pub permalink: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub feed_url: Option<String>,
}

impl<'a> TermView<'a> {
    pub fn new(config: &Config, t: &'a Term, path: &str, with_feed: bool) -> Self {
        let a = Address::new(config, path);
        TermView {
            name: &t.name,
            slug: &t.slug,
            count: t.stories.len(),
            url: a.url,
            permalink: a.permalink,
            feed_url: with_feed.then(|| feed_url(config, path)),
        }
    }
}

/// The absolute URL of the feed of the listing at `path`.
fn feed_url(config: &Config, path: &str) -> String {
    config.absolute(&format!("{}rss.xml", encode_path(path)))
}

/// Display dates in the site's zone and format, the format parsed once.
pub struct Dates {
    items: Vec<chrono::format::Item<'static>>,
}

impl Dates {
    pub fn new(config: &Config) -> Dates {
        Dates {
            items: chrono::format::StrftimeItems::new(&config.date_format)
                .parse_to_owned()
                .unwrap_or_default(),
        }
    }

    pub fn display(&self, d: &DateTime<chrono_tz::Tz>) -> String {
        d.format_with_items(self.items.iter()).to_string()
    }
}

/// Everything the site's templates may know of one story (docs/templates.md, "A story").
#[derive(Serialize)]
pub struct StoryView<'a> {
    pub title: &'a str,
    pub subtitle: &'a str,
    pub slug: &'a str,
    pub url: &'a str,
    pub permalink: &'a str,
    pub section: Shared,
    pub date: String,
    pub date_display: String,
    pub time_display: String,
    pub date_rfc822: String,
    pub updated: String,
    pub updated_display: String,
    pub updated_time_display: String,
    pub updated_rfc822: String,
    pub year: i32,
    pub month: u32,
    pub day: u32,
    pub day_url: String,
    pub tags: Vec<Shared>,
    pub authors: Vec<Shared>,
    pub dateline: &'a str,
    pub sources: &'a [String],
    pub image: &'a str,
    pub image_url: &'a str,
    pub image_width: u32,
    pub image_height: u32,
    pub image_alt: &'a str,
    pub image_caption: &'a str,
    pub image_credit: &'a str,
    pub summary: Html<'a>,
    pub summary_text: &'a str,
    pub content: Html<'a>,
    pub word_count: usize,
    pub reading_time: usize,
    pub featured: bool,
    pub draft: bool,
    /// The story's language, and whether it is not the site's (pages then mark it with `lang`).
    pub language: &'a str,
    pub in_other_language: bool,
    #[serde(serialize_with = "table_or_empty")]
    pub extra: Option<&'a serde_json::Value>,
}

/// What a story view points to, by index in the library's lists.
pub struct Pointers<'s> {
    pub sections: &'s [Shared],
    pub tags: &'s [Shared],
    pub authors: &'s [Shared],
}

impl<'a> StoryView<'a> {
    pub fn new(config: &'a Config, dates: &Dates, to: &Pointers, story: &'a Story) -> Self {
        let e = &story.entry;
        let f = &e.front;
        let local = e.date.with_timezone(&config.timezone);
        let updated = e.updated.map(|u| u.with_timezone(&config.timezone));
        let text = |s: &'a Option<String>| s.as_deref().unwrap_or("");
        let image = story.image.as_ref();
        let (width, height) = image.and_then(|i| i.size).unwrap_or((0, 0));
        StoryView {
            title: &f.title,
            subtitle: text(&f.subtitle),
            slug: &e.slug,
            url: &story.address.url,
            permalink: &story.address.permalink,
            section: to.sections[story.section],
            date: rfc3339(&local.fixed_offset()),
            date_display: dates.display(&local),
            time_display: local.format("%H:%M").to_string(),
            date_rfc822: rfc822(&e.date),
            updated: updated
                .map(|u| rfc3339(&u.fixed_offset()))
                .unwrap_or_default(),
            updated_display: updated.map(|u| dates.display(&u)).unwrap_or_default(),
            updated_time_display: updated
                .map(|u| u.format("%H:%M").to_string())
                .unwrap_or_default(),
            updated_rfc822: e.updated.map(|u| u.to_rfc2822()).unwrap_or_default(),
            year: e.local_date.year(),
            month: e.local_date.month(),
            day: e.local_date.day(),
            day_url: Address::new(config, &day_path(e.local_date)).url,
            tags: story.tags.iter().map(|&t| to.tags[t]).collect(),
            authors: story.authors.iter().map(|&a| to.authors[a]).collect(),
            dateline: text(&f.dateline),
            sources: &f.sources,
            image: image.map_or("", |i| i.permalink.as_str()),
            image_url: image.map_or("", |i| i.url.as_str()),
            image_width: width,
            image_height: height,
            image_alt: text(&f.image_alt),
            image_caption: text(&f.image_caption),
            image_credit: text(&f.image_credit),
            summary: Html(story.body.summary_html()),
            summary_text: story.body.summary_text(),
            content: Html(story.body.html()),
            word_count: story.body.word_count,
            reading_time: story.body.reading_time,
            featured: f.featured,
            draft: f.draft,
            language: story.language(config),
            in_other_language: story.language(config) != config.language,
            extra: f.extra.as_ref(),
        }
    }
}

/// A story's `[extra]`, or an empty table when it has none.
fn table_or_empty<S: Serializer>(v: &Option<&serde_json::Value>, s: S) -> Result<S::Ok, S::Error> {
    use serde::ser::SerializeMap;
    match v {
        Some(v) => v.serialize(s),
        None => s.serialize_map(Some(0))?.end(),
    }
}
