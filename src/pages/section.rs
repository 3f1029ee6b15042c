//! A section's latest stories: `/SECTION/`, `/SECTION/page/N/`.

use serde::Serialize;

use super::Cx;
use super::listing::{Listed, Listing};
use crate::model::section_path;
use crate::view::page::Head;
use crate::view::{Meta, Paginator, Shared, Words};

pub struct Sections;

#[derive(Serialize)]
struct View {
    site: Shared,
    page: Meta,
    section: Shared,
    stories: Vec<Shared>,
    paginator: Paginator,
}

impl Listed for Sections {
    /// The section's index in the library.
    type Item = usize;
    const TEMPLATE: &'static str = "section.html";

    fn items(&self, cx: &Cx) -> Vec<(usize, String, Vec<usize>)> {
        (cx.library.sections.iter().enumerate())
            .map(|(i, s)| (i, section_path(&s.slug), s.stories.clone()))
            .collect()
    }

    fn describe(&self, cx: &Cx, &i: &usize) -> String {
        let slug = &cx.library.sections[i].slug;
        format!("the section page {}", section_path(slug))
    }

    fn view<'a>(
        &self,
        cx: &'a Cx<'_>,
        &i: &'a usize,
        list: &'a Listing,
    ) -> Box<dyn erased_serde::Serialize + 'a> {
        let s = &cx.library.sections[i];
        let site = cx.config.title.as_str();
        let name = format!("{}{}", s.name, cx.words.suffix(list.page));
        let head = Head::new("section", cx.title(&name), &list.path)
            .named(&name)
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
            section: cx.views.sections[i].shared,
            stories: cx.views.story_list(list.ids()),
            paginator: list.paginator(cx),
        })
    }
}
