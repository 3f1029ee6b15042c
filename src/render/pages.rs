//! Each page's template context, made with a fingerprint of everything in it.

use tera::{Context, Value};

use super::listing::{self, Listing, Period};
use super::views::{self, Address, Obj, author_path, section_path, tag_path};
use crate::config::Config;
use crate::fingerprint::Fingerprint;
use crate::library::Library;

/// Values shared by all pages of one render.
pub(super) struct Shared<'a> {
    pub(super) config: &'a Config,
    pub(super) library: &'a Library,
    pub(super) site: Value,
    pub(super) site_hash: u64,
    pub(super) stories: Vec<Value>,
    /// What each story's value is made from: its file, and the counts of its tags and authors.
    pub(super) story_hashes: Vec<u64>,
    /// Templates and configuration: a change to either changes every page.
    pub(super) global: u64,
    pub(super) sections: Vec<Value>,
    /// The newest date or update of any story, for every feed's `lastBuildDate`.
    pub(super) newest_rfc2822: String,
}

/// A story's value is made from its own file, its lead image's size, and the counts shown
/// with its tags and authors; sections and everything site-wide are in `site`.
pub(super) fn story_fingerprint(library: &Library, story: &crate::library::Story) -> u64 {
    let mut f = Fingerprint::new(3);
    f.add(story.entry.source_hash);
    f.add_str(&story.entry.file.to_string_lossy());
    let (w, h) = story.image_size.unwrap_or((0, 0));
    f.add(u64::from(w) << 32 | u64::from(h));
    for &t in &story.tags {
        f.add(library.tags[t].stories.len() as u64);
    }
    for &a in &story.authors {
        f.add(library.authors[a].stories.len() as u64);
    }
    f.add(story.section as u64);
    f.finish()
}

impl Shared<'_> {
    fn story_list(&self, ids: &[usize]) -> Value {
        Value::from(
            ids.iter()
                .map(|&i| self.stories[i].clone())
                .collect::<Vec<_>>(),
        )
    }

    fn context(&self, page: Value) -> Ctx<'_> {
        let mut c = Ctx {
            context: Context::new(),
            fingerprint: Fingerprint::new(self.global),
            stories: &self.story_hashes,
        };
        c.insert_hashed("site", self.site.clone(), self.site_hash);
        c.insert_value("page", page);
        c
    }
}

/// A template context and a fingerprint of everything put into it: two pages with equal
/// fingerprints render the same bytes, so an unchanged page need not be rendered again.
pub(super) struct Ctx<'a> {
    pub(super) context: Context,
    pub(super) fingerprint: Fingerprint,
    pub(super) stories: &'a [u64],
}

impl Ctx<'_> {
    /// A value with no story in it, fingerprinted by its contents.
    fn insert_value(&mut self, key: &'static str, value: Value) {
        let h = Fingerprint::of_value(&value);
        self.insert_hashed(key, value, h);
    }

    fn insert_hashed(&mut self, key: &'static str, value: Value, hash: u64) {
        self.fingerprint.add_str(key);
        self.fingerprint.add(hash);
        self.context.insert_value(key, value);
    }

    /// A value holding stories, fingerprinted by `rest` (the value without its stories) and
    /// the stories' own fingerprints.
    fn insert_with_stories(&mut self, key: &'static str, value: Value, rest: u64, ids: &[usize]) {
        let h = self.stories_hash(ids) ^ rest.rotate_left(17);
        self.insert_hashed(key, value, h);
    }

    fn stories_hash(&self, ids: &[usize]) -> u64 {
        let mut f = Fingerprint::new(ids.len() as u64);
        for &i in ids {
            f.add(self.stories[i]);
        }
        f.finish()
    }
}

/// Pages are written as `Page`s are made: prepared (context and fingerprint), then rendered
/// only when the sink does not already hold the same page.
pub(super) struct Page<'a> {
    pub(super) template: &'static str,
    pub(super) ctx: Ctx<'a>,
    pub(super) path: String,
    pub(super) what: String,
    /// The story whose JSON-LD goes in at render time: it is made from the story alone, so
    /// the story's fingerprint covers it, and a page kept as it is need not make it.
    pub(super) json_ld: Option<usize>,
}

