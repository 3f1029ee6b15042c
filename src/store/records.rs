//! How a story file's parse and body are kept on disk: plain records with no borrowed or
//! self-describing parts, so they encode compactly and read back exactly.

use std::path::PathBuf;
use std::sync::Arc;

use chrono::{DateTime, NaiveDate};
use serde::{Deserialize, Serialize};

use super::memo::Body;
use crate::content::date::DateText;
use crate::content::{Entry, FrontMatter, Stamp};
use crate::markdown::Rendered;

#[derive(Serialize, Deserialize)]
pub struct FileRecord {
    pub stamp: Stamp,
    entry: EntryRecord,
}

#[derive(Serialize, Deserialize)]
struct EntryRecord {
    content_path: String,
    source_hash: u64,
    body_offset: u64,
    front: FrontRecord,
    date: String,
    updated: Option<String>,
    local_date: (i32, u32, u32),
    section: String,
    slug: String,
    path: String,
}

#[derive(Serialize, Deserialize)]
struct FrontRecord {
    title: String,
    date: String,
    subtitle: Option<String>,
    updated: Option<String>,
    section: Option<String>,
    tags: Vec<String>,
    authors: Vec<String>,
    dateline: Option<String>,
    sources: Vec<String>,
    image: Option<String>,
    image_alt: Option<String>,
    image_caption: Option<String>,
    image_credit: Option<String>,
    summary: Option<String>,
    slug: Option<String>,
    featured: bool,
    draft: bool,
    aliases: Vec<String>,
    /// JSON text: the encoding cannot hold a free-form value.
    extra: Option<String>,
    language: Option<String>,
}

#[derive(Deserialize)]
pub struct BodyRecord {
    source_hash: u64,
    page_url: String,
    resolved: Vec<(String, Option<String>)>,
    word_count: u64,
    reading_time: u64,
    heading_ids: Vec<String>,
    local_files: Vec<String>,
}

/// A body as it is written: borrowed, so writing copies nothing. Same layout as `BodyRecord`.
#[derive(Serialize)]
pub struct BodyRef<'a> {
    source_hash: u64,
    page_url: &'a str,
    resolved: &'a [(String, Option<String>)],
    word_count: u64,
    reading_time: u64,
    heading_ids: &'a [String],
    local_files: &'a [String],
}

impl FileRecord {
    pub fn new(stamp: Stamp, e: &Entry) -> FileRecord {
        let f = &e.front;
        use chrono::Datelike;
        FileRecord {
            stamp,
            entry: EntryRecord {
                content_path: e.content_path.clone(),
                source_hash: e.source_hash,
                body_offset: e.body_offset as u64,
                front: FrontRecord {
                    title: f.title.clone(),
                    date: f.date.0.clone(),
                    subtitle: f.subtitle.clone(),
                    updated: f.updated.as_ref().map(|d| d.0.clone()),
                    section: f.section.clone(),
                    tags: f.tags.clone(),
                    authors: f.authors.clone(),
                    dateline: f.dateline.clone(),
                    sources: f.sources.clone(),
                    image: f.image.clone(),
                    image_alt: f.image_alt.clone(),
                    image_caption: f.image_caption.clone(),
                    image_credit: f.image_credit.clone(),
                    summary: f.summary.clone(),
                    slug: f.slug.clone(),
                    featured: f.featured,
                    draft: f.draft,
                    aliases: f.aliases.clone(),
                    extra: f.extra.as_ref().map(|v| v.to_string()),
                    language: f.language.clone(),
                },
                date: e.date.to_rfc3339(),
                updated: e.updated.map(|u| u.to_rfc3339()),
                local_date: (
                    e.local_date.year(),
                    e.local_date.month(),
                    e.local_date.day(),
                ),
                section: e.section.clone(),
                slug: e.slug.clone(),
                path: e.path.clone(),
            },
        }
    }

    /// The entry of `file`, without its text; none if the record does not read back.
    pub fn entry(self, file: PathBuf) -> Option<Entry> {
        let r = self.entry;
        let f = r.front;
        let (y, m, d) = r.local_date;
        Some(Entry {
            file,
            content_path: r.content_path,
            text: String::new(),
            source_hash: r.source_hash,
            body_offset: usize::try_from(r.body_offset).ok()?,
            front: FrontMatter {
                title: f.title,
                date: DateText(f.date),
                subtitle: f.subtitle,
                updated: f.updated.map(DateText),
                section: f.section,
                tags: f.tags,
                authors: f.authors,
                dateline: f.dateline,
                sources: f.sources,
                image: f.image,
                image_alt: f.image_alt,
                image_caption: f.image_caption,
                image_credit: f.image_credit,
                summary: f.summary,
                slug: f.slug,
                featured: f.featured,
                draft: f.draft,
                aliases: f.aliases,
                extra: match f.extra {
                    Some(json) => Some(serde_json::from_str(&json).ok()?),
                    None => None,
                },
                language: f.language,
            },
            date: DateTime::parse_from_rfc3339(&r.date).ok()?,
            updated: match r.updated {
                Some(u) => Some(DateTime::parse_from_rfc3339(&u).ok()?),
                None => None,
            },
            local_date: NaiveDate::from_ymd_opt(y, m, d)?,
            section: r.section,
            slug: r.slug,
            path: r.path,
        })
    }
}

impl<'a> BodyRef<'a> {
    pub fn new(b: &'a Body) -> BodyRef<'a> {
        let r = &b.rendered;
        BodyRef {
            source_hash: b.source_hash,
            page_url: &b.page_url,
            resolved: &b.resolved,
            word_count: r.word_count as u64,
            reading_time: r.reading_time as u64,
            heading_ids: &r.heading_ids,
            local_files: &r.local_files,
        }
    }
}

impl BodyRecord {
    /// The body, its texts left in the store until a page shows it.
    pub fn body(self) -> Body {
        Body {
            source_hash: self.source_hash,
            page_url: self.page_url,
            resolved: self.resolved,
            rendered: Arc::new(Rendered::stored(
                self.word_count as usize,
                self.reading_time as usize,
                self.heading_ids,
                self.local_files,
            )),
        }
    }
}
