//! Which pages show which stories, found by hashing each page's view (the shared views it
//! shows are recorded on the way), never listed by hand: the reverse index a rebuild after a
//! story edit uses to render only the pages that show that story.

use std::path::{Path, PathBuf};

use chrono::{DateTime, Datelike, FixedOffset};
use serde::{Deserialize, Serialize};

use crate::config::Config;
use crate::content::Entry;
use crate::model::Library;
use crate::render::templates::Templates;
use crate::view::Slot;

#[derive(Default)]
pub struct PageIndex {
    /// Each page's stories (library indices), in page order, sorted.
    shows: Vec<Vec<u32>>,
    /// Each story's pages, sorted: made the first time it is asked for, as a build that
    /// only records the index never needs it.
    shown_on: std::sync::OnceLock<Vec<Vec<u32>>>,
    stories: usize,
}

impl PageIndex {
    pub fn new(shows: Vec<Vec<u32>>, stories: usize) -> PageIndex {
        PageIndex {
            shows,
            shown_on: std::sync::OnceLock::new(),
            stories,
        }
    }

    fn shown_on(&self) -> &Vec<Vec<u32>> {
        self.shown_on.get_or_init(|| {
            let mut shown_on = vec![Vec::new(); self.stories];
            for (page, list) in self.shows.iter().enumerate() {
                for &s in list {
                    if let Some(pages) = shown_on.get_mut(s as usize) {
                        pages.push(page as u32);
                    }
                }
            }
            shown_on
        })
    }

    pub fn pages(&self) -> usize {
        self.shows.len()
    }

    pub fn shows(&self, page: usize) -> &[u32] {
        self.shows.get(page).map_or(&[], Vec::as_slice)
    }

    /// Every page that shows any of `stories`, in page order.
    pub fn pages_showing(&self, stories: &[usize]) -> Vec<usize> {
        let shown_on = self.shown_on();
        let mut pages: Vec<usize> = (stories.iter())
            .filter_map(|&s| shown_on.get(s))
            .flatten()
            .map(|&p| p as usize)
            .collect();
        pages.sort_unstable();
        pages.dedup();
        pages
    }

    /// Whether each page shows one of the stories `changed` marks, in one pass over the
    /// pages, without the story-to-pages side.
    pub fn showing(&self, changed: &[bool]) -> Vec<bool> {
        (self.shows.iter())
            .map(|list| list.iter().any(|&s| changed.get(s as usize) == Some(&true)))
            .collect()
    }

    /// Records what `page` shows now.
    pub fn set(&mut self, page: usize, shows: Vec<u32>) {
        let Some(old) = self.shows.get(page) else {
            return;
        };
        if *old == shows {
            return;
        }
        let p = page as u32;
        if let Some(shown_on) = self.shown_on.get_mut() {
            for &s in old.iter() {
                if let Some(pages) = shown_on.get_mut(s as usize) {
                    pages.retain(|&q| q != p);
                }
            }
            for &s in &shows {
                if let Some(pages) = shown_on.get_mut(s as usize)
                    && let Err(at) = pages.binary_search(&p)
                {
                    pages.insert(at, p);
                }
            }
        }
        self.shows[page] = shows;
    }
}

/// Where a story stands on the site: its address and its place in every list and index.
/// What is left out (title, subtitle, dateline, sources, image text, summary, extra, body)
/// reaches pages only through the story's own view.
#[derive(PartialEq)]
pub struct Place<'a> {
    file: &'a Path,
    path: &'a str,
    slug: &'a str,
    section: &'a str,
    date: Instant,
    updated: Option<Instant>,
    local_date: i32,
    tags: &'a [String],
    authors: &'a [String],
    image: &'a Option<String>,
    featured: bool,
    draft: bool,
    aliases: &'a [String],
}

impl<'a> Place<'a> {
    pub fn of(e: &'a Entry) -> Place<'a> {
        let f = &e.front;
        Place {
            file: &e.file,
            path: &e.path,
            slug: &e.slug,
            section: &e.section,
            date: instant(&e.date),
            updated: e.updated.as_ref().map(instant),
            local_date: e.local_date.num_days_from_ce(),
            tags: &f.tags,
            authors: &f.authors,
            image: &f.image,
            featured: f.featured,
            draft: f.draft,
            aliases: &f.aliases,
        }
    }
}

impl Place<'_> {
    /// Every field into `buf`, each string after its length: hashed in one call, as a build
    /// hashes 100,000 of them.
    fn write(&self, buf: &mut Vec<u8>) {
        let mut text = |s: &str| {
            buf.extend_from_slice(&(s.len() as u64).to_le_bytes());
            buf.extend_from_slice(s.as_bytes());
        };
        text(&self.file.to_string_lossy());
        text(self.path);
        text(self.slug);
        text(self.section);
        for list in [self.tags, self.authors, self.aliases] {
            text(&list.len().to_string());
            list.iter().for_each(|t| text(t));
        }
        text(self.image.as_deref().unwrap_or("\u{0}none"));
        let (date, offset) = self.date;
        let (updated, updated_offset) = self.updated.unwrap_or((i64::MIN, i32::MIN));
        for n in [date, i64::from(offset), updated, i64::from(updated_offset)] {
            buf.extend_from_slice(&n.to_le_bytes());
        }
        buf.extend_from_slice(&self.local_date.to_le_bytes());
        buf.extend_from_slice(&[u8::from(self.featured), u8::from(self.draft)]);
    }
}

