//! The stages `build`, `check` and `serve` share, each returning a value to the next:
//! config and files → stories ([`content`]) → rendered Markdown → the site model
//! ([`model`]) → views ([`view`]) → pages ([`pages`]) → bytes ([`render`]) → a sink
//! ([`publish`]).

mod index;
mod markdown;
mod quick;
mod sizes;
mod timings;

pub use index::{Layout, PageIndex, Recorded, record_path};
pub use quick::Kept;

pub use timings::{Timings, enabled as timings_enabled};

use std::collections::HashMap;
use std::path::Path;
use std::sync::Arc;

use chrono::{DateTime, FixedOffset, TimeZone, Utc};
use rayon::prelude::*;

use crate::config::Config;
use crate::content::{self, Entry, Selection, Unpublished};
use crate::diagnostic::{Diagnostic, Problems};
use crate::model::{Library, output_path};
use crate::pages::{self, Cx, assets, discovery, redirects};
use crate::publish::{Claim, Discard, OutputFile, Sink, Site, check_collisions};
use crate::render::{Renderer, templates::Templates};
use crate::store::Memo;
use crate::view::Views;

/// The time a build treats as now: `SOURCE_DATE_EPOCH` when set, for reproducible builds.
pub fn now() -> DateTime<FixedOffset> {
    std::env::var("SOURCE_DATE_EPOCH")
        .ok()
        .and_then(|s| s.trim().parse::<i64>().ok())
        .and_then(|secs| Utc.timestamp_opt(secs, 0).single())
        .unwrap_or_else(Utc::now)
        .fixed_offset()
}

/// Whether stories keep their files' text once their Markdown is rendered: only `check`,
/// which points into it for warnings found after rendering, needs it.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Sources {
    Keep,
    Drop,
}

/// What a build may reuse of earlier ones.
#[derive(Default)]
pub struct Earlier<'a> {
    /// What the last build read of each file.
    pub memo: Option<&'a Memo>,
    /// The layout and page index of the build whose output the sink holds.
    pub recorded: Option<Recorded>,
    /// Every story file and its stamp, when the caller has just looked.
    pub stories: Option<Vec<(std::path::PathBuf, content::Stamp)>>,
    /// Reads the texts of bodies the memo kept in the store.
    pub fill: Option<crate::view::shared::Fill<'a>>,
}

