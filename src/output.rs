//! The only code that writes a site: every file goes into a staging folder beside the target,
//! which then replaces the target in one rename. A failed build leaves the old output as it was.

use std::collections::{HashMap, HashSet};
use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;

use crate::diagnostic::{Diagnostic, Problems};

/// Written into every output folder: a folder holding it may be replaced by the next build.
pub const MARKER: &str = ".broadsheet-output";

#[derive(Clone)]
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
    let mut seen: HashMap<&str, &Claim> = HashMap::with_capacity(files.len());
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
    let folders: HashSet<&str> = files
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

/// Refuses targets that would put the site's own files at risk.
pub fn check_target(root: &Path, target: &Path, force: bool) -> Result<(), Diagnostic> {
    let abs = |p: &Path| -> PathBuf {
        let p = if p.is_absolute() {
            p.to_path_buf()
        } else {
            std::env::current_dir().unwrap_or_default().join(p)
        };
        // Resolve what exists, keep the rest as written.
        let mut existing = p.clone();
        let mut rest = Vec::new();
        while !existing.exists() {
            match (existing.parent(), existing.file_name()) {
                (Some(parent), Some(name)) => {
                    rest.push(name.to_os_string());
                    existing = parent.to_path_buf();
                }
                _ => break,
            }
        }
        let mut out = existing.canonicalize().unwrap_or(existing);
        out.extend(rest.iter().rev());
        out
    };
    let root = abs(root);
    let target_abs = abs(target);
    let protected = ["content", "templates", "static"].map(|d| root.join(d));
    if root.starts_with(&target_abs)
        || protected.iter().any(|p| target_abs.starts_with(p))
        || target_abs.join(crate::config::FILE_NAME) == root.join(crate::config::FILE_NAME)
    {
        return Err(Diagnostic::error(format!(
            "refusing to build into {}: it holds the site's own files",
            target.display()
        ))
        .help("choose an output folder of its own, such as public/"));
    }
    if target.exists() {
        if !target.is_dir() {
            return Err(Diagnostic::error(format!(
                "{} exists and is not a folder",
                target.display()
            ))
            .help("remove it or choose another --output"));
        }
        let empty = fs::read_dir(target)
            .map(|mut d| d.next().is_none())
            .unwrap_or(false);
        if !empty && !target.join(MARKER).exists() && !force {
            return Err(Diagnostic::error(format!(
                "{} is not empty and was not made by broadsheet; refusing to replace it",
                target.display()
            ))
            .help("choose another --output, empty the folder, or pass --force to replace it"));
        }
    }
    Ok(())
}

/// A hidden folder beside the target that a build writes into, swapped in by `commit`.
/// Dropped without a commit, it removes itself and the target stays as it was.
pub struct Staging {
    target: PathBuf,
    dir: PathBuf,
    old: PathBuf,
    committed: bool,
}

