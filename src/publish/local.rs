//! Builds into a folder on this machine: the changed files go through a staging folder, and a
//! record of what each build wrote lets the next leave unchanged files alone.

use std::collections::HashMap;
use std::fs;
use std::path::{Path, PathBuf};

use super::staging::Staging;
use super::{
    Contents, MARKER, OutputFile, Sink, io_problem, modified_ns, remove_with_empty_folders,
};
use crate::diagnostic::{Diagnostic, Problems};

/// Where the record of each build's output is kept, so the next build can leave unchanged
/// files alone. Safe to delete: the next build is then a full one.
pub const CACHE_DIR: &str = ".broadsheet-cache";

/// What the last build wrote at one path.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Record {
    /// Of what the file was made from.
    pub fingerprint: u64,
    /// Of its bytes.
    pub hash: u64,
    pub size: u64,
    /// Modification time (ns) as the build left it; a file changed by hand since is rewritten.
    pub modified: u64,
}

/// Writes a build: the changed files into a staging folder, then into the target. The first
/// build (or one after the cache was deleted) swaps the whole staging folder in; later builds
/// move only the files whose bytes changed, and remove the ones that went away, so a deploy
/// by rsync or a CDN ships only those. Nothing reaches the target unless every page rendered.
pub struct Writer {
    staging: Staging,
    target: PathBuf,
    manifest: PathBuf,
    key: String,
    /// The last build's files, when the target still holds exactly them.
    previous: Option<Records>,
    /// The target folder, open, for looking at its files from there.
    target_dir: Option<fs::File>,
    /// The last build's number, which records kept beside the manifest name.
    pub previous_build: Option<u64>,
    /// Files handled so far, for a progress display.
    pub done: std::sync::atomic::AtomicUsize,
}

impl Writer {
    pub fn open(root: &Path, target: &Path) -> Result<Writer, Problems> {
        let staging = Staging::create(target)?;
        let last = last_build(root, target);
        Ok(Writer {
            staging,
            target: target.to_path_buf(),
            manifest: manifest_path(root, target),
            key: binary_identity(),
            previous_build: last.as_ref().map(|l| l.1),
            previous: last.map(|l| l.0),
            target_dir: fs::File::open(target).ok(),
            done: Default::default(),
        })
    }

    /// The target's file at `path`, if it is still as the last build left it.
    fn kept(&self, path: &str) -> Option<&Record> {
        let record = self.previous.as_ref()?.get(path)?;
        as_left(self.target_dir.as_ref()?, path, record).then_some(record)
    }

    /// Moves the changed files into place, removes the files no longer made, and records
    /// what the target now holds as build number `build`. Returns how many files were written.
    pub fn commit(self, files: Vec<(String, Record, bool)>, build: u64) -> Result<usize, Problems> {
        let Writer {
            staging,
            target,
            manifest,
            key,
            previous,
            ..
        } = self;
        let written = files.iter().filter(|(_, _, changed)| *changed).count();
        let mut records = Records::with_capacity_and_hasher(files.len(), Default::default());
        match &previous {
            None => {
                // Moving the folder into place keeps the times taken as each file was written.
                for (path, r, _) in files {
                    records.insert(path, r);
                }
                staging.commit()?;
            }
            Some(previous) => {
                for (path, r, changed) in files {
                    if changed {
                        let from = staging.dir.join(&path);
                        let to = target.join(&path);
                        if let Some(parent) = to.parent() {
                            fs::create_dir_all(parent)
                                .map_err(|e| io_problem("create", parent, e))?;
                        }
                        // A rename keeps the time taken when the file was written.
                        fs::rename(&from, &to)
                            .map_err(|e| io_problem("move into place", &to, e))?;
                    }
                    records.insert(path, r);
                }
                for gone in previous.keys().filter(|p| !records.contains_key(*p)) {
                    remove_with_empty_folders(&target, gone);
                }
                // What is left of the staging folder goes when it is dropped.
                drop(staging);
            }
        }
        write_manifest(&manifest, &key, build, &records);
        Ok(written)
    }
}

impl Sink for Writer {
    /// The path, what was recorded for it, and whether it was written this time.
    type Item = (String, Record, bool);

    fn unchanged(&self, path: &str, fingerprint: u64) -> Option<Self::Item> {
        let kept = self
            .kept(path)
            .filter(|r| r.fingerprint == fingerprint)
            .map(|r| (path.to_string(), *r, false));
        if kept.is_some() {
            self.done.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        }
        kept
    }

    fn kept(&self, path: &str) -> Option<Self::Item> {
        let kept = Writer::kept(self, path).map(|r| (path.to_string(), *r, false));
        if kept.is_some() {
            self.done.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        }
        kept
    }

