//! The template values of shared views, each made the first time a page shows it: a build
//! that renders a handful of pages turns only their stories into template values.

use std::sync::OnceLock;

use tera::Value;

use super::value::{SharedLookup, to_value};
use crate::view::{Slot, Views};

pub struct LazyValues<'v> {
    views: &'v Views<'v>,
    sections: Vec<OnceLock<Option<Value>>>,
    tags: Vec<OnceLock<Option<Value>>>,
    authors: Vec<OnceLock<Option<Value>>>,
    stories: Vec<OnceLock<Option<Value>>>,
    site: OnceLock<Option<Value>>,
}

fn cells(n: usize) -> Vec<OnceLock<Option<Value>>> {
    (0..n).map(|_| OnceLock::new()).collect()
}

impl<'v> LazyValues<'v> {
    pub fn new(views: &'v Views<'v>) -> LazyValues<'v> {
        LazyValues {
            views,
            sections: cells(views.sections.len()),
            tags: cells(views.tags.len()),
            authors: cells(views.authors.len()),
            stories: cells(views.story_count()),
            site: OnceLock::new(),
        }
    }

    fn make(&self, slot: Slot) -> Option<Value> {
        let v = self.views;
        let made = match slot {
            Slot::Section(i) => to_value(&v.sections[i as usize].view, self),
            Slot::Tag(i) => to_value(&v.tags[i as usize].view, self),
            Slot::Author(i) => to_value(&v.authors[i as usize].view, self),
            Slot::Story(i) => to_value(v.story_view(i as usize), self),
            Slot::Site => to_value(&v.site.view, self),
        };
        // A view that cannot be made is reported where it is used, as a missing value.
        made.ok()
    }
}

impl SharedLookup for LazyValues<'_> {
    fn value(&self, slot: Slot) -> Option<Value> {
        let cell = match slot {
            Slot::Section(i) => self.sections.get(i as usize)?,
            Slot::Tag(i) => self.tags.get(i as usize)?,
            Slot::Author(i) => self.authors.get(i as usize)?,
            Slot::Story(i) => self.stories.get(i as usize)?,
            Slot::Site => &self.site,
        };
        cell.get_or_init(|| self.make(slot)).clone()
    }
}
