//! A section's latest stories: `/SECTION/`, `/SECTION/page/N/`.

use serde::Serialize;

use super::listing::Listing;
use super::{Cx, Kind, Page, SitemapEntry};
use crate::model::section_path;
use crate::view::page::Head;
use crate::view::{Meta, Paginator, Shared, Words};

pub struct Sections;

impl Kind for Sections {
    fn template(&self) -> &'static str {
        "section.html"
    }

    fn pages<'a>(&'a self, cx: &'a Cx<'a>) -> Vec<Box<dyn Page + 'a>> {
        let mut pages: Vec<Box<dyn Page + 'a>> = Vec::new();
        for (i, s) in cx.library.sections.iter().enumerate() {
            for list in Listing::paginate(cx, section_path(&s.slug), s.stories.clone()) {
                pages.push(Box::new(SectionPage { cx, i, list }));
            }
        }
        pages
    }
}

struct SectionPage<'a> {
    cx: &'a Cx<'a>,
    i: usize,
    list: Listing,
}

#[derive(Serialize)]
struct View {
    site: Shared,
    page: Meta,
    section: Shared,
    stories: Vec<Shared>,
    paginator: Paginator,
}

impl Page for SectionPage<'_> {
    fn path(&self) -> &str {
        &self.list.path
    }

    fn template(&self) -> &'static str {
        Sections.template()
    }

    fn describe(&self) -> String {
        let slug = &self.cx.library.sections[self.i].slug;
        self.list
            .describe(&format!("the section page {}", section_path(slug)))
    }

    fn sitemap(&self) -> Option<SitemapEntry> {
        self.list.sitemap(self.cx)
    }

    fn view(&self) -> Box<dyn erased_serde::Serialize + '_> {
        let cx = self.cx;
        let s = &cx.library.sections[self.i];
        let site = cx.config.title.as_str();
        let name = format!("{}{}", s.name, cx.words.suffix(self.list.page));
        let head = Head::new("section", cx.title(&name), &self.list.path)
            .described(Words::fill(
                cx.words.section_description,
                &[("name", &s.name), ("site", site)],
            ))
            .with_feed(
                format!("{}rss.xml", section_path(&s.slug)),
                cx.title(&s.name),
            );
        Box::new(View {
            site: cx.views.site.shared,
            page: head.meta(cx.config),
            section: cx.views.sections[self.i].shared,
            stories: cx.views.story_list(self.list.ids()),
            paginator: self.list.paginator(cx),
        })
    }
}
