//! An author's stories: `/authors/SLUG/`, `/authors/SLUG/page/N/`.

use serde::Serialize;

use super::listing::Listing;
use super::{Cx, Kind, Page, SitemapEntry};
use crate::model::author_path;
use crate::view::page::Head;
use crate::view::story::TermView;
use crate::view::{Meta, Paginator, Shared, Words};

pub struct Authors;

impl Kind for Authors {
    fn template(&self) -> &'static str {
        "author.html"
    }

    fn pages<'a>(&'a self, cx: &'a Cx<'a>) -> Vec<Box<dyn Page + 'a>> {
        let mut pages: Vec<Box<dyn Page + 'a>> = Vec::new();
        for (i, a) in cx.library.authors.iter().enumerate() {
            for list in Listing::paginate(cx, author_path(&a.slug), a.stories.clone()) {
                pages.push(Box::new(AuthorPage { cx, i, list }));
            }
        }
        pages
    }
}

struct AuthorPage<'a> {
    cx: &'a Cx<'a>,
    i: usize,
    list: Listing,
}

#[derive(Serialize)]
struct View<'a> {
    site: Shared,
    page: Meta,
    author: TermView<'a>,
    stories: Vec<Shared>,
    paginator: Paginator,
}

impl Page for AuthorPage<'_> {
    fn path(&self) -> &str {
        &self.list.path
    }

    fn template(&self) -> &'static str {
        Authors.template()
    }

    fn describe(&self) -> String {
        let slug = &self.cx.library.authors[self.i].slug;
        self.list
            .describe(&format!("the author page {}", author_path(slug)))
    }

    fn sitemap(&self) -> Option<SitemapEntry> {
        self.list.sitemap(self.cx)
    }

    fn view(&self) -> Box<dyn erased_serde::Serialize + '_> {
        let cx = self.cx;
        let a = &cx.library.authors[self.i];
        let name = format!("{}{}", a.name, cx.words.suffix(self.list.page));
        let head = Head::new("author", cx.title(&name), &self.list.path).described(Words::fill(
            cx.words.author_description,
            &[("name", &a.name), ("site", &cx.config.title)],
        ));
        Box::new(View {
            site: cx.views.site.shared,
            page: head.meta(cx.config),
            author: TermView::new(cx.config, a, &author_path(&a.slug), false),
            stories: cx.views.story_list(self.list.ids()),
            paginator: self.list.paginator(cx),
        })
    }
}
