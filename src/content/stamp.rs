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
