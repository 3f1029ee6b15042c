//! Finding and reading every story of a build, reusing what an earlier build read of files
//! whose stamps are unchanged.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use chrono::{DateTime, FixedOffset};
use rayon::prelude::*;

use super::{Entry, Selection, Stamp, content_path, find, read_entry};
use crate::config::{Config, find_key_line};
use crate::diagnostic::{Diagnostic, Problems};

/// What reading one story file gave: the story (published or not), or what is wrong with it.
pub type Parsed = Result<Arc<Entry>, Problems>;

/// A story as this build has it: read now (with its text), or kept from an earlier build
/// (without it).
pub enum Source {
    Read(Box<Entry>),
    Kept(Arc<Entry>),
}

impl Source {
    pub fn entry(&self) -> &Entry {
        match self {
            Source::Read(e) => e,
            Source::Kept(e) => e,
        }
    }
}

/// What `load` found: the published stories, what was wrong with the others, and what each
/// file gave, for the next build to reuse.
pub struct Loaded {
    pub stories: Vec<Source>,
    pub problems: Problems,
    /// `content_path`s of story files that have errors, so links to them are not reported twice.
    pub broken: HashSet<String>,
    /// `content_path`s of good stories this build leaves out, and why.
    pub unpublished: HashMap<String, Unpublished>,
    /// Each file (relative to the site), its stamp, and what it gave. A story read now is
    /// listed once its text is no longer needed (see `pipeline`).
    pub parsed: Vec<(PathBuf, Stamp, Option<Parsed>)>,
}

/// Why a story is not on the site.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Unpublished {
    Draft,
    Scheduled(DateTime<FixedOffset>),
}

/// Reads and checks every story, keeping those the selection takes. `kept` gives what a file
/// gave an earlier build when its stamp is unchanged, so it need not be read again. `found`
/// is every story file (relative to the site) with its stamp, when the caller has just
/// looked; otherwise they are found here.
pub fn load(
    root: &Path,
    config: &Config,
    selection: Selection,
    kept: &(dyn Fn(&Path, Stamp) -> Option<Parsed> + Sync),
    found: Option<Vec<(PathBuf, Stamp)>>,
) -> Loaded {
    let files: Vec<(PathBuf, Option<Stamp>)> = match found {
        Some(found) => (found.into_iter())
            .map(|(f, s)| (root.join(f), Some(s)))
            .collect(),
        None => find(root).into_iter().map(|p| (p, None)).collect(),
    };
    let results: Vec<(PathBuf, Stamp, Result<Source, Problems>)> = files
        .par_iter()
        .map(|(path, stamp)| {
            let file = path.strip_prefix(root).unwrap_or(path).to_path_buf();
            let stamp = stamp.unwrap_or_else(|| {
                std::fs::metadata(path)
                    .map(|m| Stamp::of(&m))
                    .unwrap_or(Stamp {
                        size: 0,
                        modified: 0,
                    })
            });
            let reused = (!stamp.is_racy()).then(|| kept(&file, stamp)).flatten();
            let source = match reused {
                Some(Ok(e)) => Ok(Source::Kept(e)),
                Some(Err(p)) => Err(p),
                None => read_entry(root, path, config).map(|e| Source::Read(Box::new(e))),
            };
            (file, stamp, source)
        })
        .collect();
    let mut problems = Problems::new();
    let mut stories = Vec::new();
    let mut broken = HashSet::new();
    let mut unpublished = HashMap::new();
    let mut parsed = Vec::with_capacity(results.len());
    for (file, stamp, r) in results {
        if let Ok(source) = &r
            && let Some(w) = far_ahead(root, source.entry(), selection)
        {
            problems.push(w);
        }
        match r {
            Ok(source) => match select(source.entry(), selection) {
                None => {
                    parsed.push((file, stamp, None));
                    stories.push(source);
                }
                Some(why) => {
                    unpublished.insert(content_path(&file), why);
                    // Not rendered: nothing more is needed of its text.
                    let e = match source {
                        Source::Read(mut e) => {
                            e.text = String::new();
                            Arc::new(*e)
                        }
                        Source::Kept(e) => e,
                    };
                    parsed.push((file, stamp, Some(Ok(e))));
                }
            },
            Err(p) => {
                broken.insert(content_path(&file));
                parsed.push((file, stamp, Some(Err(p.clone()))));
                problems.extend(p);
            }
        }
    }
    let stories = drop_duplicate_paths(root, stories, &mut problems);
    Loaded {
        stories,
        problems,
        broken,
        unpublished,
        parsed,
    }
}

/// How far ahead a story may be dated before its date is taken for a slip of the year.
const FAR_AHEAD_DAYS: i64 = 30;

/// A warning for a story left out for being dated more than 30 days after now: most often
/// a mistyped year. With `--future` nothing is left out, and nothing is said.
fn far_ahead(root: &Path, e: &Entry, selection: Selection) -> Option<Diagnostic> {
    if selection.future || e.date <= selection.now + chrono::Duration::days(FAR_AHEAD_DAYS) {
        return None;
    }
    let d = Diagnostic::warning(format!(
        "this story is dated {}, more than {FAR_AHEAD_DAYS} days from now: is the year right?",
        e.date.format("%Y-%m-%d")
    ))
    .in_file(&e.file)
    .help("if it is meant for later, it stays off the site until then (`--future` previews it)");
    // A story kept from an earlier build has no text: read it to point at its date.
    let text = if e.text.is_empty() {
        std::fs::read_to_string(root.join(&e.file)).unwrap_or_default()
    } else {
        e.text.clone()
    };
    Some(match find_key_line(&text, "date") {
        Some(line) => d.at_value(&text, line),
        None => d,
    })
}

/// Why the selection leaves a story out, if it does.
pub fn select(e: &Entry, selection: Selection) -> Option<Unpublished> {
    if e.front.draft && !selection.drafts {
        Some(Unpublished::Draft)
    } else if e.date > selection.now && !selection.future {
        Some(Unpublished::Scheduled(e.date))
    } else {
        None
    }
}

/// Reports stories that share a URL and keeps only the first of each, so later stages do
/// not report the same clash again.
fn drop_duplicate_paths(root: &Path, stories: Vec<Source>, problems: &mut Problems) -> Vec<Source> {
    let mut first_of: HashMap<String, PathBuf> = HashMap::new();
    let mut kept = Vec::with_capacity(stories.len());
    for source in stories {
        let e = source.entry();
        match first_of.get(&e.path) {
            None => {
                first_of.insert(e.path.clone(), e.file.clone());
                kept.push(source);
            }
            Some(first) => {
                // A story kept from an earlier build has no text: read it for the message.
                let text = match &source {
                    Source::Read(e) => e.text.clone(),
                    Source::Kept(e) => {
                        std::fs::read_to_string(root.join(&e.file)).unwrap_or_default()
                    }
                };
                let key = if find_key_line(&text, "slug").is_some() {
                    "slug"
                } else {
                    "title"
                };
                let line = find_key_line(&text, key);
                let mut d = Diagnostic::error(format!(
                    "two stories have the URL {}: {} and {}",
                    e.path,
                    first.display(),
                    e.file.display()
                ))
                .in_file(&e.file);
                if let Some(line) = line {
                    d = d.at(&text, line, 1).width(key.len());
                }
                problems.push(d.help(format!(
                    "give one of them a different `slug`; both would be written to {}",
                    e.path
                )));
            }
        }
    }
    kept
}
