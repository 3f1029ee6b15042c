//! The only code that writes a site. Rendering hands each file to a [`Sink`]: the local
//! writer ([`local::Writer`]: a staging folder, then a swap or a move of what changed), the
//! preview's memory ([`memory`]), or a plain collection (`check`).

pub mod local;
pub mod memory;
pub mod staging;

use std::collections::{HashMap, HashSet};
use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::diagnostic::{Diagnostic, Problems};

/// Written into every output folder: a folder holding it may be replaced by the next build.
pub const MARKER: &str = ".broadsheet-output";

#[derive(Clone, PartialEq, Eq)]
pub enum Contents {
    /// Shared, so the preview server can hold a build without copying it.
    Bytes(Arc<Vec<u8>>),
    Embedded(&'static [u8]),
    /// Copied from this file.
    Copy(PathBuf),
}

#[derive(Clone)]
pub struct OutputFile {
    /// Relative to the output folder, `/`-separated.
    pub path: String,
    pub contents: Contents,
    /// What made it, for messages about collisions.
    pub origin: String,
    /// The site file it comes from, if it is a copy of one.
    pub source: Option<PathBuf>,
    /// For rendered pages, a fingerprint of what they are made from (see `render::Sink`).
    pub fingerprint: u64,
}

impl OutputFile {
    pub fn page(path: String, html: String, origin: impl Into<String>) -> OutputFile {
        OutputFile::page_bytes(path, html.into_bytes(), origin)
    }

    pub fn page_bytes(path: String, bytes: Vec<u8>, origin: impl Into<String>) -> OutputFile {
        OutputFile {
            path,
            contents: Contents::Bytes(Arc::new(bytes)),
            origin: origin.into(),
            source: None,
            fingerprint: 0,
        }
    }
}

/// A file's claim on an address of the site, checked before anything is rendered.
pub struct Claim<'a> {
    pub path: &'a str,
    pub origin: &'a str,
    pub source: Option<&'a Path>,
}

impl OutputFile {
    pub fn claim(&self) -> Claim<'_> {
        Claim {
            path: &self.path,
            origin: &self.origin,
            source: self.source.as_deref(),
        }
    }
}

/// Reports two outputs that would be written to one path, or a file where a folder must be.
pub fn check_collisions(files: &[Claim]) -> Result<(), Problems> {
    let mut problems = Problems::new();
    type Fast = crate::fingerprint::FastHash;
    let mut seen: HashMap<&str, &Claim, Fast> =
        HashMap::with_capacity_and_hasher(files.len(), Fast::default());
    for f in files {
        if let Some(first) = seen.insert(f.path, f) {
            let (copied, other) = if f.source.is_some() {
                (f, first)
            } else {
                (first, f)
            };
            let mut d = Diagnostic::error(format!(
                "{} has the same address as {} (/{})",
                copied.origin, other.origin, f.path
            ));
            if let Some(source) = copied.source {
                d = d.in_file(source);
            }
            problems.push(match (&copied.source, &other.source) {
                (Some(s), None) => d.help(format!(
                    "broadsheet makes that file itself: delete or rename {}",
                    s.display()
                )),
                _ => d.help("rename or remove one of them"),
            });
        }
    }
    let folders: HashSet<&str, Fast> = files
        .iter()
        .flat_map(|f| f.path.match_indices('/').map(|(i, _)| &f.path[..i]))
        .collect();
    for f in files {
        if folders.contains(f.path) {
            problems.push(
                Diagnostic::error(format!(
                    "{} is written to /{}, where the site needs a folder",
                    f.origin, f.path
                ))
                .help("rename it so it does not take the place of a page's folder"),
            );
        }
    }
    problems.into_result(())
}

/// What a build produced: what the sink made of each file, with counts.
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
    /// The file at `path` as the last build left it, whatever it was made from: for a page
    /// the build knows cannot have changed.
    fn kept(&self, _path: &str) -> Option<Self::Item> {
        None
    }
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

/// Drops every file: for a build that already has problems, whose pages are rendered only to
/// find the problems they have too, and must not fill a staging folder to be thrown away.
pub struct Discard;

impl Sink for Discard {
    type Item = ();
    fn unchanged(&self, _: &str, _: u64) -> Option<()> {
        None
    }
    fn put(&self, _: OutputFile) -> Result<(), Diagnostic> {
        Ok(())
    }
}

/// Writes a file and returns its modification time (ns), read from the open file rather
/// than by looking the path up again.
fn write_contents(dest: &Path, contents: &Contents) -> io::Result<u64> {
    use std::io::Write;
    let bytes = match contents {
        Contents::Bytes(b) => b.as_slice(),
        Contents::Embedded(b) => b,
        Contents::Copy(src) => {
            fs::copy(src, dest)?;
            return fs::metadata(dest).map(|m| modified_ns(&m));
        }
    };
    let mut file = fs::File::create(dest)?;
    file.write_all(bytes)?;
    file.metadata().map(|m| modified_ns(&m))
}

fn io_problem(what: &str, path: &Path, e: io::Error) -> Diagnostic {
    Diagnostic::error(format!("cannot {what} {}: {e}", path.display()))
        .help("check that the folder is writable and the disk is not full")
}

fn modified_ns(m: &fs::Metadata) -> u64 {
    crate::content::Stamp::of(m).modified
}

fn remove_with_empty_folders(dir: &Path, rel: &str) {
    let path = dir.join(rel);
    let _ = fs::remove_file(&path);
    let mut folder = path.parent();
    while let Some(f) = folder {
        if f == dir || fs::remove_dir(f).is_err() {
            break;
        }
        folder = f.parent();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(path: &str, origin: &str) -> OutputFile {
        OutputFile::page(path.into(), "x".into(), origin)
    }

    fn copy(path: &str, source: &str) -> OutputFile {
        OutputFile {
            path: path.into(),
            contents: Contents::Copy(source.into()),
            origin: source.into(),
            source: Some(source.into()),
            fingerprint: 0,
        }
    }

    fn collisions(files: &[OutputFile]) -> Result<(), Problems> {
        check_collisions(&files.iter().map(OutputFile::claim).collect::<Vec<_>>())
    }

    #[test]
    fn collisions_name_both_origins() {
        let p = collisions(&[
            file("a/index.html", "story x.md"),
            copy("a/index.html", "static/a/index.html"),
        ])
        .unwrap_err();
        assert_eq!(
            p.0[0].message,
            "static/a/index.html has the same address as story x.md (/a/index.html)"
        );
        assert_eq!(
            p.0[0].file.as_deref(),
            Some(Path::new("static/a/index.html"))
        );
        assert!(collisions(&[file("a", "static a"), file("a/index.html", "page")]).is_err());
        assert!(collisions(&[file("a/index.html", "p"), file("b/index.html", "q")]).is_ok());
    }
}