/// Describes a page for its `<head>`.
struct Meta<'a> {
    kind: &'a str,
    title: String,
    description: String,
    path: &'a str,
    image: String,
    image_alt: String,
    feed_path: Option<String>,
    feed_title: String,
}

impl Meta<'_> {
    fn value(self, config: &Config) -> Value {
        let a = Address::new(config, self.path);
        let feed = self.feed_path.unwrap_or_else(|| "/rss.xml".to_string());
        Obj::new()
            .set("kind", self.kind)
            .set("title", self.title)
            .set(
                "description",
                if self.description.is_empty() {
                    config.description.clone()
                } else {
                    self.description
                },
            )
            .set("url", a.url)
            .set("permalink", a.permalink)
            .set(
                "og_type",
                if self.kind == "article" {
                    "article"
                } else {
                    "website"
                },
            )
            .set("image", self.image)
            .set("image_alt", self.image_alt)
            .set("feed_url", Address::new(config, &feed).permalink)
            .set(
                "feed_title",
                if self.feed_title.is_empty() {
                    config.title.clone()
                } else {
                    self.feed_title
                },
            )
            .build()
    }
}

fn meta<'a>(kind: &'a str, title: String, path: &'a str) -> Meta<'a> {
    Meta {
        kind,
        title,
        description: String::new(),
        path,
        image: String::new(),
        image_alt: String::new(),
        feed_path: None,
        feed_title: String::new(),
    }
}

pub(super) fn prepare<'a>(s: &'a Shared, job: &listing::Job) -> Page<'a> {
    let config = s.config;
    let library = s.library;
    match job {
        listing::Job::Story(i) => {
            let story = &library.stories[*i];
            let e = &story.entry;
            let value = &s.stories[*i];
            let image = value
                .get_from_path("image")
                .and_then(|v| v.as_str())
                .unwrap_or("")
                .to_string();
            let mut m = meta(
                "article",
                format!("{} | {}", e.front.title, config.title),
                &e.path,
            );
            m.description = story.summary_text().to_string();
            m.image_alt = e.front.image_alt.clone().unwrap_or_default();
            m.image = image.clone();
            let section = &library.sections[story.section];
            let feed = format!("{}rss.xml", section_path(&section.slug));
            m.feed_path = Some(feed);
            m.feed_title = format!("{} | {}", section.name, config.title);
            let mut c = s.context(m.value(config));
            c.insert_with_stories("story", value.clone(), 0, &[*i]);
            let related = library.related(*i, 4);
            c.insert_with_stories("related", s.story_list(&related), 2, &related);
            // A section lists its stories in library order, so the list is sorted.
            let pos = section.stories.binary_search(i).unwrap_or(0);
            for (key, p) in [("newer", pos.checked_sub(1)), ("older", Some(pos + 1))] {
                match p.and_then(|p| section.stories.get(p)) {
                    Some(&j) => c.insert_with_stories(key, s.stories[j].clone(), 3, &[j]),
                    None => c.insert_value(key, Value::from("")),
                }
            }
            Page {
                template: "article.html",
                ctx: c,
                path: e.path.clone(),
                what: format!("story {}", e.file.display()),
                json_ld: Some(*i),
            }
        }
        listing::Job::List(l) => prepare_listing(s, l),
        listing::Job::Tags | listing::Job::Authors => {
            let (terms, kind, name, path): (_, _, _, fn(&str) -> String) =
                if matches!(job, listing::Job::Tags) {
                    (&library.tags, "tags", "Tags", tag_path)
                } else {
                    (&library.authors, "authors", "Authors", author_path)
                };
            let site_path = format!("/{kind}/");
            let list: Vec<Value> = terms
                .iter()
                .map(|t| views::term_value(config, t, &path(&t.slug), kind == "tags"))
                .collect();
            let mut m = meta(kind, format!("{name} | {}", config.title), &site_path);
            m.description = format!("{name} of {}", config.title);
            let mut c = s.context(m.value(config));
            c.insert_value(kind, Value::from(list));
            let template = if kind == "tags" {
                "tags.html"
            } else {
                "authors.html"
            };
            page(template, c, &site_path, format!("the {kind} index"))
        }
        listing::Job::ArchiveIndex => {
            let years: Vec<Value> = library
                .years
                .iter()
                .rev()
                .map(|(&y, ids)| {
                    let months: Vec<Value> = library
                        .months
                        .range((y, 1)..=(y, 12))
                        .map(|(&(y, m), ids)| listing::month_value(config, y, m, ids.len()))
                        .collect();
                    let a = Address::new(config, &format!("/{y:04}/"));
                    Obj::new()
                        .set("year", y)
                        .set("url", a.url)
                        .set("count", ids.len())
                        .set("months", Value::from(months))
                        .build()
                })
                .collect();
            let mut m = meta(
                "archive_index",
                format!("Archive | {}", config.title),
                "/archive/",
            );
            m.description = format!("Every story of {} by year and month", config.title);
            let mut c = s.context(m.value(config));
            c.insert_value("years", Value::from(years));
            page(
                "archive_index.html",
                c,
                "/archive/",
                "the archive index".into(),
            )
        }
        listing::Job::NotFound => {
            let c = s.context(
                meta(
                    "404",
                    format!("Page not found | {}", config.title),
                    "/404.html",
                )
                .value(config),
            );
            page("404.html", c, "/404.html", "the 404 page".into())
        }
        listing::Job::Feed {
            path,
            title,
            description,
            link,
            stories,
        } => {
            let feed = Obj::new()
                .set("title", title.as_str())
                .set("description", description.as_str())
                .set("link", Address::new(config, link).permalink)
                .set("self_url", Address::new(config, path).permalink)
                .set("language", config.language.as_str())
                .set("last_build_date", s.newest_rfc2822.as_str())
                .build();
            let mut c = s.context(meta("feed", title.clone(), path).value(config));
            c.insert_value("feed", feed);
            let ids: Vec<usize> = stories.iter().copied().take(config.feed_limit).collect();
            c.insert_with_stories("stories", s.story_list(&ids), 0, &ids);
            page("rss.xml", c, path, format!("the feed {path}"))
        }
    }
}

