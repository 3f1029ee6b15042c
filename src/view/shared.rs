//! The views shown on many pages, each made and hashed once per build: sections, tags,
//! authors, stories, and `site`. Page views point to them with [`Shared`] markers.

use rayon::prelude::*;
use serde::Serialize;

use super::story::{Dates, Pointers, SectionView, StoryView, TermView};
use super::{Shared, fingerprint, rfc3339};
use crate::config::Config;
use crate::model::{Address, Library, author_path, tag_path};

/// A view and the marker that stands for it.
pub struct Made<T> {
    pub view: T,
    pub shared: Shared,
}

impl<T: Serialize> Made<T> {
    fn new(seed: u64, view: T) -> Made<T> {
        Made {
            shared: Shared(fingerprint(seed, &view)),
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

pub struct Views<'a> {
    pub sections: Vec<Made<SectionView<'a>>>,
    pub tags: Vec<Made<TermView<'a>>>,
    pub authors: Vec<Made<TermView<'a>>>,
    /// In library order.
    pub stories: Vec<Made<StoryView<'a>>>,
    pub site: Made<SiteView<'a>>,
}

impl<'a> Views<'a> {
    pub fn new(config: &'a Config, library: &'a Library) -> Views<'a> {
        let sections: Vec<_> = library
            .sections
            .iter()
            .map(|s| Made::new(1, SectionView::new(config, s)))
            .collect();
        let terms = |all: &'a [crate::model::Term], path: fn(&str) -> String, seed| {
            all.iter()
                .map(|t| Made::new(seed, TermView::new(config, t, &path(&t.slug), false)))
                .collect::<Vec<_>>()
        };
        let tags = terms(&library.tags, tag_path, 2);
        let authors = terms(&library.authors, author_path, 3);
        let (section_marks, tag_marks, author_marks) =
            (marks(&sections), marks(&tags), marks(&authors));
        let to = Pointers {
            sections: &section_marks,
            tags: &tag_marks,
            authors: &author_marks,
        };
        let dates = Dates::new(config);
        let stories = library
            .stories
            .par_iter()
            .map(|s| Made::new(4, StoryView::new(config, &dates, &to, s)))
            .collect();
        let edition = library
            .stories
            .first()
            .map(|s| s.entry.date.with_timezone(&config.timezone));
        let site = Made::new(
            5,
            SiteView {
                title: &config.title,
                description: &config.description,
                language: &config.language,
                base_url: &config.base_url,
                base_path: &config.base_path,
                timezone: config.timezone.name(),
                extra: &config.extra,
                sections: section_marks.clone(),
                feed_url: Address::new(config, "/rss.xml").permalink,
                edition_date: edition.map(|d| dates.display(&d)).unwrap_or_default(),
                edition_datetime: edition
                    .map(|d| rfc3339(&d.fixed_offset()))
                    .unwrap_or_default(),
            },
        );
        Views {
            sections,
            tags,
            authors,
            stories,
            site,
        }
    }

    pub fn story(&self, i: usize) -> Shared {
        self.stories[i].shared
    }

    pub fn story_list(&self, ids: &[usize]) -> Vec<Shared> {
        ids.iter().map(|&i| self.stories[i].shared).collect()
    }
}

fn marks<T>(made: &[Made<T>]) -> Vec<Shared> {
    made.iter().map(|m| m.shared).collect()
}
