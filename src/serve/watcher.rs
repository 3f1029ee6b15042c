//! Which file changes matter to the site, and what each asks to be rebuilt.

use std::path::{Path, PathBuf};
use std::sync::mpsc::Sender;
use std::time::Duration;

use notify_debouncer_full::notify::RecursiveMode;
use notify_debouncer_full::{DebounceEventResult, Debouncer, RecommendedCache, new_debouncer};

/// What a batch of changes asks for, from least to most work.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Changes {
    /// Changed files under `static/`, relative to the site root.
    pub statics: Vec<PathBuf>,
    /// Changed files under `content/`.
    pub content: Vec<PathBuf>,
    pub templates: bool,
    pub config: bool,
}

impl Changes {
    pub fn is_empty(&self) -> bool {
        self.statics.is_empty() && self.content.is_empty() && !self.templates && !self.config
    }

    pub fn add(&mut self, root: &Path, path: &Path) {
        let Ok(rel) = path.strip_prefix(root) else {
            return;
        };
        if rel.iter().any(|c| is_editor_leftover(&c.to_string_lossy())) {
            return;
        }
        let first = rel
            .iter()
            .next()
            .map(|c| c.to_string_lossy().into_owned())
            .unwrap_or_default();
        match first.as_str() {
            crate::config::FILE_NAME if rel.iter().count() == 1 => self.config = true,
            "templates" => self.templates = true,
            "static" => push_new(&mut self.statics, rel),
            crate::content::DIR => push_new(&mut self.content, rel),
            _ => {}
        }
    }

    pub fn merge(&mut self, other: Changes) {
        for p in other.statics {
            push_new(&mut self.statics, &p);
        }
        for p in other.content {
            push_new(&mut self.content, &p);
        }
        self.templates |= other.templates;
        self.config |= other.config;
    }

    /// Only stylesheets changed, so pages can swap them without reloading.
    pub fn only_css(&self) -> bool {
        !self.statics.is_empty()
            && self.content.is_empty()
            && !self.templates
            && !self.config
            && self
                .statics
                .iter()
                .all(|p| p.extension().is_some_and(|e| e == "css"))
    }
}

fn push_new(list: &mut Vec<PathBuf>, p: &Path) {
    if !list.iter().any(|q| q == p) {
        list.push(p.to_path_buf());
    }
}

/// Swap, backup and temporary files that editors write beside the real one.
pub fn is_editor_leftover(name: &str) -> bool {
    name.starts_with('.')
        || name.ends_with('~')
        || (name.starts_with('#') && name.ends_with('#'))
        || name == "4913"
        || [
            ".swp",
            ".swx",
            ".swo",
            ".tmp",
            ".crswap",
            "___jb_tmp___",
            "___jb_old___",
            ".kate-swp",
            ".bak",
        ]
        .iter()
        .any(|s| name.ends_with(s))
}

/// Watches the site and sends each debounced batch of changes that matter.
pub struct SiteWatcher {
    debouncer: Debouncer<notify_debouncer_full::notify::RecommendedWatcher, RecommendedCache>,
    root: PathBuf,
    /// The site's folders being watched; one made after the start is added by `refresh`.
    watched: Vec<PathBuf>,
}

impl SiteWatcher {
    pub fn start(root: &Path, send: Sender<Changes>) -> Result<SiteWatcher, String> {
        let root_abs = root.canonicalize().map_err(|e| e.to_string())?;
        let base = root_abs.clone();
        let mut debouncer = new_debouncer(
            Duration::from_millis(20),
            None,
            move |result: DebounceEventResult| {
                let Ok(events) = result else { return };
                let mut changes = Changes::default();
                // Reading a file (as every build does) is not a change.
                for event in events.iter().filter(|e| !e.kind.is_access()) {
                    for path in &event.paths {
                        changes.add(&base, path);
                    }
                }
                if !changes.is_empty() {
                    let _ = send.send(changes);
                }
            },
        )
        .map_err(|e| e.to_string())?;
        // The site root itself only for config.toml and for folders made later; the three
        // folders recursively. Not the root recursively: it may hold public/ and target/.
        debouncer
            .watch(&root_abs, RecursiveMode::NonRecursive)
            .map_err(|e| e.to_string())?;
        let mut watcher = SiteWatcher {
            debouncer,
            root: root_abs,
            watched: Vec::new(),
        };
        watcher.refresh();
        Ok(watcher)
    }

    /// Watches any of `content/`, `templates/` and `static/` that exist and are not watched
    /// yet (a site may gain `templates/` while it is being previewed).
    pub fn refresh(&mut self) {
        for dir in [crate::content::DIR, "templates", "static"] {
            let d = self.root.join(dir);
            if d.is_dir()
                && !self.watched.contains(&d)
                && self.debouncer.watch(&d, RecursiveMode::Recursive).is_ok()
            {
                self.watched.push(d);
            }
        }
        // A folder that was removed and made again needs a new watch.
        self.watched.retain(|d| d.is_dir());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classifies_and_ignores() {
        let root = Path::new("/site");
        let mut c = Changes::default();
        for p in [
            "/site/content/world/a.md",
            "/site/content/world/.a.md.swp",
            "/site/content/world/a.md~",
            "/site/content/world/4913",
            "/site/content/.#a.md",
            "/site/static/css/site.css",
            "/site/public/index.html",
            "/site/target/x",
        ] {
            c.add(root, Path::new(p));
        }
        assert_eq!(c.content, vec![PathBuf::from("content/world/a.md")]);
        assert_eq!(c.statics, vec![PathBuf::from("static/css/site.css")]);
        assert!(!c.templates && !c.config);
        assert!(!c.only_css());
        let mut css = Changes::default();
        css.add(root, Path::new("/site/static/css/site.css"));
        assert!(css.only_css());
        css.add(root, Path::new("/site/config.toml"));
        assert!(css.config && !css.only_css());
    }
}
