//! Every published story, newest first, and the indexes pages are made from.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use chrono::{Datelike, NaiveDate};

use super::address::Address;
use super::story::{LeadImage, Story};
use crate::config::{Config, display_name};
use crate::content::Entry;
use crate::markdown::Rendered;
use crate::slug::{SlugMode, slugify};

pub struct Section {
    pub slug: String,
    pub name: String,
    pub stories: Vec<usize>,
}

/// A tag or an author.
pub struct Term {
    pub name: String,
    pub slug: String,
    pub stories: Vec<usize>,
}

/// How far, in each tag's list, related stories are looked for.
pub const RELATED_WINDOW: usize = 32;

pub struct Library {
    /// Newest first.
    pub stories: Vec<Story>,
    /// In navigation order.
    pub sections: Vec<Section>,
    /// By name.
    pub tags: Vec<Term>,
    pub authors: Vec<Term>,
    pub years: BTreeMap<i32, Vec<usize>>,
    pub months: BTreeMap<(i32, u32), Vec<usize>>,
    pub days: BTreeMap<NaiveDate, Vec<usize>>,
    /// The front page's order: featured stories first, then the rest, each newest first.
    pub front: Vec<usize>,
}

impl Library {
    /// `size_of` gives each lead image's pixel size, by its file relative to the site.
    pub fn build(
        config: &Config,
        stories: Vec<(Arc<Entry>, Arc<Rendered>)>,
        size_of: &(dyn Fn(&Path) -> Option<(u32, u32)> + Sync),
    ) -> Library {
        // Sorted by moving each story once, not at every step of the sort.
        let mut order: Vec<usize> = (0..stories.len()).collect();
        order.sort_by(|&a, &b| {
            stories[b]
                .0
                .date
                .cmp(&stories[a].0.date)
                .then_with(|| stories[a].0.file.cmp(&stories[b].0.file))
        });
        let mut stories = stories;
        permute(&mut stories, &order);

        let mut sections: Vec<Section> = config
            .sections
            .iter()
            .map(|s| Section {
                slug: s.slug.clone(),
                name: s.name.clone(),
                stories: Vec::new(),
            })
            .collect();
        let mut section_index: HashMap<String, usize> = sections
            .iter()
            .enumerate()
            .map(|(i, s)| (s.slug.clone(), i))
            .collect();
        let mut unlisted: Vec<String> = stories
            .iter()
            .map(|(e, _)| e.section.clone())
            .filter(|s| !section_index.contains_key(s))
            .collect();
        unlisted.sort();
        unlisted.dedup();
        for slug in unlisted {
            section_index.insert(slug.clone(), sections.len());
            sections.push(Section {
                name: display_name(&slug),
                slug,
                stories: Vec::new(),
            });
        }

        let mut tags = TermIndex::default();
        let mut authors = TermIndex::default();
        let mut library = Library {
            stories: Vec::with_capacity(stories.len()),
            sections,
            tags: Vec::new(),
            authors: Vec::new(),
            years: BTreeMap::new(),
            months: BTreeMap::new(),
            days: BTreeMap::new(),
            front: Vec::new(),
        };
        let resolved: Vec<(Address, Option<LeadImage>)> = {
            use rayon::prelude::*;
            let size_of = |f: PathBuf| size_of(&f);
            stories
                .par_iter()
                .map(|(e, _)| {
                    let image = e
                        .front
                        .image
                        .as_deref()
                        .map(|img| LeadImage::resolve(config, &e.file, &e.path, img, &size_of));
                    (Address::new(config, &e.path), image)
                })
                .collect()
        };
        for (i, ((entry, body), (address, image))) in stories.into_iter().zip(resolved).enumerate()
        {
            let section = section_index[&entry.section];
            library.sections[section].stories.push(i);
            let tag_ids = entry
                .front
                .tags
                .iter()
                .filter_map(|t| tags.add(t, i, config))
                .collect();
            let author_ids = entry
                .front
                .authors
                .iter()
                .filter_map(|a| authors.add(a, i, config))
                .collect();
            let d = entry.local_date;
            library.years.entry(d.year()).or_default().push(i);
            library
                .months
                .entry((d.year(), d.month()))
                .or_default()
                .push(i);
            library.days.entry(d).or_default().push(i);
            library.stories.push(Story {
                entry,
                address,
                body,
                image,
                section,
                tags: tag_ids,
                authors: author_ids,
            });
        }
        let (featured, rest): (Vec<usize>, Vec<usize>) =
            (0..library.stories.len()).partition(|&i| library.stories[i].entry.front.featured);
        library.front = featured.into_iter().chain(rest).collect();
        // Term ids were given in order of first use; map them to the sorted order.
        let (sorted_tags, tag_order) = tags.finish();
        let (sorted_authors, author_order) = authors.finish();
        library.tags = sorted_tags;
        library.authors = sorted_authors;
        for s in &mut library.stories {
            for t in &mut s.tags {
                *t = tag_order[*t];
            }
            for a in &mut s.authors {
                *a = author_order[*a];
            }
        }
        library
    }

