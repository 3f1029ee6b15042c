//! What every page says of itself (`page`), and the paginator of listings.

use serde::Serialize;

use crate::config::Config;
use crate::model::Address;

/// `page`: for `<head>`: title, description, canonical address, social image and feed.
#[derive(Serialize)]
pub struct Meta {
    pub kind: &'static str,
    pub title: String,
    /// The page's own name, without the site's: what Open Graph and Twitter cards show.
    pub headline: String,
    pub description: String,
    pub url: String,
    pub permalink: String,
    pub og_type: &'static str,
    pub image: String,
    pub image_alt: String,
    pub feed_url: String,
    pub feed_title: String,
}

/// How a page describes itself; empty fields take the site's.
pub struct Head<'a> {
    pub kind: &'static str,
    pub title: String,
    /// The page's own name; the title when not given.
    pub headline: String,
    pub path: &'a str,
    pub description: String,
    pub image: String,
    pub image_alt: String,
    /// The site path of the feed that fits the page, and its title.
    pub feed: Option<(String, String)>,
}

impl<'a> Head<'a> {
    pub fn new(kind: &'static str, title: String, path: &'a str) -> Self {
        Head {
            kind,
            title,
            headline: String::new(),
            path,
            description: String::new(),
            image: String::new(),
            image_alt: String::new(),
            feed: None,
        }
    }

    /// The page's own name, when its title adds the site's.
    pub fn named(mut self, headline: &str) -> Self {
        self.headline = headline.to_string();
        self
    }

    pub fn described(mut self, description: String) -> Self {
        self.description = description;
        self
    }

    pub fn with_feed(mut self, path: String, title: String) -> Self {
        self.feed = Some((path, title));
        self
    }

    pub fn meta(self, config: &Config) -> Meta {
        let a = Address::new(config, self.path);
        let (feed, feed_title) = self
            .feed
            .unwrap_or_else(|| ("/rss.xml".to_string(), String::new()));
        // Pages without an image of their own share the site's.
        let (image, image_alt) = if self.image.is_empty() && !config.image.is_empty() {
            (
                config.absolute_or_url(&config.image),
                config.image_alt.clone(),
            )
        } else {
            (self.image, self.image_alt)
        };
        Meta {
            kind: self.kind,
            headline: if self.headline.is_empty() {
                self.title.clone()
            } else {
                self.headline
            },
            title: self.title,
            description: if self.description.is_empty() {
                config.description.clone()
            } else {
                self.description
            },
            url: a.url,
            permalink: a.permalink,
            og_type: if self.kind == "article" {
                "article"
            } else {
                "website"
            },
            image,
            image_alt,
            feed_url: Address::new(config, &feed).permalink,
            feed_title: if feed_title.is_empty() {
                config.title.clone()
            } else {
                feed_title
            },
        }
    }
}

/// `paginator` (docs/templates.md, "Paginator").
#[derive(Serialize)]
pub struct Paginator {
    pub current: usize,
    pub total_pages: usize,
    pub total_items: usize,
    pub previous: String,
    pub next: String,
    pub first: String,
    pub last: String,
    pub pages: Vec<PageLink>,
}

#[derive(Serialize)]
pub struct PageLink {
    pub number: usize,
    pub url: String,
    pub current: bool,
}

impl Paginator {
    /// Page `current` of `total_pages` listing `total_items`, where `url(n)` is page n's URL.
    pub fn new(
        current: usize,
        total_pages: usize,
        total_items: usize,
        url: impl Fn(usize) -> String,
    ) -> Paginator {
        // The first, the last and those near the current page: a full list would make
        // listings of many pages cost the square of their length.
        let near = current.saturating_sub(3).max(1)..=(current + 3).min(total_pages);
        let mut numbers: Vec<usize> = std::iter::once(1)
            .chain(near)
            .chain(std::iter::once(total_pages))
            .collect();
        numbers.dedup();
        Paginator {
            current,
            total_pages,
            total_items,
            previous: if current > 1 {
                url(current - 1)
            } else {
                String::new()
            },
            next: if current < total_pages {
                url(current + 1)
            } else {
                String::new()
            },
            first: url(1),
            last: url(total_pages),
            pages: numbers
                .into_iter()
                .map(|n| PageLink {
                    number: n,
                    url: url(n),
                    current: n == current,
                })
                .collect(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paginator_lists_first_last_and_nearby_pages() {
        let url = |n: usize| format!("/page/{n}/");
        let numbers = |page| -> Vec<usize> {
            Paginator::new(page, 20, 200, url)
                .pages
                .iter()
                .map(|p| p.number)
                .collect()
        };
        assert_eq!(numbers(1), vec![1, 2, 3, 4, 20]);
        assert_eq!(numbers(10), vec![1, 7, 8, 9, 10, 11, 12, 13, 20]);
        assert_eq!(numbers(20), vec![1, 17, 18, 19, 20]);
        let p = Paginator::new(2, 20, 200, url);
        assert_eq!(p.previous, "/page/1/");
        assert_eq!(p.next, "/page/3/");
        assert!(Paginator::new(1, 1, 3, url).next.is_empty());
    }
}
