//! The staging folder beside the target that a build writes into and then swaps in whole,
//! and the check that a target may be replaced at all.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use super::{MARKER, OutputFile, io_problem, write_contents};
use crate::diagnostic::{Diagnostic, Problems};

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
    pub(super) dir: PathBuf,
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
        // One atomic exchange where the system has it: no moment without an output folder,
        // however the build is stopped.
        if had_old && exchange(&self.dir, &self.target) {
            self.committed = true;
            let _ = fs::remove_dir_all(&self.dir);
            return Ok(());
        }
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

/// Swaps two folders in one step; false where the system cannot.
#[cfg(any(target_os = "linux", target_os = "android", target_vendor = "apple"))]
fn exchange(a: &Path, b: &Path) -> bool {
    use rustix::fs::{CWD, RenameFlags, renameat_with};
    renameat_with(CWD, a, CWD, b, RenameFlags::EXCHANGE).is_ok()
}

#[cfg(not(any(target_os = "linux", target_os = "android", target_vendor = "apple")))]
fn exchange(_: &Path, _: &Path) -> bool {
    false
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.committed {
            let _ = fs::remove_dir_all(&self.dir);
        }
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

#[cfg(test)]
mod tests {
    use super::*;

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
        write(
            &target,
            &[OutputFile::page("index.html".into(), "x".into(), "front")],
        )
        .unwrap();
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
