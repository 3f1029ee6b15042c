//! Every page, feed and discovery file of the site, rendered in memory and in parallel.

mod discovery;
mod json_ld;
mod listing;
pub mod templates;
pub mod views;

use std::collections::HashMap;
use std::path::Path;

use chrono::{DateTime, FixedOffset};
use rayon::prelude::*;
use tera::{Context, Value};

use crate::config::Config;
use crate::diagnostic::{Diagnostic, Problems};
use crate::fingerprint::Fingerprint;
use crate::library::Library;
use crate::output::{Claim, Contents, OutputFile, check_collisions};
use listing::{Listing, Period};
use templates::Templates;
use views::{Address, Obj, author_path, rfc3339, section_path, tag_path};

/// What a build produced: what `emit` made of each file, with counts.
#[derive(Clone)]
pub struct Site<T> {
    /// Generated files first, then from `static_start` on the copies of static files.
    pub files: Vec<T>,
    pub static_start: usize,
    pub articles: usize,
    pub pages: usize,
    pub feeds: usize,
}

/// Values shared by all pages of one render.
struct Shared<'a> {
    config: &'a Config,
    library: &'a Library,
    site: Value,
    site_hash: u64,
    stories: Vec<Value>,
    /// What each story's value is made from: its file, and the counts of its tags and authors.
    story_hashes: Vec<u64>,
    /// Templates and configuration: a change to either changes every page.
    global: u64,
    sections: Vec<Value>,
}

