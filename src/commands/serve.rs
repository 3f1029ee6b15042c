//! `broadsheet serve [--watch]`: builds in memory, serves it, and rebuilds on every save.

use std::net::{IpAddr, SocketAddr};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::mpsc;
use std::time::{Duration, Instant};

use crate::config::Config;
use crate::content::Selection;
use crate::diagnostic::{Diagnostic, Problems, use_colour};
use crate::pipeline::{self, Kept, Sources, now, render_site};
use crate::publish::{OutputFile, Site, memory};
use crate::serve::watcher::{Changes, SiteWatcher};
use crate::serve::{Event, Live, Snapshot, server};
use crate::store::Memo;

pub struct Options {
    pub bind: IpAddr,
    pub port: u16,
    pub watch: bool,
    pub drafts: bool,
    pub future: bool,
}

/// Builds the site for the preview address, reading again only the story files that changed
/// (`memo` has the rest) and rendering again only the pages whose views changed.
fn build(
    root: &Path,
    base_url: &str,
    options: &Options,
    previous: Option<&Site<OutputFile>>,
    memo: &Memo,
) -> Result<Kept, Problems> {
    let config = Config::load(root, Some(base_url))?;
    let sink = memory::Previous::new(previous.map_or(&[], |site| site.files.as_slice()));
    let built = render_site(
        root,
        &config,
        selection(options),
        Sources::Drop,
        pipeline::Earlier {
            memo: Some(memo),
            ..Default::default()
        },
        &|_| {},
        &sink,
    )?;
    Ok(Kept::new(config, built))
}

fn selection(options: &Options) -> Selection {
    Selection {
        drafts: options.drafts,
        future: options.future,
        now: now(),
    }
}

fn print_problems(problems: &Problems) {
    use std::io::IsTerminal;
    eprintln!(
        "{}",
        problems.render(use_colour(std::io::stderr().is_terminal()))
    );
}

pub fn run(root: &Path, options: &Options) -> Result<(), Problems> {
    let address = SocketAddr::new(options.bind, options.port);
    let listener = std::net::TcpListener::bind(address).map_err(|e| {
        let help = if e.kind() == std::io::ErrorKind::AddrInUse {
            format!(
                "another program is using port {}: stop it, or pass --port {}",
                options.port,
                options.port.saturating_add(1)
            )
        } else {
            "check the --bind address: it must be an address of this machine, like 127.0.0.1"
                .to_string()
        };
        Problems::from(Diagnostic::error(format!("cannot listen on {address}: {e}")).help(help))
    })?;
    listener
        .set_nonblocking(true)
        .map_err(|e| Problems::from(Diagnostic::error(e.to_string())))?;
    let base_url = format!("http://{address}");
    // The build is mirrored here for inspection; the server answers from memory.
    let mirror = tempfile::Builder::new()
        .prefix("broadsheet-serve-")
        .tempdir()
        .map_err(|e| {
            Problems::from(Diagnostic::error(format!(
                "cannot make a temporary folder: {e}"
            )))
        })?;

    let start = Instant::now();
    // Build numbers start from the clock, so a page from before a restart knows it is stale.
    let first_build = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(1, |d| d.as_millis() as u64);
    let (snapshot, kept) = match build(root, &base_url, options, None, &Memo::default()) {
        Ok(kept) => {
            let site = &kept.site;
            write_mirror(mirror.path(), &site.files, None);
            let snapshot = Snapshot::new(clone_files(&site.files), first_build);
            eprintln!(
                "Built {} articles, {} pages in {:.2}s",
                site.articles,
                site.pages,
                start.elapsed().as_secs_f64()
            );
            (snapshot, Some(kept))
        }
        Err(problems) => {
            print_problems(&problems);
            let s = Snapshot::new(Vec::new(), first_build).failed(problems.render(false));
            (s, None)
        }
    };
    let live = Arc::new(Live::new(snapshot));
    let watching = if options.watch {
        let (send, receive) = mpsc::channel();
        let watcher = SiteWatcher::start(root, send).map_err(|e| {
            Problems::from(Diagnostic::error(format!(
                "cannot watch the site for changes: {e}"
            )))
        })?;
        let rebuilder = Rebuilder {
            root: root.to_path_buf(),
            base_url: base_url.clone(),
            mirror: mirror.path().to_path_buf(),
            live: live.clone(),
            kept,
        };
        let opts = Options { ..*options };
        std::thread::spawn(move || rebuilder.run(receive, watcher, &opts));
        true
    } else {
        false
    };
    println!(
        "Serving {} at {base_url}/{} (Ctrl-C to stop)\nPreview files: {}",
        root.display(),
        if watching {
            ", rebuilding on changes"
        } else {
            ""
        },
        mirror.path().display()
    );

    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(|e| Problems::from(Diagnostic::error(format!("cannot start the server: {e}"))))?;
    let result = runtime.block_on(async move {
        let listener = tokio::net::TcpListener::from_std(listener)?;
        let app = server::router(live);
        tokio::select! {
            r = axum::serve(listener, app) => r,
            _ = shutdown_signal() => Ok(()),
        }
    });
    // Open event streams would hold the runtime; stop without waiting for them.
    runtime.shutdown_timeout(Duration::from_millis(100));
    drop(mirror);
    result.map_err(|e| Problems::from(Diagnostic::error(format!("the server stopped: {e}"))))
}

