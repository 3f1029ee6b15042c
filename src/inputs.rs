//! Everything a build reads, as file sizes and times, and how long the clock leaves its result
//! alone. A build that finds all of it as the last successful one left it, and the output as
//! that build wrote it, has nothing to do and stops before loading a story.

use std::fs;
use std::path::{Path, PathBuf};
use std::time::SystemTime;

use chrono::{DateTime, FixedOffset};

use crate::config;
use crate::content::Stamp;

/// Folders whose every file may change the output.
const FOLDERS: &[&str] = &["content", "templates", "static"];

/// Each file by its path relative to the site root. A scan with a file changed too recently
/// for its stamp to be trusted (see [`Stamp::is_racy_at`]) is not recorded.
pub struct Scan {
    files: Vec<(String, Stamp)>,
    racy: bool,
}

/// Sizes and times of the config file and of every file under the site's folders.
pub fn scan(root: &Path) -> Scan {
    use rayon::prelude::*;
    let started = SystemTime::now();
    // Listed in one pass, then looked at on every core: the looking is most of the time.
    let mut paths = vec![root.join(config::FILE_NAME)];
    for folder in FOLDERS {
        // In the folders' own order, not sorted: it is the same from build to build while
        // nothing is added or removed, and a change in it only makes the early stop miss.
        let walk = walkdir::WalkDir::new(root.join(folder)).follow_links(true);
        paths.extend(
            (walk.into_iter().flatten())
                .filter(|e| !e.file_type().is_dir())
                .map(walkdir::DirEntry::into_path),
        );
    }
    let config_missing = !paths[0].exists();
    let root_dir = fs::File::open(root).ok();
    let looked: Vec<(String, Option<Stamp>)> = (paths.par_iter())
        .skip(usize::from(config_missing))
        .map(|path| {
            let rel = path.strip_prefix(root).unwrap_or(path);
            let stamp = match (&root_dir, rel.to_str()) {
                (Some(dir), Some(rel)) => Stamp::at(dir, rel),
                _ => fs::metadata(path).ok().map(|m| Stamp::of(&m)),
            };
            (rel.to_string_lossy().into_owned(), stamp)
        })
        .collect();
    let mut files = Vec::with_capacity(looked.len());
    let mut racy = false;
    for (rel, stamp) in looked {
        match stamp {
            Some(stamp) => {
                racy |= stamp.is_racy_at(started);
                files.push((rel, stamp));
            }
            // Unreadable now: never the same as a recorded scan.
            None => racy = true,
        }
    }
    Scan { files, racy }
}

impl Scan {
    /// The story files among the scanned ones (as `content::find` finds them, relative to
    /// the site), with their stamps: the build then need not look at them again.
    pub fn stories(&self) -> Vec<(PathBuf, Stamp)> {
        let under = Path::new(crate::content::DIR);
        let mut stories: Vec<&(String, Stamp)> = (self.files.iter())
            .filter(|(rel, _)| rel.ends_with(".md"))
            .filter(|(rel, _)| {
                Path::new(rel)
                    .strip_prefix(under)
                    .is_ok_and(|inner| inner.iter().all(|c| !crate::content::is_not_a_story(c)))
            })
            .collect();
        // In the order `content::find` gives (folder by folder), which decides which of two
        // clashing stories wins: as text with `/` before every other character.
        let key = |s: &str| {
            s.bytes()
                .map(|b| if b == b'/' { 0 } else { b })
                .collect::<Vec<u8>>()
        };
        stories.sort_by_cached_key(|(rel, _)| key(rel));
        (stories.into_iter())
            .map(|(rel, stamp)| (PathBuf::from(rel), *stamp))
            .collect()
    }
}

/// What the last successful build read and made.
pub struct Record {
    /// The time the build took as now, and the first time at which the clock alone would
    /// change its output (a scheduled story comes out, a story leaves the news sitemap).
    pub from: i64,
    pub until: Option<i64>,
    /// Stories, pages, feeds and files, for the summary line.
    pub counts: [usize; 6],
    files: Vec<(String, Stamp)>,
}

impl Record {
    pub fn new(
        scan: Scan,
        now: DateTime<FixedOffset>,
        until: Option<DateTime<FixedOffset>>,
        counts: [usize; 6],
    ) -> Option<Record> {
        (!scan.racy).then(|| Record {
            from: now.timestamp(),
            until: until.map(|u| u.timestamp()),
            counts,
            files: scan.files,
        })
    }