/// Loads, checks and renders a site in memory, handing each file to `sink` as soon as it is
/// made (to be written, or kept). `remember` is given what the next build may reuse as soon
/// as it is known, before the pages render. Every stage runs as far as it can, so one build reports
/// every problem.
pub fn render_site<S: Sink>(
    root: &Path,
    config: &Config,
    selection: Selection,
    sources: Sources,
    earlier: Earlier,
    remember: &dyn Fn(Arc<Memo>),
    sink: &S,
) -> Result<Built<S::Item>, Problems> {
    let none = Memo::default();
    let memo = earlier.memo.unwrap_or(&none);
    let mut time = Timings::start();
    let key = config.fingerprint;
    let kept = |file: &Path, stamp| memo.parsed(key, file, stamp);
    let (templates, mut loaded) = rayon::join(
        || Templates::load(root, config.timezone),
        || content::load(root, config, selection, &kept, earlier.stories),
    );
    let mut problems = std::mem::take(&mut loaded.problems);
    time.mark("templates and story files");
    let rendered = markdown::render_all(root, config, &mut loaded, memo, sources);
    time.mark("markdown");
    problems.extend(rendered.problems);
    let images = sizes::lead_images(root, &rendered.stories, memo);
    let mut next = Memo {
        config: key,
        files: crate::store::ByFile::with_capacity_and_hasher(
            loaded.parsed.len(),
            Default::default(),
        ),
        bodies: rendered.bodies,
        images,
    };
    let mut published: HashMap<&Path, Arc<Entry>> = rendered
        .stories
        .iter()
        .map(|(e, _)| (e.file.as_path(), e.clone()))
        .collect();
    for (file, stamp, parsed) in loaded.parsed {
        let parsed = parsed.or_else(|| published.remove(file.as_path()).map(Ok));
        if let Some(parsed) = parsed {
            next.files.insert(file, (stamp, parsed));
        }
    }
    let stories = rendered.stories;
    // What every file gave is known now: it can be kept while the pages render.
    let next = Arc::new(next);
    remember(next.clone());
    let templates = match templates {
        Ok(t) => t,
        Err(p) => {
            problems.extend(p);
            return Err(problems.sorted());
        }
    };
    let size_of = |f: &Path| next.images.get(f).and_then(|(_, size)| *size);
    let library = Library::build(config, stories, &size_of);
    time.mark("library");
    let expires = expires(&library, &loaded.unpublished, selection.now);
    let drafts = (loaded.unpublished.values())
        .filter(|u| matches!(u, Unpublished::Draft))
        .count();
    let left_out = (drafts, loaded.unpublished.len() - drafts);
    let layout = Layout::of(config, &templates, &library);
    let reuse = earlier.recorded.and_then(|r| r.reuse(&layout));
    time.mark("layout");
    let input = Input {
        root,
        config,
        library: &library,
        templates: &templates,
        now: selection.now,
        fill: earlier.fill,
    };
    if problems.has_errors() {
        // The build fails whatever the pages say: render them for their problems only.
        if let Err(p) = render(&input, None, &Discard, &mut time) {
            problems.extend(p);
        }
        return Err(problems.sorted());
    }
    match render(&input, reuse, sink, &mut time) {
        Ok((site, index)) if !problems.has_errors() => Ok(Built {
            warnings: problems.sorted(),
            library,
            site,
            expires,
            memo: next,
            templates,
            index,
            layout,
            left_out,
        }),
        Ok(_) => Err(problems.sorted()),
        Err(p) => {
            problems.extend(p);
            Err(problems.sorted())
        }
    }
}

/// A site rendered in memory.
pub struct Built<T> {
    pub library: Library,
    pub site: Site<T>,
    /// The first time at which the clock alone would change the site.
    pub expires: Option<DateTime<FixedOffset>>,
    /// What the next build may reuse.
    pub memo: Arc<Memo>,
    pub templates: Templates,
    /// Which pages show which stories.
    pub index: PageIndex,
    pub layout: Layout,
    /// Good stories this build left out: drafts, and stories scheduled for later.
    pub left_out: (usize, usize),
    /// What is worth an editor's second look but does not stop the build.
    pub warnings: Problems,
}

/// What the pages are rendered from.
struct Input<'a> {
    root: &'a Path,
    config: &'a Config,
    library: &'a Library,
    templates: &'a Templates,
    /// Decides the news sitemap's two days.
    now: DateTime<FixedOffset>,
    fill: Option<crate::view::shared::Fill<'a>>,
}