    /// Indices of stories sharing the most tags with `story`, newest first among equals,
    /// chosen among the `RELATED_WINDOW` stories on either side of it in each of its tags.
    pub fn related(&self, story: usize, limit: usize) -> Vec<usize> {
        let tags = &self.stories[story].tags;
        // Candidates are the stories nearest in time within each tag, so a tag on thousands
        // of stories costs no more than a small one and builds stay linear in stories.
        let mut ids: Vec<usize> = tags
            .iter()
            .flat_map(|&t| {
                let list = &self.tags[t].stories;
                let at = list.binary_search(&story).unwrap_or_else(|i| i);
                list[at.saturating_sub(RELATED_WINDOW)..(at + RELATED_WINDOW + 1).min(list.len())]
                    .iter()
                    .copied()
            })
            .filter(|&other| other != story)
            .collect();
        ids.sort_unstable();
        // Runs of one id count its shared tags; ids ascend, so among equals the newest comes
        // first and is kept.
        let mut best: Vec<(usize, usize)> = Vec::with_capacity(limit + 1);
        for run in ids.chunk_by(|a, b| a == b) {
            let count = run.len();
            if best.len() < limit || best.last().is_some_and(|&(c, _)| count > c) {
                let at = best.partition_point(|&(c, _)| c >= count);
                best.insert(at, (count, run[0]));
                best.truncate(limit);
            }
        }
        best.into_iter().map(|(_, i)| i).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn permute_moves_each_item_to_its_place() {
        let mut items = vec!['a', 'b', 'c', 'd', 'e'];
        permute(&mut items, &[2, 0, 1, 4, 3]);
        assert_eq!(items, vec!['c', 'a', 'b', 'e', 'd']);
        let mut same = vec![1, 2, 3];
        permute(&mut same, &[0, 1, 2]);
        assert_eq!(same, vec![1, 2, 3]);
    }

    fn library(tags: &[&[usize]]) -> Library {
        let stories = tags
            .iter()
            .map(|t| Story {
                entry: Arc::new(crate::content::Entry::for_tests()),
                address: Address {
                    url: String::new(),
                    permalink: String::new(),
                },
                body: Arc::default(),
                image: None,
                section: 0,
                tags: t.to_vec(),
                authors: Vec::new(),
            })
            .collect::<Vec<_>>();
        let mut terms: Vec<Term> = Vec::new();
        for (i, s) in stories.iter().enumerate() {
            for &t in &s.tags {
                while terms.len() <= t {
                    terms.push(Term {
                        name: String::new(),
                        slug: String::new(),
                        stories: Vec::new(),
                    });
                }
                terms[t].stories.push(i);
            }
        }
        Library {
            stories,
            sections: Vec::new(),
            tags: terms,
            authors: Vec::new(),
            years: BTreeMap::new(),
            months: BTreeMap::new(),
            days: BTreeMap::new(),
            front: Vec::new(),
        }
    }

    #[test]
    fn related_by_shared_tags_then_newest() {
        // Story 0 shares two tags with 3, one with 1, 2 and 4.
        let lib = library(&[&[0, 1], &[0], &[1], &[0, 1], &[0], &[2]]);
        assert_eq!(lib.related(0, 3), vec![3, 1, 2]);
        assert_eq!(lib.related(0, 10), vec![3, 1, 2, 4]);
        assert!(lib.related(5, 4).is_empty());
    }
}

/// Reorders `items` in place so that item `k` is the one that was at `order[k]`, moving each
/// item once along the permutation's cycles.
fn permute<T>(items: &mut [T], order: &[usize]) {
    let mut done = vec![false; items.len()];
    for start in 0..items.len() {
        let mut k = start;
        while !done[k] {
            done[k] = true;
            let next = order[k];
            if next == start {
                break;
            }
            items.swap(k, next);
            k = next;
        }
    }
}

#[derive(Default)]
struct TermIndex {
    terms: Vec<Term>,
    by_slug: HashMap<String, usize>,
    /// Names as written, to their term: a tag is named on thousands of stories and its slug
    /// need be worked out only once.
    by_name: HashMap<String, Option<usize>>,
}

impl TermIndex {
    fn add(&mut self, name: &str, story: usize, config: &Config) -> Option<usize> {
        let id = match self.by_name.get(name) {
            Some(&id) => id?,
            None => {
                let id = self.term(name, config);
                self.by_name.insert(name.to_string(), id);
                id?
            }
        };
        let stories = &mut self.terms[id].stories;
        // A story naming one tag twice is listed once.
        if stories.last() != Some(&story) {
            stories.push(story);
        }
        Some(id)
    }

    /// The term a name stands for, made on first use; none for a name with no letters.
    fn term(&mut self, name: &str, config: &Config) -> Option<usize> {
        let name = name.trim();
        if name.is_empty() {
            return None;
        }
        let mut slug = slugify(name, config.slugify);
        if slug.is_empty() {
            slug = slugify(name, SlugMode::Unicode);
        }
        if slug.is_empty() {
            return None;
        }
        Some(*self.by_slug.entry(slug.clone()).or_insert_with(|| {
            self.terms.push(Term {
                name: name.to_string(),
                slug,
                stories: Vec::new(),
            });
            self.terms.len() - 1
        }))
    }

    /// The terms sorted by name, and for each first-use id its place in that order.
    fn finish(self) -> (Vec<Term>, Vec<usize>) {
        let mut terms: Vec<(usize, Term)> = self.terms.into_iter().enumerate().collect();
        terms.sort_by(|a, b| {
            a.1.name
                .to_lowercase()
                .cmp(&b.1.name.to_lowercase())
                .then(a.1.slug.cmp(&b.1.slug))
        });
        let mut place = vec![0; terms.len()];
        for (new, (old, _)) in terms.iter().enumerate() {
            place[*old] = new;
        }
        (terms.into_iter().map(|(_, t)| t).collect(), place)
    }
}
