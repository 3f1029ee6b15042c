//! `/archive/`: every year and month with its story count.

use serde::Serialize;

use super::archive::{MonthView, months};
use super::{Cx, Kind, Page, SitemapEntry};
use crate::model::Address;
use crate::view::page::Head;
use crate::view::{Meta, Shared, Words};

pub struct ArchiveIndex;

const PATH: &str = "/archive/";

impl Kind for ArchiveIndex {
    fn template(&self) -> &'static str {
        "archive_index.html"
    }

    fn pages<'a>(&'a self, cx: &'a Cx<'a>) -> Vec<Box<dyn Page + 'a>> {
        vec![Box::new(ArchiveIndexPage { cx })]
    }
}

struct ArchiveIndexPage<'a> {
    cx: &'a Cx<'a>,
}

#[derive(Serialize)]
struct View {
    site: Shared,
    page: Meta,
    years: Vec<Year>,
}

#[derive(Serialize)]
struct Year {
    year: i32,
    url: String,
    count: usize,
    months: Vec<MonthView>,
}

impl Page for ArchiveIndexPage<'_> {
    fn path(&self) -> &str {
        PATH
    }

    fn template(&self) -> &'static str {
        ArchiveIndex.template()
    }

    fn describe(&self) -> String {
        "the archive index".into()
    }

    fn sitemap(&self) -> Option<SitemapEntry> {
        Some(SitemapEntry {
            loc: Address::new(self.cx.config, PATH).permalink,
            lastmod: None,
        })
    }

    fn view(&self) -> Box<dyn erased_serde::Serialize + '_> {
        let cx = self.cx;
        let years = (cx.library.years.iter().rev())
            .map(|(&y, ids)| Year {
                year: y,
                url: Address::new(cx.config, &format!("/{y:04}/")).url,
                count: ids.len(),
                months: months(cx, y),
            })
            .collect();
        let head = Head::new("archive_index", cx.title(cx.words.archive), PATH)
            .named(cx.words.archive)
            .described(Words::fill(
                cx.words.archive_description,
                &[("site", &cx.config.title)],
            ));
        Box::new(View {
            site: cx.views.site.shared,
            page: head.meta(cx.config),
            years,
        })
    }
}
