//! `broadsheet build`: the shared pipeline into the local writer, unless nothing changed.

use std::path::{Path, PathBuf};
use std::time::Instant;

use crate::config::Config;
use crate::content::Selection;
use crate::diagnostic::Problems;
use crate::inputs;
use crate::pipeline::{self, Sources, Timings, now, render_site};
use crate::publish::{local, staging};
use crate::store::{Memo, Store, Unusable};

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
    /// Good stories left out: drafts, and stories scheduled for later.
    pub drafts: usize,
    pub scheduled: usize,
    /// Warnings of this build (none when it stopped early: nothing changed since).
    pub warnings: crate::diagnostic::Problems,
    /// Files whose bytes changed since the last build.
    pub written: usize,
    pub seconds: f64,
    pub output: PathBuf,
}

/// A progress line on a terminal for builds that take more than a second; nothing when piped.
/// It reads a counter the writer keeps, so the rendering threads never wait for it; it stops
/// as soon as `finished` is dropped.
fn show_progress(done: &std::sync::atomic::AtomicUsize, finished: std::sync::mpsc::Receiver<()>) {
    use std::io::IsTerminal;
    use std::sync::atomic::Ordering::Relaxed;
    use std::sync::mpsc::RecvTimeoutError::Timeout;
    let tick = std::time::Duration::from_millis(50);
    let first = std::time::Duration::from_secs(1);
    if finished.recv_timeout(first) != Err(Timeout) || !std::io::stderr().is_terminal() {
        return;
    }
    let bar = indicatif::ProgressBar::new_spinner();
    bar.set_style(
        indicatif::ProgressStyle::with_template("{spinner} {msg} [{elapsed}]")
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_spinner()),
    );
    while finished.recv_timeout(tick) == Err(Timeout) {
        bar.set_message(format!("{} files rendered", done.load(Relaxed)));
        bar.tick();
    }
    bar.finish_and_clear();
}

pub fn run(root: &Path, options: &Options) -> Result<Summary, Problems> {
    let start = Instant::now();
    let mut time = Timings::start();
    let config = Config::load(root, options.base_url.as_deref())?;
    let target = options
        .output
        .clone()
        .unwrap_or_else(|| root.join("public"));
    staging::check_target(root, &target, options.force)?;
    let selection = Selection {
        drafts: options.drafts,
        future: options.future,
        now: now(),
    };
    let record_path = local::cache_file(root, &target, "inputs");
    let key = format!(
        "{}\t{:?}",
        local::binary_identity(),
        (options.drafts, options.future, &options.base_url)
    );
    let scan = inputs::scan(root);
    time.mark("input scan");
    if let Some(record) = inputs::Record::read(&record_path, &key)
        && record.still_holds(&scan, selection.now)
        && local::intact(root, &target)
    {
        let [articles, pages, feeds, files, drafts, scheduled] = record.counts;
        return Ok(Summary {
            articles,
            pages,
            feeds,
            files,
            drafts,
            scheduled,
            warnings: Problems::new(),
            written: 0,
            seconds: start.elapsed().as_secs_f64(),
            output: target,
        });
    }
    // Held until this build is done: a second build of the site waits for it.
    let cache = root.join(local::CACHE_DIR);
    let new_cache = !cache.exists();
    let store = open_store(root);
    let memo = store.as_ref().map(load_memo).unwrap_or_default();
    time.mark("early stop checked, store read");
    // Whatever happens next, the record no longer describes the output.
    inputs::forget(&record_path);
    // Each changed page is written to staging as soon as it is rendered; if anything fails the
    // staging folder is dropped and the target left alone.
    let writer = local::Writer::open(root, &target)?;
    let pages_record = pipeline::record_path(root, &target);
    let recorded =
        pipeline::Recorded::read(&pages_record).filter(|r| Some(r.build) == writer.previous_build);
    time.mark("writer");
    let (finished, finishing) = std::sync::mpsc::channel::<()>();
    let built = std::thread::scope(|scope| {
        scope.spawn(|| show_progress(&writer.done, finishing));
        // Written while the pages render; a store that cannot be written only makes the
        // next build slower.
        let remember = |next: std::sync::Arc<Memo>| {
            if let Some(store) = &store {
                let memo = &memo;
                scope.spawn(move || {
                    let t = std::time::Instant::now();
                    let _ = store.save(memo, &next);
                    if pipeline::timings_enabled() {
                        eprintln!(
                            "  (store written in {:.1} ms)",
                            t.elapsed().as_secs_f64() * 1000.0
                        );
                    }
                });
            }
        };
        let fill = |stories: &[&crate::model::Story]| -> Result<(), String> {
            let store = store.as_ref().ok_or("the build cache is not open")?;
            let bodies: Vec<_> = (stories.iter())
                .map(|s| (s.entry.file.as_path(), &*s.body))
                .collect();
            store.fill(&bodies)
        };
        let result = render_site(
            root,
            &config,
            selection,
            Sources::Drop,
            pipeline::Earlier {
                memo: Some(&memo),
                recorded,
                stories: Some(scan.stories()),
                fill: Some(&fill),
            },
            &remember,
            &writer,
        );
        drop(finished);
        result
    });
    let built = match built {
        Ok(built) => built,
        Err(problems) => {
            // A first build that fails leaves nothing behind, not even its cache.
            drop(store);
            if new_cache {
                let _ = std::fs::remove_dir_all(&cache);
            }
            return Err(problems);
        }
    };
    let site = built.site;
    let files = site.files.len();
    time.mark("built");
    // The record of this build first, then the output's under the same number: a build
    // stopped between the two leaves numbers that differ, and the record is not used.
    let number = local::new_build_number();
    pipeline::Recorded::new(number, &built.layout, &built.index).write(&pages_record);
    let written = writer.commit(site.files, number)?;
    time.mark("committed");

    let (drafts, scheduled) = built.left_out;
    let warnings = built.warnings;
    let counts = [
        site.articles,
        site.pages,
        site.feeds,
        files,
        drafts,
        scheduled,
    ];
    if let Some(record) = inputs::Record::new(scan, selection.now, built.expires, counts) {
        record.write(&record_path, &key);
    }
    time.mark("inputs recorded");
    // The process ends with this build: freeing every story's parts one by one would take
    // a tenth of a second at 100,000 stories, for nothing.
    std::mem::forget((
        memo,
        built.library,
        built.index,
        built.memo,
        built.templates,
    ));
    Ok(Summary {
        articles: site.articles,
        pages: site.pages,
        feeds: site.feeds,
        files,
        drafts,
        scheduled,
        warnings,
        written,
        seconds: start.elapsed().as_secs_f64(),
        output: target,
    })
}

/// The site's store, or none when it cannot be had (the build is then a full one). A store
/// set aside is replaced by a new one.
fn open_store(root: &Path) -> Option<Store> {
    let mut waiting = || eprintln!("Waiting for another build of this site to finish...");
    match Store::open(root, &mut waiting) {
        Ok(store) => Some(store),
        Err(Unusable::SetAside(notice)) => {
            eprintln!("{notice}");
            Store::open(root, &mut waiting).ok()
        }
        Err(Unusable::Unavailable(_)) => None,
    }
}

/// What the last build remembered; nothing, with a notice, if the store cannot be read.
fn load_memo(store: &Store) -> Memo {
    store.memo().unwrap_or_else(|e| {
        eprintln!("note: the build cache could not be read ({e}); this build is a full one");
        Memo::default()
    })
}