impl Staging {
    /// Makes the (empty) staging folder; folders inside it are made as files need them.
    pub fn create(target: &Path) -> Result<Staging, Problems> {
        let parent = match target.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
            _ => PathBuf::from("."),
        };
        let name = target
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "public".into());
        fs::create_dir_all(&parent).map_err(|e| io_problem("create", &parent, e))?;
        let pid = std::process::id();
        let staging = Staging {
            target: target.to_path_buf(),
            dir: parent.join(format!(".{name}.staging-{pid}")),
            old: parent.join(format!(".{name}.old-{pid}")),
            committed: false,
        };
        if staging.dir.exists() {
            fs::remove_dir_all(&staging.dir).map_err(|e| io_problem("clear", &staging.dir, e))?;
        }
        fs::create_dir_all(&staging.dir).map_err(|e| io_problem("create", &staging.dir, e))?;
        Ok(staging)
    }

    /// Writes one file and returns its modification time (ns); safe to call from many threads
    /// at once.
    pub fn put(&self, f: &OutputFile) -> Result<u64, Diagnostic> {
        let dest = self.dir.join(&f.path);
        // A page's folder is its own (`world/talks/index.html`): make it first rather than
        // fail to open the file and retry.
        if f.path.ends_with("/index.html")
            && let Some(parent) = dest.parent()
        {
            match fs::create_dir(parent) {
                Err(e) if e.kind() == io::ErrorKind::NotFound => {
                    fs::create_dir_all(parent).map_err(|e| io_problem("create", parent, e))?;
                }
                _ => {}
            }
        }
        match write_contents(&dest, &f.contents) {
            Err(e) if e.kind() == io::ErrorKind::NotFound => {
                // The first file of its folder.
                if let Some(parent) = dest.parent() {
                    fs::create_dir_all(parent).map_err(|e| io_problem("create", parent, e))?;
                }
                write_contents(&dest, &f.contents)
            }
            r => r,
        }
        .map_err(|e| io_problem("write", &dest, e))
    }

    /// Marks the folder as broadsheet's and swaps it in for the target.
    pub fn commit(mut self) -> Result<(), Problems> {
        fs::write(
            self.dir.join(MARKER),
            "This folder was written by broadsheet and is replaced by each build.\n",
        )
        .map_err(|e| io_problem("write", &self.dir, e))?;
        let had_old = self.target.exists();
        if had_old {
            fs::rename(&self.target, &self.old)
                .map_err(|e| io_problem("move aside", &self.target, e))?;
        }
        if let Err(e) = fs::rename(&self.dir, &self.target) {
            if had_old {
                let _ = fs::rename(&self.old, &self.target);
            }
            return Err(io_problem("move into place", &self.target, e).into());
        }
        self.committed = true;
        if had_old {
            // The old output is ours (checked before) and already replaced; failing to delete
            // it leaves a hidden folder, not a broken site.
            let _ = fs::remove_dir_all(&self.old);
        }
        Ok(())
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.committed {
            let _ = fs::remove_dir_all(&self.dir);
        }
    }
}

/// Where the record of each build's output is kept, so the next build can leave unchanged
/// files alone. Safe to delete: the next build is then a full one.
pub const CACHE_DIR: &str = ".broadsheet-cache";

/// What the last build wrote at one path.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Record {
    /// Of what the file was made from.
    pub fingerprint: u64,
    /// Of its bytes.
    pub hash: u64,
    pub size: u64,
    /// Modification time (ns) as the build left it; a file changed by hand since is rewritten.
    pub modified: u64,
}

fn modified_ns(m: &fs::Metadata) -> u64 {
    m.modified()
        .ok()
        .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
        .map_or(0, |d| d.as_nanos() as u64)
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
    previous: Option<HashMap<String, Record>>,
    /// Files handled so far, for a progress display.
    pub done: std::sync::atomic::AtomicUsize,
}

impl Writer {
    pub fn open(root: &Path, target: &Path) -> Result<Writer, Problems> {
        let staging = Staging::create(target)?;
        Ok(Writer {
            staging,
            target: target.to_path_buf(),
            manifest: cache_file(root, target, "output"),
            key: binary_identity(),
            previous: last_build(root, target),
            done: Default::default(),
        })
    }

    /// The target's file at `path`, if it is still as the last build left it.
    fn kept(&self, path: &str) -> Option<&Record> {
        let record = self.previous.as_ref()?.get(path)?;
        as_left(&self.target, path, record).then_some(record)
    }

    /// Moves the changed files into place, removes the files no longer made, and records
    /// what the target now holds. Returns how many files were written.
    pub fn commit(self, files: Vec<(String, Record, bool)>) -> Result<usize, Problems> {
        let Writer {
            staging,
            target,
            manifest,
            key,
            previous,
            ..
        } = self;
        let written = files.iter().filter(|(_, _, changed)| *changed).count();
        let mut records: HashMap<String, Record> = HashMap::with_capacity(files.len());
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
        write_manifest(&manifest, &key, &records);
        Ok(written)
    }
}

