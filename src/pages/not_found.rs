//! `/404.html`, which hosts serve for any address the site does not have.

use serde::Serialize;

use super::{Cx, Kind, Page};
use crate::view::page::Head;
use crate::view::{Meta, Shared};

pub struct NotFound;

const PATH: &str = "/404.html";

impl Kind for NotFound {
    fn template(&self) -> &'static str {
        "404.html"
    }

    fn pages<'a>(&'a self, cx: &'a Cx<'a>) -> Vec<Box<dyn Page + 'a>> {
        vec![Box::new(NotFoundPage { cx })]
    }
}

struct NotFoundPage<'a> {
    cx: &'a Cx<'a>,
}

#[derive(Serialize)]
struct View {
    site: Shared,
    page: Meta,
}

impl Page for NotFoundPage<'_> {
    fn path(&self) -> &str {
        PATH
    }

    fn template(&self) -> &'static str {
        NotFound.template()
    }

    fn describe(&self) -> String {
        "the 404 page".into()
    }

    fn view(&self) -> Box<dyn erased_serde::Serialize + '_> {
        let cx = self.cx;
        Box::new(View {
            site: cx.views.site.shared,
            page: Head::new("404", cx.title(cx.words.not_found), PATH)
                .named(cx.words.not_found)
                .meta(cx.config),
        })
    }
}
