//! Which pages show which stories, found by hashing each page's view (the shared views it
//! shows are recorded on the way), never listed by hand: the reverse index a rebuild after a
//! story edit uses to render only the pages that show that story.

use crate::view::Slot;

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
