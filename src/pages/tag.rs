//! A tag's stories: `/tags/SLUG/`, `/tags/SLUG/page/N/`.

use serde::Serialize;

use super::listing::Listing;
use super::{Cx, Kind, Page, SitemapEntry};
use crate::model::tag_path;
use crate::view::page::Head;
use crate::view::story::TermView;
use crate::view::{Meta, Paginator, Shared, Words};

pub struct Tags;

impl Kind for Tags {
    fn template(&self) -> &'static str {
        "tag.html"
    }

    fn pages<'a>(&'a self, cx: &'a Cx<'a>) -> Vec<Box<dyn Page + 'a>> {
        let mut pages: Vec<Box<dyn Page + 'a>> = Vec::new();
        for (i, t) in cx.library.tags.iter().enumerate() {
            for list in Listing::paginate(cx, tag_path(&t.slug), t.stories.clone()) {
                pages.push(Box::new(TagPage { cx, i, list }));
            }
        }
        pages
    }
}

struct TagPage<'a> {
    cx: &'a Cx<'a>,
    i: usize,
    list: Listing,
}

#[derive(Serialize)]
struct View<'a> {
    site: Shared,
    page: Meta,
    tag: TermView<'a>,
    stories: Vec<Shared>,
    paginator: Paginator,
}

impl Page for TagPage<'_> {
    fn path(&self) -> &str {
        &self.list.path
    }

    fn template(&self) -> &'static str {
        Tags.template()
    }

    fn describe(&self) -> String {
        let slug = &self.cx.library.tags[self.i].slug;
        self.list
            .describe(&format!("the tag page {}", tag_path(slug)))
    }

    fn sitemap(&self) -> Option<SitemapEntry> {
        self.list.sitemap(self.cx)
    }

    fn view(&self) -> Box<dyn erased_serde::Serialize + '_> {
        let cx = self.cx;
        let t = &cx.library.tags[self.i];
        let path = tag_path(&t.slug);
        let name = format!("{}{}", t.name, cx.words.suffix(self.list.page));
        let head = Head::new("tag", cx.title(&name), &self.list.path)
            .described(Words::fill(
                cx.words.tag_description,
                &[("name", &t.name), ("site", &cx.config.title)],
            ))
            .with_feed(format!("{path}rss.xml"), cx.title(&t.name));
        Box::new(View {
            site: cx.views.site.shared,
            page: head.meta(cx.config),
            tag: TermView::new(cx.config, t, &path, true),
            stories: cx.views.story_list(self.list.ids()),
            paginator: self.list.paginator(cx),
        })
    }
}