/// A story's value is made from its own file, its lead image's size, and the counts shown
/// with its tags and authors; sections and everything site-wide are in `site`.
fn story_fingerprint(library: &Library, story: &crate::library::Story) -> u64 {
    let mut f = Fingerprint::new(3);
    f.add_bytes(story.entry.text.as_bytes());
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

/// Where rendered files go. A sink may already hold a page with the same fingerprint from an
/// earlier build, and then the page is not rendered again.
pub trait Sink: Sync {
    type Item: Send;
    fn unchanged(&self, path: &str, fingerprint: u64) -> Option<Self::Item>;
    fn put(&self, file: OutputFile) -> Result<Self::Item, Diagnostic>;
}

/// Keeps every file in memory and never reuses one.
pub struct Collect;

impl Sink for Collect {
    type Item = OutputFile;
    fn unchanged(&self, _: &str, _: u64) -> Option<OutputFile> {
        None
    }
    fn put(&self, file: OutputFile) -> Result<OutputFile, Diagnostic> {
        Ok(file)
    }
}

impl Site<OutputFile> {
    /// The same site with its static files listed again from disk, for a change that touched
    /// only `static/`.
    pub fn with_new_statics(&self, root: &Path) -> Result<Site<OutputFile>, Problems> {
        let mut site = self.clone();
        site.files.truncate(self.static_start);
        site.files.extend(static_files(root));
        check_collisions(&site.files.iter().map(OutputFile::claim).collect::<Vec<_>>())?;
        Ok(site)
    }
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
struct Ctx<'a> {
    context: Context,
    fingerprint: Fingerprint,
    stories: &'a [u64],
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
struct Page<'a> {
    template: &'static str,
    ctx: Ctx<'a>,
    path: String,
    what: String,
    /// The story whose JSON-LD goes in at render time: it is made from the story alone, so
    /// the story's fingerprint covers it, and a page kept as it is need not make it.
    json_ld: Option<usize>,
}

/// `/world/` -> `world/index.html`; `/rss.xml` stays a file.
pub fn output_path(site_path: &str) -> String {
    let p = site_path.trim_start_matches('/');
    if p.is_empty() || p.ends_with('/') {
        format!("{p}index.html")
    } else {
        p.to_string()
    }
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

/// Renders the whole site, handing each file to `sink` as soon as it is made (to be written,
/// or kept), so a build need not hold every page at once. `now` decides the news sitemap's
/// two days.
pub fn site<S: Sink>(
    root: &Path,
    config: &Config,
    library: &Library,
    templates: &Templates,
    now: DateTime<FixedOffset>,
    sink: &S,
) -> Result<Site<S::Item>, Problems> {
    let sections: Vec<Value> = library
        .sections
        .iter()
        .map(|s| views::section_value(config, s))
        .collect();
    let stories: Vec<Value> = library
        .stories
        .par_iter()
        .map(|s| views::story_value(config, library, &sections, s))
        .collect();
    let newest = library
        .stories
        .iter()
        .map(|s| s.entry.updated.unwrap_or(s.entry.date))
        .max();
    let site_value = {
        let edition = library
            .stories
            .first()
            .map(|s| s.entry.date.with_timezone(&config.timezone));
        Obj::new()
            .set("title", config.title.as_str())
            .set("description", config.description.as_str())
            .set("language", config.language.as_str())
            .set("base_url", config.base_url.as_str())
            .set("base_path", config.base_path.as_str())
            .set("timezone", config.timezone.name())
            .set("extra", Value::from_serializable(&config.extra))
            .set("sections", Value::from(sections.clone()))
            .set("feed_url", Address::new(config, "/rss.xml").permalink)
            .set(
                "edition_date",
                edition
                    .map(|d| d.format(&config.date_format).to_string())
                    .unwrap_or_default(),
            )
            .set(
                "edition_datetime",
                edition
                    .map(|d| rfc3339(&d.fixed_offset()))
                    .unwrap_or_default(),
            )
            .build()
    };
    let story_hashes: Vec<u64> = library
        .stories
        .iter()
        .map(|st| story_fingerprint(library, st))
        .collect();
    let global = {
        let mut f = Fingerprint::new(7);
        f.add(templates.fingerprint());
        f.add(config.fingerprint);
        f.finish()
    };
    let shared = Shared {
        config,
        library,
        site_hash: Fingerprint::of_value(&site_value),
        site: site_value,
        stories,
        story_hashes,
        global,
        sections,
    };

    let jobs = listing::jobs(config, library);

    // Everything that is not a rendered page is small and made up front, so every address
    // is known, and checked for clashes, before anything is rendered.
    let mut extra: Vec<OutputFile> = Vec::new();
    let urls: Vec<discovery::SitemapUrl> = jobs
        .iter()
        .filter_map(|j| j.sitemap_url(config, library))
        .collect();
    extra.extend(discovery::sitemaps(
        config,
        &urls,
        newest.map(|d| rfc3339(&d)),
    ));
    extra.push(discovery::news_sitemap(config, library, now));
    extra.push(discovery::robots(config));
    for story in &library.stories {
        let target = Address::new(config, &story.entry.path).permalink;
        for alias in &story.entry.front.aliases {
            extra.push(OutputFile::page(
                output_path(alias),
                redirect_page(&target),
                format!("alias {alias} of {}", story.entry.file.display()),
            ));
        }
    }
    extra.extend(story_files(root, library));
    let statics = static_files(root);
    let planned: Vec<(String, String)> = jobs
        .iter()
        .map(|j| (output_path(&j.site_path(library)), j.describe(library)))
        .collect();
    let claims: Vec<Claim> = planned
        .iter()
        .map(|(path, origin)| Claim {
            path,
            origin,
            source: None,
        })
        .chain(extra.iter().chain(&statics).map(OutputFile::claim))
        .collect();
    check_collisions(&claims)?;
    let pages = planned.iter().filter(|(p, _)| p.ends_with(".html")).count()
        + extra.iter().filter(|f| f.path.ends_with(".html")).count();
    let feeds = jobs
        .iter()
        .filter(|j| matches!(j, listing::Job::Feed { .. }))
        .count();

    let results: Vec<Result<S::Item, Diagnostic>> = jobs
        .par_iter()
        .map(|job| {
            let mut page = prepare(&shared, job);
            let path = output_path(&page.path);
            let fingerprint = page.ctx.fingerprint.finish();
            if let Some(kept) = sink.unchanged(&path, fingerprint) {
                return Ok(kept);
            }
            if let Some(i) = page.json_ld {
                let story = &library.stories[i];
                let image = shared.stories[i]
                    .get_from_path("image")
                    .and_then(|v| v.as_str())
                    .unwrap_or("");
                let ld = json_ld::news_article(config, library, story, image);
                page.ctx
                    .context
                    .insert_value("json_ld", Value::safe_string(&ld));
            }
            let text = templates.render(page.template, &page.ctx.context, &page.what)?;
            let mut file = OutputFile::page(path, text, page.what);
            file.fingerprint = fingerprint;
            sink.put(file)
        })
        .collect();
    let mut problems = Problems::new();
    let mut files = Vec::with_capacity(results.len() + extra.len() + statics.len());
    // One broken template breaks every page using it: report each distinct problem once.
    let mut seen: HashMap<(Option<std::path::PathBuf>, Option<usize>, String), usize> =
        HashMap::new();
    // Pages beyond the three named in a problem's notes.
    let mut more: HashMap<usize, usize> = HashMap::new();
    for r in results {
        match r {
            Ok(f) => files.push(f),
            Err(d) => {
                let key = (d.file.clone(), d.line, d.message.clone());
                match seen.get(&key) {
                    Some(&i) => {
                        let first: &mut Diagnostic = &mut problems.0[i];
                        let shown = first
                            .notes
                            .iter()
                            .filter(|n| n.starts_with("while rendering"))
                            .count();
                        if shown < 3 {
                            first.notes.extend(
                                d.notes
                                    .into_iter()
                                    .filter(|n| n.starts_with("while rendering")),
                            );
                        } else {
                            *more.entry(i).or_default() += 1;
                        }
                    }
                    None => {
                        seen.insert(key, problems.0.len());
                        problems.push(d);
                    }
                }
            }
        }
    }
    for (i, n) in more {
        let page = if n == 1 { "page" } else { "pages" };
        problems.0[i]
            .notes
            .push(format!("and while rendering {n} more {page}"));
    }
    if problems.has_errors() {
        return Err(problems);
    }
    // Small files are cheap to make; the sink compares their bytes.
    for f in extra {
        files.push(sink.put(f).map_err(Problems::from)?);
    }
    let static_start = files.len();
    for f in statics {
        files.push(sink.put(f).map_err(Problems::from)?);
    }
    Ok(Site {
        static_start,
        articles: library.stories.len(),
        pages,
        feeds,
        files,
    })
}

fn redirect_page(target: &str) -> String {
    let t = discovery::escape(target);
    format!(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>Moved</title>\n<link rel=\"canonical\" href=\"{t}\">\n<meta name=\"robots\" content=\"noindex\">\n<meta http-equiv=\"refresh\" content=\"0; url={t}\">\n</head>\n<body>\n<p>This story has moved to <a href=\"{t}\">{t}</a>.</p>\n</body>\n</html>\n"
    )
}

/// Images and other files kept beside a story and linked from it, copied into its folder.
fn story_files(root: &Path, library: &Library) -> Vec<OutputFile> {
    let mut files = Vec::new();
    for story in &library.stories {
        let e = &story.entry;
        let dir = e
            .file
            .parent()
            .map(|p| root.join(p))
            .unwrap_or_else(|| root.to_path_buf());
        let image = e
            .front
            .image
            .as_deref()
            .and_then(crate::markdown::local_file);
        let mut refs: Vec<&str> = story.body.local_files.iter().map(String::as_str).collect();
        refs.extend(image.as_deref());
        refs.sort_unstable();
        refs.dedup();
        for r in refs {
            let source = dir.join(r);
            if r.ends_with(".md") || !source.is_file() {
                continue;
            }
            files.push(OutputFile {
                path: output_path(&format!("{}{r}", e.path)),
                fingerprint: copy_fingerprint(&source),
                contents: Contents::Copy(source),
                origin: format!("{} beside {}", r, e.file.display()),
                source: e.file.parent().map(|p| p.join(r)),
            });
        }
    }
    files
}

/// A copied file is the same while its path, size and modification time are.
fn copy_fingerprint(source: &Path) -> u64 {
    let mut f = Fingerprint::new(11);
    f.add_str(&source.to_string_lossy());
    if let Ok(m) = std::fs::metadata(source) {
        f.add(m.len());
        let modified = m
            .modified()
            .ok()
            .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok());
        f.add(modified.map_or(0, |d| d.as_nanos() as u64));
    }
    f.finish()
}

/// The built-in theme's static files, then the site's own `static/` over them.
pub fn static_files(root: &Path) -> Vec<OutputFile> {
    let dir = root.join("static");
    let mut own: Vec<OutputFile> = Vec::new();
    if dir.is_dir() {
        for e in walkdir::WalkDir::new(&dir)
            .sort_by_file_name()
            .into_iter()
            .flatten()
        {
            if !e.file_type().is_file() {
                continue;
            }
            let rel = e
                .path()
                .strip_prefix(&dir)
                .unwrap_or(e.path())
                .to_string_lossy()
                .replace('\\', "/");
            own.push(OutputFile {
                origin: format!("static/{rel}"),
                source: Some(Path::new("static").join(&rel)),
                path: rel,
                fingerprint: copy_fingerprint(e.path()),
                contents: Contents::Copy(e.path().to_path_buf()),
            });
        }
    }
    let mut files: Vec<OutputFile> = crate::theme::static_files()
        .iter()
        .filter(|(name, _)| !own.iter().any(|f| f.path == *name))
        .map(|(name, bytes)| OutputFile {
            path: name.to_string(),
            contents: Contents::Embedded(bytes),
            origin: format!("the built-in theme's {name}"),
            source: None,
            fingerprint: crate::fingerprint::of_bytes(bytes),
        })
        .collect();
    files.extend(own);
    files
}

fn prepare<'a>(s: &'a Shared, job: &listing::Job) -> Page<'a> {
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
            m.description = story.body.summary_text.clone();
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
            let pos = section.stories.iter().position(|x| x == i).unwrap_or(0);
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
            let newest = library
                .stories
                .iter()
                .map(|s| s.entry.updated.unwrap_or(s.entry.date))
                .max();
            let feed = Obj::new()
                .set("title", title.as_str())
                .set("description", description.as_str())
                .set("link", Address::new(config, link).permalink)
                .set("self_url", Address::new(config, path).permalink)
                .set("language", config.language.as_str())
                .set(
                    "last_build_date",
                    newest.map(|d| d.to_rfc2822()).unwrap_or_default(),
                )
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