    /// Whether a build at `now` that found `scan` would make what this one made.
    pub fn still_holds(&self, scan: &Scan, now: DateTime<FixedOffset>) -> bool {
        let t = now.timestamp();
        !scan.racy && t >= self.from && self.until.is_none_or(|u| t < u) && scan.files == self.files
    }

    /// `key` names everything else the output depends on: the binary and the options.
    pub fn read(path: &Path, key: &str) -> Option<Record> {
        let text = fs::read_to_string(path).ok()?;
        let mut lines = text.lines();
        if lines.next()? != key {
            return None;
        }
        let mut head = lines.next()?.split(' ');
        let mut num = || head.next().and_then(|p| p.parse::<i64>().ok());
        let from = num()?;
        let until = num()?;
        let counts = [num()?, num()?, num()?, num()?, num()?, num()?].map(|n| n as usize);
        let mut files = Vec::new();
        for line in lines {
            let mut parts = line.splitn(3, '\t');
            let mut n = || parts.next().and_then(|p| u64::from_str_radix(p, 16).ok());
            let (size, modified) = (n()?, n()?);
            files.push((parts.next()?.to_string(), Stamp { size, modified }));
        }
        Some(Record {
            from,
            until: (until >= 0).then_some(until),
            counts,
            files,
        })
    }

    /// A record that cannot be written only makes the next build a full one.
    pub fn write(&self, path: &Path, key: &str) {
        let mut text = String::with_capacity(self.files.len() * 64 + 128);
        text.push_str(key);
        text.push('\n');
        let [a, b, c, d, e, f] = self.counts;
        text.push_str(&format!(
            "{} {} {a} {b} {c} {d} {e} {f}\n",
            self.from,
            self.until.unwrap_or(-1)
        ));
        for (p, Stamp { size, modified }) in &self.files {
            use std::fmt::Write;
            let _ = writeln!(text, "{size:x}\t{modified:x}\t{p}");
        }
        if let Some(dir) = path.parent() {
            let _ = fs::create_dir_all(dir);
        }
        let _ = fs::write(path, text);
    }
}

/// Forgets the last build's inputs, so the next build is a full one.
pub fn forget(path: &Path) {
    let _ = fs::remove_file(path);
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    fn now(secs: i64) -> DateTime<FixedOffset> {
        DateTime::from_timestamp(secs, 0)
            .expect("time")
            .fixed_offset()
    }

    fn old_site() -> tempfile::TempDir {
        let dir = tempfile::tempdir().expect("temp dir");
        fs::create_dir_all(dir.path().join("content/news")).expect("mkdir");
        fs::write(dir.path().join("config.toml"), "title = \"T\"\n").expect("write");
        fs::write(dir.path().join("content/news/a.md"), "a").expect("write");
        // Older than the racy window.
        let old = SystemTime::now() - Duration::from_secs(60);
        for f in ["config.toml", "content/news/a.md"] {
            let file = fs::File::options()
                .write(true)
                .open(dir.path().join(f))
                .expect("open");
            file.set_modified(old).expect("set time");
        }
        dir
    }

    #[test]
    fn a_record_holds_until_a_file_or_the_clock_moves() {
        let site = old_site();
        let record = Record::new(
            scan(site.path()),
            now(1000),
            Some(now(2000)),
            [1, 2, 3, 4, 5, 6],
        )
        .expect("not racy");
        let path = site.path().join(".cache/inputs.txt");
        record.write(&path, "key");
        let read = Record::read(&path, "key").expect("reads back");
        assert_eq!(read.counts, [1, 2, 3, 4, 5, 6]);
        assert!(read.still_holds(&scan(site.path()), now(1500)));
        assert!(
            !read.still_holds(&scan(site.path()), now(2000)),
            "a story is due"
        );
        assert!(
            !read.still_holds(&scan(site.path()), now(999)),
            "clock went back"
        );
        assert!(Record::read(&path, "other key").is_none());

        fs::write(site.path().join("content/news/b.jpg"), "b").expect("write");
        assert!(
            !read.still_holds(&scan(site.path()), now(1500)),
            "a new file"
        );
    }

    #[test]
    fn a_file_changed_just_now_is_not_recorded() {
        let site = old_site();
        fs::write(site.path().join("content/news/a.md"), "edited").expect("write");
        assert!(Record::new(scan(site.path()), now(1000), None, [0; 6]).is_none());
    }
}
