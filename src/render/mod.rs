//! Every page, feed and discovery file of the site, rendered in memory and in parallel.

mod assets;
mod discovery;
pub use discovery::NEWS_DAYS;
mod json_ld;
mod listing;
mod pages;
pub mod templates;
pub mod views;

use std::collections::HashMap;
use std::path::Path;

use chrono::{DateTime, FixedOffset};
use rayon::prelude::*;
use tera::Value;

use crate::config::Config;
use crate::diagnostic::{Diagnostic, Problems};
use crate::fingerprint::Fingerprint;
use crate::library::Library;
use crate::output::{Claim, OutputFile, check_collisions};
use pages::{Shared, prepare, story_fingerprint};
use templates::Templates;
use views::{Address, Obj, rfc3339};

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
        site.files.extend(assets::static_files(root));
        check_collisions(&site.files.iter().map(OutputFile::claim).collect::<Vec<_>>())?;
        Ok(site)
    }
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
    let common = views::Common::new(config, library);
    let stories: Vec<Value> = library
        .stories
        .par_iter()
        .map(|s| views::story_value(config, &common, s))
        .collect();
    let sections = common.sections;
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
        newest_rfc2822: newest.map(|d| d.to_rfc2822()).unwrap_or_default(),
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
    extra.extend(assets::story_files(root, library));
    let statics = assets::static_files(root);
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
            let bytes = templates.render_bytes(page.template, &page.ctx.context, &page.what)?;
            let mut file = OutputFile::page_bytes(path, bytes, page.what);
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
