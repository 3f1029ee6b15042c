//! `broadsheet build`: the whole pipeline, from files to a written site.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::time::Instant;

use chrono::{DateTime, FixedOffset, TimeZone, Utc};
use rayon::prelude::*;

use crate::config::Config;
use crate::content::{self, Entry, Selection, Unpublished};
use crate::diagnostic::{Diagnostic, Problems};
use crate::inputs;
use crate::library::Library;
use crate::markdown::{self, Rendered};
use crate::output;
use crate::render::{self, templates::Templates, views::Address};

#[derive(Debug, Clone, Default)]
pub struct Options {
    pub output: Option<PathBuf>,
    pub base_url: Option<String>,
    pub drafts: bool,
    pub future: bool,
    pub force: bool,
}

pub struct Summary {
    pub articles: usize,
    pub pages: usize,
    pub feeds: usize,
    pub files: usize,
    /// Files whose bytes changed since the last build.
    pub written: usize,
    pub seconds: f64,
    pub output: PathBuf,
}

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

/// Loads, checks and renders a site in memory, writing nothing. Every stage runs as far as it
/// can, so one build reports every problem.
pub fn render_site<S: render::Sink>(
    root: &Path,
    config: &Config,
    selection: Selection,
    sources: Sources,
    sink: &S,
) -> Result<Built<S::Item>, Problems> {
    let (templates, loaded) = rayon::join(
        || Templates::load(root, config.timezone),
        || content::load(root, config, selection),
    );
    let mut problems = loaded.problems;
    let (mut stories, link_problems) =
        render_markdown(config, loaded.entries, &loaded.broken, &loaded.unpublished);
    if sources == Sources::Drop {
        // The largest thing a story holds that no page needs.
        for (entry, _) in &mut stories {
            entry.text = String::new();
        }
    }
    problems.extend(link_problems);
    let templates = match templates {
        Ok(t) => t,
        Err(p) => {
            problems.extend(p);
            return Err(problems.sorted());
        }
    };
    let library = Library::build(root, config, stories);
    let expires = expires(&library, &loaded.unpublished, selection.now);
    match render::site(root, config, &library, &templates, selection.now, sink) {
        Ok(site) if !problems.has_errors() => Ok(Built {
            library,
            site,
            expires,
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
    pub site: render::Site<T>,
    /// The first time at which the clock alone would change the site.
    pub expires: Option<DateTime<FixedOffset>>,
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
            date + chrono::Duration::days(render::NEWS_DAYS)
        }
    });
    scheduled.chain(news).filter(|t| *t > now).min()
}

/// Renders every story's Markdown, resolving `@/` links between stories. Links to stories
/// that failed to load are left alone: their own errors are reported.
fn render_markdown(
    config: &Config,
    entries: Vec<Entry>,
    broken: &HashSet<String>,
    unpublished: &HashMap<String, Unpublished>,
) -> (Vec<(Entry, Rendered)>, Problems) {
    let urls: HashMap<&str, String> = entries
        .iter()
        .map(|e| (e.content_path.as_str(), Address::new(config, &e.path).url))
        .collect();
    let results: Vec<(Rendered, Vec<Diagnostic>)> = entries
        .par_iter()
        .map(|e| {
            let resolve = |p: &str| {
                let p = p.trim_start_matches('/');
                urls.get(p)
                    .cloned()
                    .or_else(|| broken.contains(p).then(String::new))
            };
            let page_url = Address::new(config, &e.path).url;
            let links = markdown::Links {
                page_url: &page_url,
                resolve: &resolve,
            };
            let (rendered, broken) = markdown::render(e.body(), e.front.summary.as_deref(), &links);
            let problems = broken
                .into_iter()
                .map(|b| broken_link(e, &b, unpublished))
                .collect();
            (rendered, problems)
        })
        .collect();
    let mut problems = Problems::new();
    let mut stories = Vec::with_capacity(entries.len());
    for (entry, (rendered, diags)) in entries.into_iter().zip(results) {
        for d in diags {
            problems.push(d);
        }
        stories.push((entry, rendered));
    }
    (stories, problems)
}

