//! A tag's stories: `/tags/SLUG/`, `/tags/SLUG/page/N/`.

use serde::Serialize;

use super::Cx;
use super::listing::{Listed, Listing};
use crate::model::tag_path;
use crate::view::page::Head;
use crate::view::story::TermView;
use crate::view::{Meta, Paginator, Shared, Words};

pub struct Tags;

#[derive(Serialize)]
struct View<'a> {
    site: Shared,
    page: Meta,
    tag: TermView<'a>,
    stories: Vec<Shared>,
    paginator: Paginator,
}

impl Listed for Tags {
    /// The tag's index in the library.
    type Item = usize;
    const TEMPLATE: &'static str = "tag.html";

    fn items(&self, cx: &Cx) -> Vec<(usize, String, Vec<usize>)> {
        (cx.library.tags.iter().enumerate())
            .map(|(i, t)| (i, tag_path(&t.slug), t.stories.clone()))
            .collect()
    }

    fn describe(&self, cx: &Cx, &i: &usize) -> String {
        format!("the tag page {}", tag_path(&cx.library.tags[i].slug))
    }

    fn view<'a>(
        &self,
        cx: &'a Cx<'_>,
        &i: &'a usize,
        list: &'a Listing,
    ) -> Box<dyn erased_serde::Serialize + 'a> {
        let t = &cx.library.tags[i];
        let path = tag_path(&t.slug);
        let name = format!("{}{}", t.name, cx.words.suffix(list.page));
        let head = Head::new("tag", cx.title(&name), &list.path)
            .named(&name)
            .described(Words::fill(
                cx.words.tag_description,
                &[("name", &t.name), ("site", &cx.config.title)],
            ))
            .with_feed(format!("{path}rss.xml"), cx.title(&t.name));
        Box::new(View {
            site: cx.views.site.shared,
            page: head.meta(cx.config),
            tag: TermView::new(cx.config, t, &path, true),
            stories: cx.views.story_list(list.ids()),
            paginator: list.paginator(cx),
        })
    }
}