    fn put(&self, file: OutputFile) -> Result<Self::Item, Diagnostic> {
        self.done.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let hash = match &file.contents {
            Contents::Bytes(b) => crate::fingerprint::of_bytes(b),
            Contents::Embedded(b) => crate::fingerprint::of_bytes(b),
            // A copy is known by its source's path, size and time.
            Contents::Copy(_) => file.fingerprint,
        };
        let size = match &file.contents {
            Contents::Bytes(b) => b.len() as u64,
            Contents::Embedded(b) => b.len() as u64,
            Contents::Copy(src) => fs::metadata(src).map(|m| m.len()).unwrap_or(0),
        };
        if let Some(r) = self.kept(&file.path)
            && r.hash == hash
            && r.size == size
        {
            let record = Record {
                fingerprint: file.fingerprint,
                ..*r
            };
            return Ok((file.path, record, false));
        }
        let modified = self.staging.put(&file)?;
        let record = Record {
            fingerprint: file.fingerprint,
            hash,
            size,
            modified,
        };
        Ok((file.path, record, true))
    }
}

/// Whether a file is as the last build left it, by size and time.
fn as_left(target: &fs::File, path: &str, record: &Record) -> bool {
    crate::content::Stamp::at(target, path)
        .is_some_and(|s| s.size == record.size && s.modified == record.modified)
}

/// The output's record by path (150,000 paths at 100,000 stories).
type Records = HashMap<String, Record, crate::fingerprint::FastHash>;

/// A text file in the cache about builds into `target`: each output folder has its own.
pub fn cache_file(root: &Path, target: &Path, kind: &str) -> PathBuf {
    cache_path(root, target, kind, "txt")
}

/// A file in the cache about builds into `target`, with the extension `ext`.
pub fn cache_path(root: &Path, target: &Path, kind: &str, ext: &str) -> PathBuf {
    let absolute = std::path::absolute(target).unwrap_or_else(|_| target.to_path_buf());
    root.join(CACHE_DIR).join(format!(
        "{kind}-{:016x}.{ext}",
        crate::fingerprint::of_bytes(absolute.to_string_lossy().as_bytes())
    ))
}

/// A number for a new build, different from the last one's.
pub fn new_build_number() -> u64 {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos() as u64);
    crate::fingerprint::of_bytes(
        &[
            nanos.to_le_bytes(),
            u64::from(std::process::id()).to_le_bytes(),
        ]
        .concat(),
    )
}

/// What the last build by this binary wrote into `target`, and its number, if the target is
/// still ours.
fn last_build(root: &Path, target: &Path) -> Option<(Records, u64)> {
    if !target.join(MARKER).exists() {
        return None;
    }
    read_manifest(&manifest_path(root, target), &binary_identity())
}

/// Whether `target` holds every file the last build into it wrote, as it left them.
pub fn intact(root: &Path, target: &Path) -> bool {
    use rayon::prelude::*;
    let (Some((records, _)), Ok(dir)) = (last_build(root, target), fs::File::open(target)) else {
        return false;
    };
    records
        .par_iter()
        .all(|(path, record)| as_left(&dir, path, record))
}

/// The running program, so a new broadsheet never trusts an old one's records.
pub fn binary_identity() -> String {
    let exe = std::env::current_exe()
        .ok()
        .and_then(|p| fs::metadata(p).ok());
    format!(
        "broadsheet {} {} {}",
        env!("CARGO_PKG_VERSION"),
        exe.as_ref().map_or(0, |m| m.len()),
        exe.as_ref().map_or(0, modified_ns)
    )
}

/// The record of what builds into `target` wrote.
fn manifest_path(root: &Path, target: &Path) -> PathBuf {
    cache_path(root, target, "output", "bin")
}

/// The output's record as kept on disk (postcard: read and written in a few milliseconds
/// even for 150,000 files).
#[derive(serde::Serialize, serde::Deserialize)]
struct Manifest<'a> {
    #[serde(borrow)]
    key: std::borrow::Cow<'a, str>,
    build: u64,
    records: Vec<(String, Record)>,
}

fn read_manifest(path: &Path, key: &str) -> Option<(Records, u64)> {
    let bytes = fs::read(path).ok()?;
    let manifest: Manifest = postcard::from_bytes(&bytes).ok()?;
    if manifest.key != key {
        return None;
    }
    Some((manifest.records.into_iter().collect(), manifest.build))
}

/// A cache that cannot be written only makes the next build a full one. Written whole or not
/// at all (a new file renamed over the old), so it never describes half of two builds.
fn write_manifest(path: &Path, key: &str, build: u64, records: &Records) {
    let mut records: Vec<(String, Record)> =
        (records.iter()).map(|(p, r)| (p.clone(), *r)).collect();
    records.sort_unstable_by(|a, b| a.0.cmp(&b.0));
    let manifest = Manifest {
        key: key.into(),
        build,
        records,
    };
    if let Ok(bytes) = postcard::to_stdvec(&manifest) {
        let _ = write_whole(path, &bytes);
    }
}

/// Writes `bytes` to a new file beside `path`, then renames it over `path`.
pub fn write_whole(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    if let Some(dir) = path.parent() {
        fs::create_dir_all(dir)?;
    }
    let mut new = path.as_os_str().to_owned();
    new.push(".new");
    fs::write(&new, bytes)?;
    fs::rename(&new, path)
}
