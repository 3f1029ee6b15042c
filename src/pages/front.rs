//! The front page, `/` and `/page/N/`: featured stories first, then the latest.

use serde::Serialize;

use super::Cx;
use super::listing::{Listed, Listing};
use crate::view::json_ld::Home;
use crate::view::page::Head;
use crate::view::{Meta, OrEmpty, Paginator, ScriptJson, Shared};

pub struct Front;

/// Stories in each section's block, and in the "latest" rail.
const BLOCK: usize = 4;
const LATEST: usize = 8;

#[derive(Serialize)]
struct View<'a> {
    site: Shared,
    page: Meta,
    lead: OrEmpty<Shared>,
    section_blocks: Vec<Block>,
    latest: Vec<Shared>,
    stories: Vec<Shared>,
    paginator: Paginator,
    /// The site and its publisher, on the first page.
    json_ld: OrEmpty<ScriptJson<Home<'a>>>,
}

#[derive(Serialize)]
struct Block {
    section: Shared,
    stories: Vec<Shared>,
}

impl Listed for Front {
    type Item = ();
    const TEMPLATE: &'static str = "index.html";

    fn items(&self, cx: &Cx) -> Vec<((), String, Vec<usize>)> {
        vec![((), "/".into(), cx.library.front.clone())]
    }

    fn describe(&self, _: &Cx, _: &()) -> String {
        "the front page".into()
    }

    fn view<'a>(
        &self,
        cx: &'a Cx<'_>,
        _: &'a (),
        list: &'a Listing,
    ) -> Box<dyn erased_serde::Serialize + 'a> {
        let library = cx.library;
        let title = format!("{}{}", cx.config.title, cx.words.suffix(list.page));
        let lead = library
            .front
            .first()
            .filter(|&&i| library.stories[i].entry.front.featured)
            .map(|&i| cx.views.story(i));
        let section_blocks = if list.page == 1 {
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
            page: Head::new("index", title, &list.path).meta(cx.config),
            lead: OrEmpty(lead),
            section_blocks,
            latest: cx.views.story_list(&latest),
            stories: cx.views.story_list(list.ids()),
            paginator: list.paginator(cx),
            json_ld: OrEmpty((list.page == 1).then(|| ScriptJson(Home::new(cx.config)))),
        })
    }
}
