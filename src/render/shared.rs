//! The template values of shared views, each made the first time a page shows it: a build
//! that renders a handful of pages turns only their stories into template values.

use std::collections::HashMap;
use std::hash::BuildHasherDefault;
use std::sync::OnceLock;

use tera::Value;

use super::value::{HashIsKey, SharedLookup, to_value};
use crate::view::Views;

pub struct LazyValues<'v> {
    views: &'v Views<'v>,
    /// Each shared view's place in `made`, by its hash.
    places: HashMap<u64, usize, BuildHasherDefault<HashIsKey>>,
    made: Vec<(Slot, OnceLock<Option<Value>>)>,
}

#[derive(Clone, Copy)]
enum Slot {
    Section(usize),
    Tag(usize),
    Author(usize),
    Story(usize),
    Site,
}

impl<'v> LazyValues<'v> {
    pub fn new(views: &'v Views<'v>) -> LazyValues<'v> {
        let marks = (views.sections.iter().enumerate())
            .map(|(i, m)| (m.shared, Slot::Section(i)))
            .chain((views.tags.iter().enumerate()).map(|(i, m)| (m.shared, Slot::Tag(i))))
            .chain((views.authors.iter().enumerate()).map(|(i, m)| (m.shared, Slot::Author(i))))
            .chain((views.stories.iter().enumerate()).map(|(i, m)| (m.shared, Slot::Story(i))))
            .chain(std::iter::once((views.site.shared, Slot::Site)));
        let mut lazy = LazyValues {
            views,
            places: HashMap::default(),
            made: Vec::new(),
        };
        for (mark, slot) in marks {
            // Two views with one hash are the same: the first stands for both.
            if let std::collections::hash_map::Entry::Vacant(e) = lazy.places.entry(mark.0) {
                e.insert(lazy.made.len());
                lazy.made.push((slot, OnceLock::new()));
            }
        }
        lazy
    }

    fn make(&self, slot: Slot) -> Option<Value> {
        let v = self.views;
        let made = match slot {
            Slot::Section(i) => to_value(&v.sections[i].view, self),
            Slot::Tag(i) => to_value(&v.tags[i].view, self),
            Slot::Author(i) => to_value(&v.authors[i].view, self),
            Slot::Story(i) => to_value(&v.stories[i].view, self),
            Slot::Site => to_value(&v.site.view, self),
        };
        // A view that cannot be made is reported where it is used, as a missing value.
        made.ok()
    }
}

impl SharedLookup for LazyValues<'_> {
    fn value(&self, hash: u64) -> Option<Value> {
        let (slot, cell) = self.made.get(*self.places.get(&hash)?)?;
        cell.get_or_init(|| self.make(*slot)).clone()
    }
}
