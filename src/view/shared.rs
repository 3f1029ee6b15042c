//! The views shown on many pages, each made and hashed once per build: sections, tags,
//! authors, stories, and `site`. Page views point to them with [`Shared`] markers.

use rayon::prelude::*;
use serde::Serialize;

use super::story::{Dates, Pointers, SectionView, StoryView, TermView};
use std::sync::OnceLock;

use super::{Shared, Slot, fingerprint, rfc3339};
use crate::config::Config;
use crate::model::{Address, Library, Story, author_path, tag_path};

/// A view and the marker that stands for it.
pub struct Made<T> {
    pub view: T,
    pub shared: Shared,
}

impl<T: Serialize> Made<T> {
    fn new(seed: u64, slot: Slot, view: T) -> Made<T> {
        Made {
            shared: Shared {
                hash: fingerprint(seed, &view),
                slot,
            },
            view,
        }
    }
}

/// `site`: on every page.
#[derive(Serialize)]
pub struct SiteView<'a> {
    pub title: &'a str,
    pub description: &'a str,
    pub language: &'a str,
    pub base_url: &'a str,
    pub base_path: &'a str,
    pub timezone: &'static str,
    pub extra: &'a toml::Table,
    pub sections: Vec<Shared>,
    pub feed_url: String,
    pub edition_date: String,
    pub edition_datetime: String,
}

/// Reads the texts of stories whose bodies were kept in the build store, before their views
/// are made.
pub type Fill<'a> = &'a (dyn Fn(&[&Story]) -> Result<(), String> + Sync);

pub struct Views<'a> {
    config: &'a Config,
    fill: Option<Fill<'a>>,
    /// Why texts could not be read, if they could not: the build must then fail.
    failed: OnceLock<String>,
    library: &'a Library,
    pub sections: Vec<Made<SectionView<'a>>>,
    pub tags: Vec<Made<TermView<'a>>>,
    pub authors: Vec<Made<TermView<'a>>>,
    /// In library order, each made the first time a page shows it (or all at once, by
    /// [`Views::make_all`]): a rebuild of a few pages makes only their stories' views.
    /// Boxed: a build that makes a handful of them should not zero room for all.
    stories: Vec<OnceLock<Box<Made<StoryView<'a>>>>>,
    pub site: Made<SiteView<'a>>,
    marks: [Vec<Shared>; 3],
    dates: Dates,
}

impl<'a> Views<'a> {
    pub fn new(config: &'a Config, library: &'a Library, fill: Option<Fill<'a>>) -> Views<'a> {
        let sections: Vec<_> = (library.sections.iter().enumerate())
            .map(|(i, s)| Made::new(1, Slot::Section(i as u32), SectionView::new(config, s)))
            .collect();
        let terms = |all: &'a [crate::model::Term],
                     path: fn(&str) -> String,
                     seed,
                     slot: fn(u32) -> Slot| {
            (all.iter().enumerate())
                .map(|(i, t)| {
                    let view = TermView::new(config, t, &path(&t.slug), false);
                    Made::new(seed, slot(i as u32), view)
                })
                .collect::<Vec<_>>()
        };
        let tags = terms(&library.tags, tag_path, 2, Slot::Tag);
        let authors = terms(&library.authors, author_path, 3, Slot::Author);
        let marks = [marks(&sections), marks(&tags), marks(&authors)];
        let dates = Dates::new(config);
        let edition = library
            .stories
            .first()
            .map(|s| s.entry.date.with_timezone(&config.timezone));
        let site = Made::new(
            5,
            Slot::Site,
            SiteView {
                title: &config.title,
                description: &config.description,
                language: &config.language,
                base_url: &config.base_url,
                base_path: &config.base_path,
                timezone: config.timezone.name(),
                extra: &config.extra,
                sections: marks[0].clone(),
                feed_url: Address::new(config, "/rss.xml").permalink,
                edition_date: edition.map(|d| dates.display(&d)).unwrap_or_default(),
                edition_datetime: edition
                    .map(|d| rfc3339(&d.fixed_offset()))
                    .unwrap_or_default(),
            },
        );
        Views {
            config,
            fill,
            failed: OnceLock::new(),
            library,
            sections,
            tags,
            authors,
            stories: (0..library.stories.len())
                .map(|_| OnceLock::new())
                .collect(),
            site,
            marks,
            dates,
        }
    }

    /// Makes every story's view, in parallel: for a build that shows them all. Texts still in
    /// the store are read in one go first.
    pub fn make_all(&self) {
        let stored: Vec<&Story> = (self.library.stories.iter())
            .filter(|s| s.body.texts_here().is_none())
            .collect();
        self.fill(&stored);
        (0..self.stories.len()).into_par_iter().for_each(|i| {
            self.made_story(i);
        });
    }

    fn fill(&self, stories: &[&Story]) {
        if stories.is_empty() {
            return;
        }
        let result = match self.fill {
            Some(fill) => fill(stories),
            None => Err("a story's text was not kept".to_string()),
        };
        if let Err(e) = result {
            let _ = self.failed.set(e);
        }
    }

    /// Why a story's texts could not be read, if they could not.
    pub fn failure(&self) -> Option<&str> {
        self.failed.get().map(String::as_str)
    }

    fn made_story(&self, i: usize) -> &Made<StoryView<'a>> {
        self.stories[i].get_or_init(|| {
            let story = &self.library.stories[i];
            if story.body.texts_here().is_none() {
                self.fill(&[story]);
            }
            let to = Pointers {
                sections: &self.marks[0],
                tags: &self.marks[1],
                authors: &self.marks[2],
            };
            let view = StoryView::new(self.config, &self.dates, &to, &self.library.stories[i]);
            Box::new(Made::new(4, Slot::Story(i as u32), view))
        })
    }

    pub fn story(&self, i: usize) -> Shared {
        self.made_story(i).shared
    }

    pub fn story_view(&self, i: usize) -> &StoryView<'a> {
        &self.made_story(i).view
    }

    pub fn story_count(&self) -> usize {
        self.stories.len()
    }

    pub fn story_list(&self, ids: &[usize]) -> Vec<Shared> {
        ids.iter().map(|&i| self.story(i)).collect()
    }
}

fn marks<T>(made: &[Made<T>]) -> Vec<Shared> {
    made.iter().map(|m| m.shared).collect()
}
