//! A story's own page, at its permalink.

use serde::Serialize;

use super::{Cx, Kind, Page, SitemapEntry};
use crate::model::section_path;
use crate::view::json_ld::NewsArticle;
use crate::view::page::Head;
use crate::view::{Meta, OrEmpty, ScriptJson, Shared, rfc3339};

pub struct Stories;

impl Kind for Stories {
    fn template(&self) -> &'static str {
        "article.html"
    }

    fn pages<'a>(&'a self, cx: &'a Cx<'a>) -> Vec<Box<dyn Page + 'a>> {
        (0..cx.library.stories.len())
            .map(|i| Box::new(StoryPage { cx, i }) as Box<dyn Page>)
            .collect()
    }
}

struct StoryPage<'a> {
    cx: &'a Cx<'a>,
    i: usize,
}

#[derive(Serialize)]
struct View<'a> {
    site: Shared,
    page: Meta,
    story: Shared,
    related: Vec<Shared>,
    newer: OrEmpty<Shared>,
    older: OrEmpty<Shared>,
    json_ld: ScriptJson<NewsArticle<'a>>,
}

/// How many related stories a story page shows.
const RELATED: usize = 4;

impl Page for StoryPage<'_> {
    fn path(&self) -> &str {
        &self.cx.library.stories[self.i].entry.path
    }

    fn template(&self) -> &'static str {
        Stories.template()
    }

    fn describe(&self) -> String {
        format!(
            "story {}",
            self.cx.library.stories[self.i].entry.file.display()
        )
    }

    fn sitemap(&self) -> Option<SitemapEntry> {
        let story = &self.cx.library.stories[self.i];
        let e = &story.entry;
        Some(SitemapEntry {
            loc: story.address.permalink.clone(),
            lastmod: Some(rfc3339(&e.updated.unwrap_or(e.date))),
        })
    }

    fn view(&self) -> Box<dyn erased_serde::Serialize + '_> {
        let cx = self.cx;
        let (library, config, i) = (cx.library, cx.config, self.i);
        // First: making the story's view reads its texts in, which the head shows too.
        let own = cx.views.story(i);
        let story = &library.stories[i];
        let e = &story.entry;
        let section = &library.sections[story.section];
        let mut head = Head::new("article", cx.title(&e.front.title), &e.path)
            .named(&e.front.title)
            .described(story.summary_text().to_string())
            .with_feed(
                format!("{}rss.xml", section_path(&section.slug)),
                cx.title(&section.name),
            );
        head.image = story
            .image
            .as_ref()
            .map(|img| img.permalink.clone())
            .unwrap_or_default();
        head.image_alt = e.front.image_alt.clone().unwrap_or_default();
        // A section lists its stories in library order, so the list is sorted.
        let pos = section.stories.binary_search(&i).unwrap_or(0);
        let neighbour = |p: Option<usize>| {
            OrEmpty(
                p.and_then(|p| section.stories.get(p))
                    .map(|&j| cx.views.story(j)),
            )
        };
        Box::new(View {
            site: cx.views.site.shared,
            page: head.meta(config),
            story: own,
            related: cx.views.story_list(&library.related(i, RELATED)),
            newer: neighbour(pos.checked_sub(1)),
            older: neighbour(Some(pos + 1)),
            json_ld: ScriptJson(NewsArticle::new(config, library, story)),
        })
    }
}
