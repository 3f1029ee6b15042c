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
use crate::view::{Slot, fingerprint};

#[derive(Default)]
pub struct PageIndex {
    /// Each page's stories (library indices), in page order, sorted.
    shows: Vec<Vec<u32>>,
    /// Each story's pages, sorted.
    shown_on: Vec<Vec<u32>>,
}

impl PageIndex {
    pub fn new(shows: Vec<Vec<u32>>, stories: usize) -> PageIndex {
        let mut shown_on = vec![Vec::new(); stories];
        for (page, list) in shows.iter().enumerate() {
            for &s in list {
                if let Some(pages) = shown_on.get_mut(s as usize) {
                    pages.push(page as u32);
                }
            }
        }
        PageIndex { shows, shown_on }
    }

    pub fn pages(&self) -> usize {
        self.shows.len()
    }

    pub fn shows(&self, page: usize) -> &[u32] {
        self.shows.get(page).map_or(&[], Vec::as_slice)
    }

    /// Every page that shows any of `stories`, in page order.
    pub fn pages_showing(&self, stories: &[usize]) -> Vec<usize> {
        let mut pages: Vec<usize> = (stories.iter())
            .filter_map(|&s| self.shown_on.get(s))
            .flatten()
            .map(|&p| p as usize)
            .collect();
        pages.sort_unstable();
        pages.dedup();
        pages
    }

    /// Records what `page` shows now.
    pub fn set(&mut self, page: usize, shows: Vec<u32>) {
        let Some(old) = self.shows.get_mut(page) else {
            return;
        };
        if *old == shows {
            return;
        }
        let p = page as u32;
        for &s in old.iter() {
            if let Some(pages) = self.shown_on.get_mut(s as usize) {
                pages.retain(|&q| q != p);
            }
        }
        for &s in &shows {
            if let Some(pages) = self.shown_on.get_mut(s as usize)
                && let Err(at) = pages.binary_search(&p)
            {
                pages.insert(at, p);
            }
        }
        *old = shows;
    }
}

/// Where a story stands on the site: its address and its place in every list and index.
/// What is left out (title, subtitle, dateline, sources, image text, summary, extra, body)
/// reaches pages only through the story's own view.
#[derive(Serialize, PartialEq)]
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
        let places: Vec<Place> = library
            .stories
            .iter()
            .map(|s| Place::of(&s.entry))
            .collect();
        let hash = fingerprint(config.fingerprint ^ templates.fingerprint_all(), &places);
        let stories = (library.stories.iter())
            .map(|s| {
                let size = s.image.as_ref().and_then(|i| i.size);
                fingerprint(s.entry.source_hash, &size)
            })
            .collect();
        Layout { hash, stories }
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
        let changed: Vec<usize> = (0..layout.stories.len())
            .filter(|&i| self.stories[i] != layout.stories[i])
            .collect();
        let mut dirty = vec![false; index.pages()];
        for p in index.pages_showing(&changed) {
            dirty[p] = true;
        }
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
