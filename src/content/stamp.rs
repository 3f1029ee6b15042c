//! A file's stamp: what a build trusts to tell it the file is unchanged.

/// A file's size and modification time (ns): while both hold, its contents are taken to be
/// the same (as make and rsync do).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Stamp {
    pub size: u64,
    pub modified: u64,
}

/// A file changed this close to now may change again within the same tick of the file
/// system's clock without its time moving, so its stamp is not trusted.
const RACY: std::time::Duration = std::time::Duration::from_secs(2);

impl Stamp {
    pub fn of(m: &std::fs::Metadata) -> Stamp {
        Stamp {
            size: m.len(),
            modified: m
                .modified()
                .ok()
                .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
                .map_or(0, |d| d.as_nanos() as u64),
        }
    }

    /// The stamp of the file at `rel` inside the open folder `dir`: looked up from the folder,
    /// not from the root, which halves the kernel's work for deep trees of many files.
    pub fn at(dir: &std::fs::File, rel: &str) -> Option<Stamp> {
        use rustix::fs::{AtFlags, statat};
        let st = statat(dir, rel, AtFlags::empty()).ok()?;
        let secs = u64::try_from(st.st_mtime).unwrap_or(0);
        Some(Stamp {
            size: st.st_size as u64,
            modified: secs * 1_000_000_000 + st.st_mtime_nsec as u64,
        })
    }

    /// Whether the file was changed too recently for its stamp to be trusted.
    pub fn is_racy(&self) -> bool {
        self.is_racy_at(std::time::SystemTime::now())
    }

    /// Whether the file was changed too close to `now` for its stamp to be trusted.
    pub fn is_racy_at(&self, now: std::time::SystemTime) -> bool {
        let modified = std::time::UNIX_EPOCH + std::time::Duration::from_nanos(self.modified);
        now.duration_since(modified).map_or(true, |age| age < RACY)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_stamp_looked_up_from_a_folder_equals_the_one_from_the_path() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("a/b")).unwrap();
        std::fs::write(dir.path().join("a/b/c.md"), "text").unwrap();
        let folder = std::fs::File::open(dir.path()).unwrap();
        let from_path = Stamp::of(&std::fs::metadata(dir.path().join("a/b/c.md")).unwrap());
        assert_eq!(Stamp::at(&folder, "a/b/c.md"), Some(from_path));
        assert_eq!(from_path.size, 4);
        assert_eq!(Stamp::at(&folder, "a/b/none.md"), None);
    }
}
