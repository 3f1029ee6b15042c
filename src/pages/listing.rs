//! What the paginated listings (front page, sections, tags, authors, archives) share: how a
//! list of stories is cut into pages, and each page's paginator and sitemap entry.

use std::sync::Arc;

use super::{Cx, SitemapEntry};
use crate::model::Address;
use crate::view::{Paginator, rfc3339};

/// One page of a paginated list of stories.
pub struct Listing {
    /// 1-based.
    pub page: usize,
    pub total_pages: usize,
    per_page: usize,
    base: String,
    /// The site path of this page.
    pub path: String,
    ids: Arc<Vec<usize>>,
}

impl Listing {
    /// The pages listing `ids` under `base` (`/world/`, then `/world/page/2/`, …); an empty
    /// list still has its first page.
    pub fn paginate(cx: &Cx, base: String, ids: Vec<usize>) -> Vec<Listing> {
        let per_page = cx.config.paginate;
        let total_pages = ids.len().div_ceil(per_page).max(1);
        let ids = Arc::new(ids);
        (1..=total_pages)
            .map(|page| Listing {
                page,
                total_pages,
                per_page,
                path: page_path(&base, page),
                base: base.clone(),
                ids: ids.clone(),
            })
            .collect()
    }

    /// The stories on this page.
    pub fn ids(&self) -> &[usize] {
        let start = (self.page - 1) * self.per_page;
        &self.ids[start.min(self.ids.len())..(start + self.per_page).min(self.ids.len())]
    }

    pub fn paginator(&self, cx: &Cx) -> Paginator {
        Paginator::new(self.page, self.total_pages, self.ids.len(), |n| {
            Address::new(cx.config, &page_path(&self.base, n)).url
        })
    }

    /// The first page is in the sitemap, dated by the newest story it lists.
    pub fn sitemap(&self, cx: &Cx) -> Option<SitemapEntry> {
        (self.page == 1).then(|| SitemapEntry {
            loc: Address::new(cx.config, &self.path).permalink,
            lastmod: self.ids.first().map(|&i| {
                let e = &cx.library.stories[i].entry;
                rfc3339(&e.updated.unwrap_or(e.date))
            }),
        })
    }

    /// "the section page /world/", with " (page 2)" from page 2 on.
    pub fn describe(&self, what: &str) -> String {
        if self.page > 1 {
            format!("{what} (page {})", self.page)
        } else {
            what.to_string()
        }
    }
}

fn page_path(base: &str, n: usize) -> String {
    if n <= 1 {
        base.to_string()
    } else {
        format!("{base}page/{n}/")
    }
}