async fn shutdown_signal() {
    #[cfg(unix)]
    {
        let mut term =
            match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
                Ok(s) => s,
                Err(_) => return std::future::pending().await,
            };
        tokio::select! {
            _ = tokio::signal::ctrl_c() => {}
            _ = term.recv() => {}
        }
    }
    #[cfg(not(unix))]
    let _ = tokio::signal::ctrl_c().await;
}

impl Clone for Options {
    fn clone(&self) -> Self {
        Options { ..*self }
    }
}

/// The server's copy of the output: contents are shared, not copied.
fn clone_files(files: &[OutputFile]) -> Vec<OutputFile> {
    files.to_vec()
}

/// Brings the mirror folder up to date; a failure there does not stop the preview.
fn write_mirror(dir: &Path, files: &[OutputFile], previous: Option<&[OutputFile]>) {
    if let Err(e) = memory::mirror(dir, files, previous) {
        eprintln!(
            "warning: cannot update the preview folder {}: {e}",
            dir.display()
        );
    }
}

struct Rebuilder {
    root: PathBuf,
    base_url: String,
    mirror: PathBuf,
    live: Arc<Live>,
    /// The last good build.
    kept: Option<Kept>,
}

impl Rebuilder {
    fn run(
        mut self,
        receive: mpsc::Receiver<Changes>,
        mut watcher: SiteWatcher,
        options: &Options,
    ) {
        while let Ok(first) = receive.recv() {
            let mut changes = first;
            // A burst of saves (an editor writing a temp file, then renaming it) is one rebuild.
            while let Ok(more) = receive.recv_timeout(Duration::from_millis(15)) {
                changes.merge(more);
            }
            watcher.refresh();
            self.rebuild(&changes, options);
        }
    }

    fn rebuild(&mut self, changes: &Changes, options: &Options) {
        let start = Instant::now();
        let current = self.live.current();
        if current.error.is_none()
            && let Some(changed) = self.in_place(changes, options)
        {
            let kept = self.kept.as_ref().expect("in_place needs a kept build");
            let files: Vec<&OutputFile> = changed.iter().map(|&i| &kept.site.files[i]).collect();
            let build = current.build + 1;
            self.live
                .publish(current.with(&files, build), Event::Reload(build));
            if let Err(e) = memory::mirror_some(&self.mirror, &files) {
                eprintln!(
                    "warning: cannot update the preview folder {}: {e}",
                    self.mirror.display()
                );
            }
            eprintln!("Rebuilt in {} ms", start.elapsed().as_millis());
            return;
        }
        let static_only = !changes.statics.is_empty()
            && changes.content.is_empty()
            && !changes.templates
            && !changes.config;
        let memo = self
            .kept
            .as_ref()
            .map(|k| k.memo.clone())
            .unwrap_or_default();
        let result = match self.kept.take() {
            Some(mut kept) if static_only => {
                match pipeline::with_new_statics(&kept.site, &self.root) {
                    Ok(site) => {
                        let previous = std::mem::replace(&mut kept.site, site);
                        Ok((kept, Some(previous)))
                    }
                    Err(p) => {
                        self.kept = Some(kept);
                        Err(p)
                    }
                }
            }
            previous => {
                let site = previous.as_ref().map(|k| &k.site);
                let built = build(&self.root, &self.base_url, options, site, &memo);
                match built {
                    Ok(kept) => Ok((kept, previous.map(|k| k.site))),
                    Err(p) => {
                        self.kept = previous;
                        Err(p)
                    }
                }
            }
        };
        match result {
            Ok((kept, previous)) => {
                let build = current.build + 1;
                let snapshot = Snapshot::new(clone_files(&kept.site.files), build);
                let event = if changes.only_css() && current.error.is_none() {
                    Event::Css(build)
                } else {
                    Event::Reload(build)
                };
                self.live.publish(snapshot, event);
                let previous = previous.as_ref().map(|s| s.files.as_slice());
                write_mirror(&self.mirror, &kept.site.files, previous);
                eprintln!("Rebuilt in {} ms", start.elapsed().as_millis());
                self.kept = Some(kept);
            }
            Err(problems) => {
                print_problems(&problems);
                let text = problems.render(false);
                self.live
                    .publish(current.failed(text.clone()), Event::Error(text));
            }
        }
    }

    /// Takes story or template saves into the kept build in place, when they allow it: the
    /// places of the files that changed, or `None` for a full build.
    fn in_place(&mut self, changes: &Changes, options: &Options) -> Option<Vec<usize>> {
        let kept = self.kept.as_mut()?;
        if changes.config || !changes.statics.is_empty() {
            return None;
        }
        match (changes.content.is_empty(), changes.templates) {
            (false, false) => kept.story_saves(&self.root, &changes.content, selection(options)),
            (true, true) => kept.template_saves(&self.root),
            _ => None,
        }
    }
}