fn page<'a>(template: &'static str, ctx: Ctx<'a>, path: &str, what: String) -> Page<'a> {
    Page {
        template,
        ctx,
        path: path.to_string(),
        what,
        json_ld: None,
    }
}

fn prepare_listing<'a>(s: &'a Shared, l: &Listing) -> Page<'a> {
    let config = s.config;
    let library = s.library;
    let page_path = l.page_path(l.page);
    let ids = l.page_ids();
    let suffix = if l.page > 1 {
        format!(" (page {})", l.page)
    } else {
        String::new()
    };
    let paginator = l.paginator(config);
    let (template, mut c) = match &l.kind {
        listing::Kind::Front => {
            let title = if l.page > 1 {
                format!("{}{suffix}", config.title)
            } else {
                config.title.clone()
            };
            let mut c = s.context(meta("index", title, &page_path).value(config));
            let lead = library
                .front
                .first()
                .filter(|&&i| library.stories[i].entry.front.featured);
            match lead {
                Some(&i) => c.insert_with_stories("lead", s.stories[i].clone(), 0, &[i]),
                None => c.insert_value("lead", Value::from("")),
            }
            // Each block's section is in `site` already; the shape is which sections, how many.
            let mut shape = Fingerprint::new(4);
            let mut in_blocks = Vec::new();
            let blocks: Vec<Value> = if l.page == 1 {
                library
                    .sections
                    .iter()
                    .enumerate()
                    .filter(|(_, sec)| !sec.stories.is_empty())
                    .map(|(i, sec)| {
                        let latest: Vec<usize> = sec.stories.iter().copied().take(4).collect();
                        shape.add(i as u64);
                        shape.add(latest.len() as u64);
                        in_blocks.extend(&latest);
                        Obj::new()
                            .set("section", s.sections[i].clone())
                            .set("stories", s.story_list(&latest))
                            .build()
                    })
                    .collect()
            } else {
                Vec::new()
            };
            c.insert_with_stories(
                "section_blocks",
                Value::from(blocks),
                shape.finish(),
                &in_blocks,
            );
            let latest: Vec<usize> = (0..library.stories.len().min(8)).collect();
            c.insert_with_stories("latest", s.story_list(&latest), 5, &latest);
            ("index.html", c)
        }
        listing::Kind::Section(i) => {
            let sec = &library.sections[*i];
            let mut m = meta(
                "section",
                format!("{}{suffix} | {}", sec.name, config.title),
                &page_path,
            );
            m.description = format!("The latest {} stories from {}", sec.name, config.title);
            let feed = format!("{}rss.xml", section_path(&sec.slug));
            m.feed_path = Some(feed);
            m.feed_title = format!("{} | {}", sec.name, config.title);
            let mut c = s.context(m.value(config));
            c.insert_value("section", s.sections[*i].clone());
            ("section.html", c)
        }
        listing::Kind::Tag(i) => {
            let t = &library.tags[*i];
            let mut m = meta(
                "tag",
                format!("{}{suffix} | {}", t.name, config.title),
                &page_path,
            );
            m.description = format!("Stories tagged {} in {}", t.name, config.title);
            m.feed_path = Some(format!("{}rss.xml", tag_path(&t.slug)));
            m.feed_title = format!("{} | {}", t.name, config.title);
            let mut c = s.context(m.value(config));
            c.insert_value(
                "tag",
                views::term_value(config, t, &tag_path(&t.slug), true),
            );
            ("tag.html", c)
        }
        listing::Kind::Author(i) => {
            let a = &library.authors[*i];
            let mut m = meta(
                "author",
                format!("{}{suffix} | {}", a.name, config.title),
                &page_path,
            );
            m.description = format!("Stories by {} in {}", a.name, config.title);
            let mut c = s.context(m.value(config));
            c.insert_value(
                "author",
                views::term_value(config, a, &author_path(&a.slug), false),
            );
            ("author.html", c)
        }
        listing::Kind::Archive(period) => {
            let title = period.title(config);
            let mut m = meta(
                "archive",
                format!("{title}{suffix} | {}", config.title),
                &page_path,
            );
            m.description = format!("Stories of {title} in {}", config.title);
            let mut c = s.context(m.value(config));
            let (archive, rest) = archive_value(s, period, ids);
            c.insert_with_stories("archive", archive, rest, ids);
            ("archive.html", c)
        }
    };
    c.insert_with_stories("stories", s.story_list(ids), 6, ids);
    c.insert_value("paginator", paginator);
    page(
        template,
        c,
        &page_path,
        format!("{}{suffix}", l.describe(library)),
    )
}

