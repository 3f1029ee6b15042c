//! What the paginated listings (front page, sections, tags, authors, archives) share: how a
//! list of stories is cut into pages, and each page's paginator and sitemap entry.

use std::sync::Arc;

use super::{Cx, Kind, Page, SitemapEntry};
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

    /// The first page is in the sitemap, dated by the newest date or update of any story it
    /// lists (the front page lists featured stories first, and an old story may be updated).
    pub fn sitemap(&self, cx: &Cx) -> Option<SitemapEntry> {
        (self.page == 1).then(|| SitemapEntry {
            loc: Address::new(cx.config, &self.path).permalink,
            lastmod: (self.ids.iter())
                .map(|&i| {
                    let e = &cx.library.stories[i].entry;
                    e.updated.unwrap_or(e.date).max(e.date)
                })
                .max()
                .map(|d| rfc3339(&d)),
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

/// A kind of paginated listing: a list of stories for each of its items (the front page has
/// one; sections, tags, authors and archive periods one each), cut into pages.
pub trait Listed: Sync {
    type Item: Send + Sync;
    const TEMPLATE: &'static str;
    /// Every item, with the base path of its listing and the stories it lists.
    fn items(&self, cx: &Cx) -> Vec<(Self::Item, String, Vec<usize>)>;
    /// What a listing is, for messages: "the section page /world/".
    fn describe(&self, cx: &Cx, item: &Self::Item) -> String;
    /// The view of one page of an item's listing.
    fn view<'a>(
        &self,
        cx: &'a Cx<'_>,
        item: &'a Self::Item,
        list: &'a Listing,
    ) -> Box<dyn erased_serde::Serialize + 'a>;
}

/// A listing kind as a page kind.
pub struct Listings<L>(pub L);

impl<L: Listed> Kind for Listings<L> {
    fn template(&self) -> &'static str {
        L::TEMPLATE
    }

    fn pages<'a>(&'a self, cx: &'a Cx<'a>) -> Vec<Box<dyn Page + 'a>> {
        let mut pages: Vec<Box<dyn Page + 'a>> = Vec::new();
        for (item, base, ids) in self.0.items(cx) {
            let item = Arc::new(item);
            for list in Listing::paginate(cx, base.clone(), ids.clone()) {
                pages.push(Box::new(ListingPage {
                    cx,
                    kind: &self.0,
                    item: item.clone(),
                    list,
                }));
            }
        }
        pages
    }
}

struct ListingPage<'a, L: Listed> {
    cx: &'a Cx<'a>,
    kind: &'a L,
    item: Arc<L::Item>,
    list: Listing,
}

impl<L: Listed> Page for ListingPage<'_, L> {
    fn path(&self) -> &str {
        &self.list.path
    }

    fn template(&self) -> &'static str {
        L::TEMPLATE
    }

    fn describe(&self) -> String {
        self.list.describe(&self.kind.describe(self.cx, &self.item))
    }

    fn sitemap(&self) -> Option<SitemapEntry> {
        self.list.sitemap(self.cx)
    }

    fn view(&self) -> Box<dyn erased_serde::Serialize + '_> {
        self.kind.view(self.cx, &self.item, &self.list)
    }
}