/// An `@/` link that leads to no published story, pointing at the link's target.
fn broken_link(
    e: &Entry,
    b: &markdown::BrokenLink,
    unpublished: &HashMap<String, Unpublished>,
) -> Diagnostic {
    let offset = e.body_offset + b.offset;
    let target_at = e.text[offset..]
        .find(&b.target)
        .map_or(offset, |i| offset + i);
    let file = b
        .target
        .trim_start_matches("@/")
        .split('#')
        .next()
        .unwrap_or("");
    let d = Diagnostic::error(match unpublished.get(file) {
        Some(Unpublished::Draft) => format!(
            "the linked story content/{file} is a draft (draft = true) and is not published"
        ),
        Some(Unpublished::Scheduled(when)) => {
            format!(
                "the linked story content/{file} is scheduled for {} and is not published yet",
                when.to_rfc3339()
            )
        }
        None => format!("link to a story that does not exist: {}", b.target),
    })
    .in_file(&e.file)
    .at_offset(&e.text, target_at)
    .width(b.target.chars().count());
    d.help(match unpublished.get(file) {
        Some(Unpublished::Draft) => {
            "publish it first (draft = false), or preview both with --drafts"
        }
        Some(Unpublished::Scheduled(_)) => {
            "link to it once it is published, or preview both with --future"
        }
        None => "an @/ link names a story file under content/, like [text](@/world/some-story.md)",
    })
}

/// A progress line on a terminal for builds that take more than a second; nothing when piped.
/// It reads a counter the writer keeps, so the rendering threads never wait for it.
fn show_progress(
    done: &std::sync::atomic::AtomicUsize,
    finished: &std::sync::atomic::AtomicBool,
    start: Instant,
) {
    use std::io::IsTerminal;
    use std::sync::atomic::Ordering::Relaxed;
    let tick = std::time::Duration::from_millis(50);
    while !finished.load(Relaxed) && start.elapsed() < std::time::Duration::from_secs(1) {
        std::thread::sleep(tick);
    }
    if finished.load(Relaxed) || !std::io::stderr().is_terminal() {
        return;
    }
    let bar = indicatif::ProgressBar::new_spinner();
    bar.set_style(
        indicatif::ProgressStyle::with_template("{spinner} {msg} [{elapsed}]")
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_spinner()),
    );
    while !finished.load(Relaxed) {
        bar.set_message(format!("{} files rendered", done.load(Relaxed)));
        bar.tick();
        std::thread::sleep(tick);
    }
    bar.finish_and_clear();
}

pub fn run(root: &Path, options: &Options) -> Result<Summary, Problems> {
    let start = Instant::now();
    let config = Config::load(root, options.base_url.as_deref())?;
    let target = options
        .output
        .clone()
        .unwrap_or_else(|| root.join("public"));
    output::check_target(root, &target, options.force)?;
    let selection = Selection {
        drafts: options.drafts,
        future: options.future,
        now: now(),
    };
    let record_path = output::cache_file(root, &target, "inputs");
    let key = format!(
        "{}\t{:?}",
        output::binary_identity(),
        (options.drafts, options.future, &options.base_url)
    );
    let scan = inputs::scan(root);
    if let Some(record) = inputs::Record::read(&record_path, &key)
        && record.still_holds(&scan, selection.now)
        && output::intact(root, &target)
    {
        let [articles, pages, feeds, files] = record.counts;
        return Ok(Summary {
            articles,
            pages,
            feeds,
            files,
            written: 0,
            seconds: start.elapsed().as_secs_f64(),
            output: target,
        });
    }
    // Whatever happens next, the record no longer describes the output.
    inputs::forget(&record_path);
    // Each changed page is written to staging as soon as it is rendered; if anything fails the
    // staging folder is dropped and the target left alone.
    let writer = output::Writer::open(root, &target)?;
    let finished = std::sync::atomic::AtomicBool::new(false);
    let built = std::thread::scope(|scope| {
        scope.spawn(|| show_progress(&writer.done, &finished, start));
        let result = render_site(root, &config, selection, Sources::Drop, &writer);
        finished.store(true, std::sync::atomic::Ordering::Relaxed);
        result
    })?;
    let site = built.site;
    let files = site.files.len();
    let written = writer.commit(site.files)?;
    let counts = [site.articles, site.pages, site.feeds, files];
    if let Some(record) = inputs::Record::new(scan, selection.now, built.expires, counts) {
        record.write(&record_path, &key);
    }
    Ok(Summary {
        articles: site.articles,
        pages: site.pages,
        feeds: site.feeds,
        files,
        written,
        seconds: start.elapsed().as_secs_f64(),
        output: target,
    })
}