/// Renders every page of the site through `sink`, but for those `reuse` knows are unchanged
/// and the sink still holds.
fn render<S: Sink>(
    input: &Input,
    reuse: Option<index::Reuse>,
    sink: &S,
    time: &mut Timings,
) -> Result<(Site<S::Item>, PageIndex), Problems> {
    let Input {
        root,
        config,
        library,
        templates,
        now,
        fill,
    } = *input;
    let views = Views::new(config, library, fill);
    let renderer = Renderer::new(templates, &views);
    let cx = Cx::new(config, library, &views);
    time.mark("shared views");
    let pages = pages::all(&cx);
    let reuse = reuse.filter(|r| r.dirty.len() == pages.len());
    if reuse.is_none() {
        views.make_all();
    }
    time.mark("page list");

    // Everything that is not a rendered page is small and made up front, so every address
    // is known, and checked for clashes, before anything is rendered.
    let entries: Vec<pages::SitemapEntry> = pages.iter().filter_map(|p| p.sitemap()).collect();
    let newest = library
        .stories
        .iter()
        .map(|s| s.entry.updated.unwrap_or(s.entry.date))
        .max();
    let mut extra = discovery::sitemaps(config, &entries, newest.map(|d| crate::view::rfc3339(&d)));
    extra.push(discovery::news_sitemap(config, library, now));
    extra.push(discovery::robots(config));
    time.mark("sitemaps");
    extra.extend(redirects::aliases(library, cx.words));
    time.mark("aliases");
    extra.extend(assets::story_files(root, library));
    time.mark("files beside stories");
    let statics = assets::static_files(root);
    time.mark("static files");
    let planned: Vec<(String, String)> = pages
        .iter()
        .map(|p| (output_path(p.path()), p.describe()))
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
    time.mark("other files and addresses");
    let html = |p: &String| p.ends_with(".html");
    let page_count = planned.iter().filter(|(p, _)| html(p)).count()
        + extra.iter().filter(|f| html(&f.path)).count();
    let feeds = planned.iter().filter(|(p, _)| !html(p)).count();

    // Each page's file, and the stories it shows.
    type Made<T> = (Result<T, Diagnostic>, Vec<u32>);
    let results: Vec<Made<S::Item>> = pages
        .par_iter()
        .zip(planned)
        .enumerate()
        .map(|(i, (page, (path, what)))| {
            if let Some(r) = &reuse
                && !r.dirty[i]
                && let Some(kept) = sink.kept(&path)
            {
                return (Ok(kept), r.index.shows(i).to_vec());
            }
            let mut refs = Vec::new();
            let view = page.view();
            let fingerprint = renderer.fingerprint(page.template(), page.path(), &*view, &mut refs);
            let shows = index::stories_in(&refs);
            if let Some(kept) = sink.unchanged(&path, fingerprint) {
                return (Ok(kept), shows);
            }
            let made = renderer
                .render(page.template(), &*view, &what)
                .and_then(|bytes| {
                    let mut file = OutputFile::page_bytes(path, bytes, what);
                    file.fingerprint = fingerprint;
                    sink.put(file)
                });
            (made, shows)
        })
        .collect();
    time.mark("pages");
    let mut files = Vec::with_capacity(results.len() + extra.len() + statics.len());
    let mut failed = Vec::new();
    let mut shows = Vec::with_capacity(results.len());
    for (r, s) in results {
        shows.push(s);
        match r {
            Ok(f) => files.push(f),
            Err(d) => failed.push(d),
        }
    }
    let problems = Problems::of_pages(failed);
    if problems.has_errors() {
        return Err(problems);
    }
    if let Some(e) = views.failure() {
        return Err(Problems::from(
            Diagnostic::error(format!("cannot read the build cache: {e}"))
                .help("delete the .broadsheet-cache folder and build again"),
        ));
    }
    // Small files are cheap to make; the sink compares their bytes.
    for f in extra {
        files.push(sink.put(f).map_err(Problems::from)?);
    }
    let static_start = files.len();
    for f in statics {
        files.push(sink.put(f).map_err(Problems::from)?);
    }
    time.mark("other files");
    let site = Site {
        static_start,
        articles: library.stories.len(),
        pages: page_count,
        feeds,
        files,
    };
    Ok((site, PageIndex::new(shows, library.stories.len())))
}

/// The same site with its static files listed again from disk, for a change that touched
/// only `static/`.
pub fn with_new_statics(
    site: &Site<OutputFile>,
    root: &Path,
) -> Result<Site<OutputFile>, Problems> {
    let mut site = site.clone();
    site.files.truncate(site.static_start);
    site.files.extend(assets::static_files(root));
    check_collisions(&site.files.iter().map(OutputFile::claim).collect::<Vec<_>>())?;
    Ok(site)
}

/// When a scheduled story comes out, or a story enters or leaves the news sitemap's two days.
fn expires(
    library: &Library,
    unpublished: &HashMap<String, Unpublished>,
    now: DateTime<FixedOffset>,
) -> Option<DateTime<FixedOffset>> {
    let scheduled = unpublished.values().filter_map(|u| match u {
        Unpublished::Scheduled(when) => Some(*when),
        Unpublished::Draft => None,
    });
    let news = library.stories.iter().map(|s| {
        let date = s.entry.date;
        if date > now {
            date
        } else {
            date + chrono::Duration::days(discovery::NEWS_DAYS)
        }
    });
    scheduled.chain(news).filter(|t| *t > now).min()
}
