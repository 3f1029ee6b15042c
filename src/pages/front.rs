//! The front page, `/` and `/page/N/`: featured stories first, then the latest.

use serde::Serialize;

use super::listing::Listing;
use super::{Cx, Kind, Page, SitemapEntry};
use crate::view::page::Head;
use crate::view::{Meta, OrEmpty, Paginator, Shared};

pub struct Front;

/// Stories in each section's block, and in the "latest" rail.
const BLOCK: usize = 4;
const LATEST: usize = 8;

impl Kind for Front {
    fn template(&self) -> &'static str {
        "index.html"
    }

    fn pages<'a>(&'a self, cx: &'a Cx<'a>) -> Vec<Box<dyn Page + 'a>> {
        Listing::paginate(cx, "/".into(), cx.library.front.clone())
            .into_iter()
            .map(|list| Box::new(FrontPage { cx, list }) as Box<dyn Page>)
            .collect()
    }
}

struct FrontPage<'a> {
    cx: &'a Cx<'a>,
    list: Listing,
}

#[derive(Serialize)]
struct View {
    site: Shared,
    page: Meta,
    lead: OrEmpty<Shared>,
    section_blocks: Vec<Block>,
    latest: Vec<Shared>,
    stories: Vec<Shared>,
    paginator: Paginator,
}

#[derive(Serialize)]
struct Block {
    section: Shared,
    stories: Vec<Shared>,
}

impl Page for FrontPage<'_> {
    fn path(&self) -> &str {
        &self.list.path
    }

    fn template(&self) -> &'static str {
        Front.template()
    }

    fn describe(&self) -> String {
        self.list.describe("the front page")
    }

    fn sitemap(&self) -> Option<SitemapEntry> {
        self.list.sitemap(self.cx)
    }

    fn view(&self) -> Box<dyn erased_serde::Serialize + '_> {
        let cx = self.cx;
        let library = cx.library;
        let title = format!("{}{}", cx.config.title, cx.words.suffix(self.list.page));
        let lead = library
            .front
            .first()
            .filter(|&&i| library.stories[i].entry.front.featured)
            .map(|&i| cx.views.story(i));
        let section_blocks = if self.list.page == 1 {
            library
                .sections
                .iter()
                .enumerate()
                .filter(|(_, s)| !s.stories.is_empty())
                .map(|(i, s)| Block {
                    section: cx.views.sections[i].shared,
                    stories: cx
                        .views
                        .story_list(&s.stories[..s.stories.len().min(BLOCK)]),
                })
                .collect()
        } else {
            Vec::new()
        };
        let latest: Vec<usize> = (0..library.stories.len().min(LATEST)).collect();
        Box::new(View {
            site: cx.views.site.shared,
            page: Head::new("index", title, &self.list.path).meta(cx.config),
            lead: OrEmpty(lead),
            section_blocks,
            latest: cx.views.story_list(&latest),
            stories: cx.views.story_list(self.list.ids()),
            paginator: self.list.paginator(cx),
        })
    }
}
