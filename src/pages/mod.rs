//! Every page kind of the site, one module each, behind one trait. A kind says which pages it
//! has, where they live, what goes in the sitemap, which template draws them and the view
//! each is drawn from. Adding a kind is one module, one line in [`KINDS`] and a template.

mod archive;
mod archive_index;
mod author;
mod feed;
mod front;
mod listing;
mod not_found;
mod section;
mod story;
mod tag;
mod terms_index;

pub mod assets;
pub mod discovery;
pub mod redirects;

use listing::Listings;

use crate::config::Config;
use crate::model::Library;
use crate::view::{Views, Words};

/// Every page kind, in the order their pages are listed (and their sitemap entries written).
pub const KINDS: &[&dyn Kind] = &[
    &story::Stories,
    &Listings(front::Front),
    &feed::Feeds,
    &Listings(section::Sections),
    &Listings(tag::Tags),
    &Listings(author::Authors),
    &Listings(archive::Archives),
    &terms_index::TAGS,
    &terms_index::AUTHORS,
    &archive_index::ArchiveIndex,
    &not_found::NotFound,
];

/// What every page kind reads from.
pub struct Cx<'a> {
    pub config: &'a Config,
    pub library: &'a Library,
    pub views: &'a Views<'a>,
    pub words: &'static Words,
    /// The newest date or update of any story, for every feed's `lastBuildDate`.
    pub newest_rfc2822: String,
}

impl<'a> Cx<'a> {
    pub fn new(config: &'a Config, library: &'a Library, views: &'a Views<'a>) -> Cx<'a> {
        let newest = library
            .stories
            .iter()
            .map(|s| s.entry.updated.unwrap_or(s.entry.date))
            .max();
        Cx {
            config,
            library,
            views,
            words: &crate::view::words::ENGLISH,
            newest_rfc2822: newest.map(|d| d.to_rfc2822()).unwrap_or_default(),
        }
    }

    /// `name | Site`.
    fn title(&self, name: &str) -> String {
        self.words.page_title(name, &self.config.title)
    }
}

/// One entry of `sitemap.xml`.
pub struct SitemapEntry {
    pub loc: String,
    pub lastmod: Option<String>,
}

/// One page of the site.
pub trait Page: Send + Sync {
    /// The site path, such as `/world/` or `/rss.xml`.
    fn path(&self) -> &str;
    fn template(&self) -> &'static str;
    /// What the page is, for messages: "the section page /world/".
    fn describe(&self) -> String;
    fn sitemap(&self) -> Option<SitemapEntry> {
        None
    }
    /// Everything the page shows: its template's context.
    fn view(&self) -> Box<dyn erased_serde::Serialize + '_>;
}

pub trait Kind: Sync {
    /// The template its pages are drawn with.
    fn template(&self) -> &'static str;
    fn pages<'a>(&'a self, cx: &'a Cx<'a>) -> Vec<Box<dyn Page + 'a>>;
}

/// Every page of the site, kind by kind.
pub fn all<'a>(cx: &'a Cx<'a>) -> Vec<Box<dyn Page + 'a>> {
    KINDS.iter().flat_map(|k| k.pages(cx)).collect()
}

/// Every template a build renders: the frame and each kind's.
pub fn templates() -> Vec<&'static str> {
    let mut names = vec!["base.html"];
    for k in KINDS {
        if !names.contains(&k.template()) {
            names.push(k.template());
        }
    }
    names
}
