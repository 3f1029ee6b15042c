//! An author's stories: `/authors/SLUG/`, `/authors/SLUG/page/N/`.

use serde::Serialize;

use super::Cx;
use super::listing::{Listed, Listing};
use crate::model::author_path;
use crate::view::page::Head;
use crate::view::story::TermView;
use crate::view::{Meta, Paginator, Shared, Words};

pub struct Authors;

#[derive(Serialize)]
struct View<'a> {
    site: Shared,
    page: Meta,
    author: TermView<'a>,
    stories: Vec<Shared>,
    paginator: Paginator,
}

impl Listed for Authors {
    /// The author's index in the library.
    type Item = usize;
    const TEMPLATE: &'static str = "author.html";

    fn items(&self, cx: &Cx) -> Vec<(usize, String, Vec<usize>)> {
        (cx.library.authors.iter().enumerate())
            .map(|(i, a)| (i, author_path(&a.slug), a.stories.clone()))
            .collect()
    }

    fn describe(&self, cx: &Cx, &i: &usize) -> String {
        format!(
            "the author page {}",
            author_path(&cx.library.authors[i].slug)
        )
    }

    fn view<'a>(
        &self,
        cx: &'a Cx<'_>,
        &i: &'a usize,
        list: &'a Listing,
    ) -> Box<dyn erased_serde::Serialize + 'a> {
        let a = &cx.library.authors[i];
        let name = format!("{}{}", a.name, cx.words.suffix(list.page));
        let head = Head::new("author", cx.title(&name), &list.path)
            .named(&name)
            .described(Words::fill(
                cx.words.author_description,
                &[("name", &a.name), ("site", &cx.config.title)],
            ));
        Box::new(View {
            site: cx.views.site.shared,
            page: head.meta(cx.config),
            author: TermView::new(cx.config, a, &author_path(&a.slug), false),
            stories: cx.views.story_list(list.ids()),
            paginator: list.paginator(cx),
        })
    }
}
