//! The live preview: the latest good build held in memory and served over HTTP, a watcher
//! that notices edits, and the events that make open pages reload.

pub mod server;
pub mod watcher;

use std::collections::HashMap;
use std::sync::{Arc, RwLock};

use tokio::sync::broadcast;

use crate::publish::{Contents, OutputFile};

/// One build as the server sees it.
pub struct Snapshot {
    /// Output path (`world/index.html`) to contents, as the last full build made them.
    files: Arc<HashMap<String, Contents>>,
    /// The files made again since, by rebuilds of a few pages.
    overlay: HashMap<String, Contents>,
    /// Counts successful builds; a page that saw another number is stale.
    pub build: u64,
    /// The problems of the last failed rebuild, shown over every page until fixed.
    pub error: Option<String>,
}

impl Snapshot {
    pub fn new(files: Vec<OutputFile>, build: u64) -> Snapshot {
        Snapshot {
            files: Arc::new(files.into_iter().map(|f| (f.path, f.contents)).collect()),
            overlay: HashMap::new(),
            build,
            error: None,
        }
    }

    /// This snapshot with `changed` files over it: the other files are shared, not copied.
    pub fn with(&self, changed: &[&OutputFile], build: u64) -> Snapshot {
        let mut overlay = self.overlay.clone();
        for f in changed {
            overlay.insert(f.path.clone(), f.contents.clone());
        }
        Snapshot {
            files: self.files.clone(),
            overlay,
            build,
            error: None,
        }
    }

    /// The same files, with the problems of a failed rebuild to show.
    pub fn failed(&self, error: String) -> Snapshot {
        Snapshot {
            files: self.files.clone(),
            overlay: self.overlay.clone(),
            build: self.build,
            error: Some(error),
        }
    }

    pub fn get(&self, path: &str) -> Option<&Contents> {
        self.overlay.get(path).or_else(|| self.files.get(path))
    }
}

/// What open pages are told.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Event {
    /// A new build: reload.
    Reload(u64),
    /// Only stylesheets changed: swap them without reloading.
    Css(u64),
    /// A rebuild failed: show the problems.
    Error(String),
}

/// State shared by the server and the rebuild loop.
pub struct Live {
    snapshot: RwLock<Arc<Snapshot>>,
    pub events: broadcast::Sender<Event>,
}

impl Live {
    pub fn new(snapshot: Snapshot) -> Live {
        let (events, _) = broadcast::channel(64);
        Live {
            snapshot: RwLock::new(Arc::new(snapshot)),
            events,
        }
    }

    /// The current build. Held only for the time of an Arc clone.
    pub fn current(&self) -> Arc<Snapshot> {
        self.snapshot
            .read()
            .map(|s| s.clone())
            .unwrap_or_else(|e| e.into_inner().clone())
    }

    pub fn publish(&self, snapshot: Snapshot, event: Event) {
        let snapshot = Arc::new(snapshot);
        match self.snapshot.write() {
            Ok(mut s) => *s = snapshot,
            Err(e) => *e.into_inner() = snapshot,
        }
        // No open page is not an error.
        let _ = self.events.send(event);
    }
}