/// A date as seconds and its offset: hashed as numbers, not formatted as text first.
type Instant = (i64, i32);

fn instant(d: &DateTime<FixedOffset>) -> Instant {
    (d.timestamp(), d.offset().local_minus_utc())
}

/// What a build's pages are made from, in two parts: everything that decides which pages
/// there are and what they list (the settings, the templates, every story's place), and each
/// story's own content. Two builds with the same first part differ only in the pages that
/// show a story whose content differs.
pub struct Layout {
    pub hash: u64,
    /// Each story's content, in library order.
    pub stories: Vec<u64>,
}

impl Layout {
    pub fn of(config: &Config, templates: &Templates, library: &Library) -> Layout {
        use crate::fingerprint::{Fingerprint, of_bytes};
        let mut all = Fingerprint::new(config.fingerprint ^ templates.fingerprint_all());
        let mut buf = Vec::with_capacity(1024);
        let mut stories = Vec::with_capacity(library.stories.len());
        for s in &library.stories {
            buf.clear();
            Place::of(&s.entry).write(&mut buf);
            all.add(of_bytes(&buf));
            let (w, h) = s
                .image
                .as_ref()
                .and_then(|i| i.size)
                .unwrap_or((0, u32::MAX));
            let content = [s.entry.source_hash, (u64::from(w) << 32) | u64::from(h)];
            stories.push(of_bytes(&content.map(u64::to_le_bytes).concat()));
        }
        Layout {
            hash: all.finish(),
            stories,
        }
    }
}

/// A build's layout and page index as kept beside its output's record, under that record's
/// build number, so they are used only with the output they describe.
#[derive(Serialize, Deserialize)]
pub struct Recorded {
    pub build: u64,
    layout: u64,
    stories: Vec<u64>,
    shows: Vec<Vec<u32>>,
}

/// Which pages of a build may differ from the last one's, and what the others show.
pub struct Reuse {
    pub dirty: Vec<bool>,
    pub index: PageIndex,
}

impl Recorded {
    pub fn new(build: u64, layout: &Layout, index: &PageIndex) -> Recorded {
        Recorded {
            build,
            layout: layout.hash,
            stories: layout.stories.clone(),
            shows: index.shows.clone(),
        }
    }

    pub fn read(path: &Path) -> Option<Recorded> {
        postcard::from_bytes(&std::fs::read(path).ok()?).ok()
    }

    /// A record that cannot be written only makes the next build a full one.
    pub fn write(&self, path: &Path) {
        if let Ok(bytes) = postcard::to_stdvec(self) {
            let _ = crate::publish::local::write_whole(path, &bytes);
        }
    }

    /// What this build can take from the recorded one: `None` unless the layouts are equal;
    /// then the pages that show a story whose content changed are dirty.
    pub fn reuse(self, layout: &Layout) -> Option<Reuse> {
        if self.layout != layout.hash || self.stories.len() != layout.stories.len() {
            return None;
        }
        let index = PageIndex::new(self.shows, self.stories.len());
        let changed: Vec<bool> = (0..layout.stories.len())
            .map(|i| self.stories[i] != layout.stories[i])
            .collect();
        let dirty = index.showing(&changed);
        Some(Reuse { dirty, index })
    }
}

/// Where a build's record is kept, beside its output's.
pub fn record_path(root: &Path, target: &Path) -> PathBuf {
    crate::publish::local::cache_path(root, target, "pages", "bin")
}

/// The stories among the shared views a page showed, sorted and each once.
pub fn stories_in(refs: &[Slot]) -> Vec<u32> {
    let mut ids: Vec<u32> = (refs.iter())
        .filter_map(|r| match r {
            Slot::Story(i) => Some(*i),
            _ => None,
        })
        .collect();
    ids.sort_unstable();
    ids.dedup();
    ids
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_are_found_by_the_stories_they_show_and_follow_changes() {
        let mut index = PageIndex::new(vec![vec![0], vec![0, 1], vec![2]], 3);
        assert_eq!(index.pages_showing(&[0]), vec![0, 1]);
        assert_eq!(index.pages_showing(&[1, 2]), vec![1, 2]);
        index.set(2, vec![0, 2]);
        assert_eq!(index.pages_showing(&[0]), vec![0, 1, 2]);
        index.set(1, vec![1]);
        assert_eq!(index.pages_showing(&[0]), vec![0, 2]);
        assert_eq!(index.pages_showing(&[7]), Vec::<usize>::new());
        assert_eq!(
            index.showing(&[true, false, false]),
            vec![true, false, true]
        );
        let fresh = PageIndex::new(vec![vec![0], vec![1]], 2);
        assert_eq!(fresh.showing(&[false, true]), vec![false, true]);
    }

    #[test]
    fn only_stories_are_kept_of_a_page_s_refs() {
        let refs = [
            Slot::Site,
            Slot::Story(4),
            Slot::Tag(1),
            Slot::Story(2),
            Slot::Story(4),
        ];
        assert_eq!(stories_in(&refs), vec![2, 4]);
    }
}
