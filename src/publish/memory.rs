//! The preview's sink: the last good build's files, reused when a page's fingerprint is
//! unchanged; and the preview folder that mirrors what is served.

use std::collections::{HashMap, HashSet};
use std::fs;
use std::io;
use std::path::Path;
use std::sync::Arc;

use super::{Contents, OutputFile, Sink, remove_with_empty_folders, write_contents};
use crate::diagnostic::Diagnostic;

/// The last good build's pages, reused when a page's fingerprint is unchanged.
pub struct Previous<'a>(HashMap<&'a str, &'a OutputFile>);

impl<'a> Previous<'a> {
    pub fn new(files: &'a [OutputFile]) -> Previous<'a> {
        Previous(files.iter().map(|f| (f.path.as_str(), f)).collect())
    }
}

impl Sink for Previous<'_> {
    type Item = OutputFile;

    fn unchanged(&self, path: &str, fingerprint: u64) -> Option<OutputFile> {
        self.0
            .get(path)
            .filter(|f| f.fingerprint == fingerprint)
            .map(|f| (*f).clone())
    }

    fn put(&self, file: OutputFile) -> Result<OutputFile, Diagnostic> {
        Ok(file)
    }
}

/// Makes `dir` hold exactly `files`, touching only what differs from `previous` (the files
/// it was last made from). For the preview's folder, which nothing serves from.
pub fn mirror(dir: &Path, files: &[OutputFile], previous: Option<&[OutputFile]>) -> io::Result<()> {
    let before: HashMap<&str, &Contents> = previous
        .unwrap_or_default()
        .iter()
        .map(|f| (f.path.as_str(), &f.contents))
        .collect();
    for f in files {
        let dest = dir.join(&f.path);
        let same = match (before.get(f.path.as_str()), &f.contents) {
            // Pages kept from the last build share their bytes: no need to compare them.
            (Some(Contents::Bytes(old)), Contents::Bytes(new)) => {
                Arc::ptr_eq(old, new) || old == new
            }
            (Some(Contents::Embedded(_)), Contents::Embedded(_)) => true,
            // Copied files change on disk without their entry changing.
            (Some(Contents::Copy(_)), Contents::Copy(src)) => same_file_times(src, &dest),
            _ => false,
        };
        if !same {
            write_one(dir, f)?;
        }
    }
    let now: HashSet<&str> = files.iter().map(|f| f.path.as_str()).collect();
    for gone in before.keys().filter(|p| !now.contains(*p)) {
        // Folders the removed page leaves empty go too, as a clean build would not have them.
        remove_with_empty_folders(dir, gone);
    }
    Ok(())
}

/// Writes `files` into the preview folder `dir`, for a rebuild that changed only them.
pub fn mirror_some(dir: &Path, files: &[&OutputFile]) -> io::Result<()> {
    files.iter().try_for_each(|f| write_one(dir, f))
}

fn write_one(dir: &Path, f: &OutputFile) -> io::Result<()> {
    let dest = dir.join(&f.path);
    if let Some(parent) = dest.parent() {
        fs::create_dir_all(parent)?;
    }
    write_contents(&dest, &f.contents).map(drop)
}

/// A copy is current when it is at least as new as its source and the same size.
fn same_file_times(src: &Path, dest: &Path) -> bool {
    match (fs::metadata(src), fs::metadata(dest)) {
        (Ok(a), Ok(b)) => a.len() == b.len() && a.modified().ok() <= b.modified().ok(),
        _ => false,
    }
}