impl crate::render::Sink for Writer {
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
fn as_left(target: &Path, path: &str, record: &Record) -> bool {
    fs::metadata(target.join(path))
        .is_ok_and(|m| m.len() == record.size && modified_ns(&m) == record.modified)
}

/// A file in the cache about builds into `target`: each output folder has its own.
pub fn cache_file(root: &Path, target: &Path, kind: &str) -> PathBuf {
    let absolute = std::path::absolute(target).unwrap_or_else(|_| target.to_path_buf());
    root.join(CACHE_DIR).join(format!(
        "{kind}-{:016x}.txt",
        crate::fingerprint::of_bytes(absolute.to_string_lossy().as_bytes())
    ))
}

/// What the last build by this binary wrote into `target`, if the target is still ours.
fn last_build(root: &Path, target: &Path) -> Option<HashMap<String, Record>> {
    if !target.join(MARKER).exists() {
        return None;
    }
    read_manifest(&cache_file(root, target, "output"), &binary_identity())
}

/// Whether `target` holds every file the last build into it wrote, as it left them.
pub fn intact(root: &Path, target: &Path) -> bool {
    use rayon::prelude::*;
    let Some(records) = last_build(root, target) else {
        return false;
    };
    records
        .par_iter()
        .all(|(path, record)| as_left(target, path, record))
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

fn read_manifest(path: &Path, key: &str) -> Option<HashMap<String, Record>> {
    let text = fs::read_to_string(path).ok()?;
    let mut lines = text.lines();
    if lines.next()? != key {
        return None;
    }
    let mut records = HashMap::new();
    for line in lines {
        let mut parts = line.splitn(5, '\t');
        let mut num = || parts.next().and_then(|p| u64::from_str_radix(p, 16).ok());
        let (fingerprint, hash, size, modified) = (num()?, num()?, num()?, num()?);
        let path = parts.next()?.to_string();
        records.insert(
            path,
            Record {
                fingerprint,
                hash,
                size,
                modified,
            },
        );
    }
    Some(records)
}

/// A cache that cannot be written only makes the next build a full one.
fn write_manifest(path: &Path, key: &str, records: &HashMap<String, Record>) {
    let mut text = String::with_capacity(records.len() * 80 + key.len() + 1);
    text.push_str(key);
    text.push('\n');
    let mut paths: Vec<&String> = records.keys().collect();
    paths.sort();
    for p in paths {
        let r = records[p];
        text.push_str(&format!(
            "{:x}\t{:x}\t{:x}\t{:x}\t{p}\n",
            r.fingerprint, r.hash, r.size, r.modified
        ));
    }
    if let Some(dir) = path.parent() {
        let _ = fs::create_dir_all(dir);
    }
    let _ = fs::write(path, text);
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

/// Writes `files` through a staging folder and swaps it in.
pub fn write(target: &Path, files: &[OutputFile]) -> Result<(), Problems> {
    let staging = Staging::create(target)?;
    let errors: Vec<Diagnostic> = files
        .par_iter()
        .filter_map(|f| staging.put(f).err())
        .collect();
    if !errors.is_empty() {
        return Err(Problems(errors));
    }
    staging.commit()
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
        if same {
            continue;
        }
        if let Some(parent) = dest.parent() {
            fs::create_dir_all(parent)?;
        }
        write_contents(&dest, &f.contents)?;
    }
    let now: HashSet<&str> = files.iter().map(|f| f.path.as_str()).collect();
    for gone in before.keys().filter(|p| !now.contains(*p)) {
        // Folders the removed page leaves empty go too, as a clean build would not have them.
        remove_with_empty_folders(dir, gone);
    }
    Ok(())
}

/// A copy is current when it is at least as new as its source and the same size.
fn same_file_times(src: &Path, dest: &Path) -> bool {
    match (fs::metadata(src), fs::metadata(dest)) {
        (Ok(a), Ok(b)) => a.len() == b.len() && a.modified().ok() <= b.modified().ok(),
        _ => false,
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

    #[test]
    fn swap_replaces_and_refuses_foreign_folders() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("site");
        fs::create_dir_all(&root).unwrap();
        let target = root.join("public");
        fs::create_dir_all(&target).unwrap();
        fs::write(target.join("mine.txt"), "user file").unwrap();
        assert!(check_target(&root, &target, false).is_err());
        assert!(check_target(&root, &target, true).is_ok());
        assert!(check_target(&root, &root, true).is_err());
        assert!(check_target(&root, &root.join("content/x"), true).is_err());
        write(&target, &[file("index.html", "front")]).unwrap();
        assert!(!target.join("mine.txt").exists());
        assert!(target.join(MARKER).exists());
        assert!(check_target(&root, &target, false).is_ok());
        let leftovers: Vec<_> = fs::read_dir(&root)
            .unwrap()
            .flatten()
            .map(|e| e.file_name())
            .collect();
        assert_eq!(leftovers, vec![std::ffi::OsString::from("public")]);
    }
}