/// The `archive` object, and a fingerprint of all of it but the stories it lists.
fn archive_value(s: &Shared, period: &Period, ids: &[usize]) -> (Value, u64) {
    let config = s.config;
    let library = s.library;
    let a = Address::new(config, &period.path());
    let neighbour = |p: Option<Period>| match p {
        Some(p) => Obj::new()
            .set("title", p.title(config))
            .set("url", Address::new(config, &p.path()).url)
            .build(),
        None => Value::from(""),
    };
    let (year, month, day) = period.ymd();
    let mut o = Obj::new()
        .set("kind", period.kind())
        .set("year", year)
        .set("month", month)
        .set("day", day)
        .set("title", period.title(config))
        .set("url", a.url)
        .set("permalink", a.permalink)
        .set("previous", neighbour(period.previous(library)))
        .set("next", neighbour(period.next(library)))
        .set("count", period.stories(library).len());
    match period {
        Period::Year(y) => {
            let months: Vec<Value> = library
                .months
                .range((*y, 1)..=(*y, 12))
                .map(|(&(y, m), ids)| listing::month_value(config, y, m, ids.len()))
                .collect();
            o = o.set("months", Value::from(months));
        }
        Period::Month(y, m) => o = o.set("weeks", listing::calendar(config, library, *y, *m)),
        Period::Day(_) => {}
    }
    let rest = Fingerprint::of_value(&o.clone().build());
    if let Period::Day(_) = period {
        let by_section: Vec<Value> = library
            .sections
            .iter()
            .enumerate()
            .filter_map(|(i, _)| {
                let in_section: Vec<usize> = ids
                    .iter()
                    .copied()
                    .filter(|&j| library.stories[j].section == i)
                    .collect();
                (!in_section.is_empty()).then(|| {
                    Obj::new()
                        .set("section", s.sections[i].clone())
                        .set("stories", s.story_list(&in_section))
                        .build()
                })
            })
            .collect();
        o = o.set("by_section", Value::from(by_section));
    }
    (o.build(), rest)
}
