//! `/tags/` and `/authors/`: every tag or author, by name, with its story count.

use serde::Serialize;

use super::{Cx, Kind, Page, SitemapEntry};
use crate::model::{Address, Term, author_path, tag_path};
use crate::view::page::Head;
use crate::view::story::TermView;
use crate::view::{Meta, Shared, Words};

/// One index of terms: which terms, where, and what its page is called.
pub struct TermsIndex {
    key: &'static str,
    template: &'static str,
    path: &'static str,
    terms: fn(&crate::model::Library) -> &[Term],
    term_path: fn(&str) -> String,
    /// Tags have feeds, so the tags index links them.
    with_feeds: bool,
    name: fn(&crate::view::Words) -> (&'static str, &'static str),
}

pub static TAGS: TermsIndex = TermsIndex {
    key: "tags",
    template: "tags.html",
    path: "/tags/",
    terms: |l| &l.tags,
    term_path: tag_path,
    with_feeds: true,
    name: |w| (w.tags, w.tags_description),
};

pub static AUTHORS: TermsIndex = TermsIndex {
    key: "authors",
    template: "authors.html",
    path: "/authors/",
    terms: |l| &l.authors,
    term_path: author_path,
    with_feeds: false,
    name: |w| (w.authors, w.authors_description),
};

impl Kind for TermsIndex {
    fn template(&self) -> &'static str {
        self.template
    }

    fn pages<'a>(&'a self, cx: &'a Cx<'a>) -> Vec<Box<dyn Page + 'a>> {
        vec![Box::new(IndexPage { cx, index: self })]
    }
}

struct IndexPage<'a> {
    cx: &'a Cx<'a>,
    index: &'a TermsIndex,
}

/// The list goes under the index's own key (`tags` or `authors`).
#[derive(Serialize)]
struct View<'a> {
    site: Shared,
    page: Meta,
    #[serde(flatten)]
    list: std::collections::BTreeMap<&'static str, Vec<TermView<'a>>>,
}

impl Page for IndexPage<'_> {
    fn path(&self) -> &str {
        self.index.path
    }

    fn template(&self) -> &'static str {
        self.index.template
    }

    fn describe(&self) -> String {
        format!("the {} index", self.index.key)
    }

    fn sitemap(&self) -> Option<SitemapEntry> {
        Some(SitemapEntry {
            loc: Address::new(self.cx.config, self.index.path).permalink,
            lastmod: None,
        })
    }

    fn view(&self) -> Box<dyn erased_serde::Serialize + '_> {
        let cx = self.cx;
        let ix = self.index;
        let list = (ix.terms)(cx.library)
            .iter()
            .map(|t| TermView::new(cx.config, t, &(ix.term_path)(&t.slug), ix.with_feeds))
            .collect();
        let (name, description) = (ix.name)(cx.words);
        let head = Head::new(ix.key, cx.title(name), ix.path)
            .named(name)
            .described(Words::fill(description, &[("site", &cx.config.title)]));
        Box::new(View {
            site: cx.views.site.shared,
            page: head.meta(cx.config),
            list: [(ix.key, list)].into(),
        })
    }
}
