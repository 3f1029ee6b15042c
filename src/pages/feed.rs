//! RSS feeds: `/rss.xml`, `/SECTION/rss.xml`, `/tags/SLUG/rss.xml`, newest first, at most
//! `feed_limit` items.

use serde::Serialize;

use super::{Cx, Kind, Page};
use crate::model::{Address, section_path, tag_path};
use crate::view::page::Head;
use crate::view::{Meta, Shared, Words};

pub struct Feeds;

impl Kind for Feeds {
    fn template(&self) -> &'static str {
        "rss.xml"
    }

    fn pages<'a>(&'a self, cx: &'a Cx<'a>) -> Vec<Box<dyn Page + 'a>> {
        let (library, words, site) = (cx.library, cx.words, cx.config.title.as_str());
        let mut feeds = vec![FeedPage {
            cx,
            path: "/rss.xml".into(),
            link: "/".into(),
            title: site.to_string(),
            description: if cx.config.description.is_empty() {
                Words::fill(words.site_feed_description, &[("site", site)])
            } else {
                cx.config.description.clone()
            },
            stories: (0..library.stories.len()).collect(),
        }];
        // Each section's feed, then each tag's: (name, listing, description, stories).
        let sections = (library.sections.iter()).map(|s| {
            (
                &s.name,
                section_path(&s.slug),
                words.section_description,
                &s.stories,
            )
        });
        let tags = (library.tags.iter()).map(|t| {
            (
                &t.name,
                tag_path(&t.slug),
                words.tag_feed_description,
                &t.stories,
            )
        });
        for (name, link, description, stories) in sections.chain(tags) {
            feeds.push(FeedPage {
                cx,
                path: format!("{link}rss.xml"),
                title: cx.title(name),
                description: Words::fill(description, &[("name", name), ("site", site)]),
                link,
                stories: stories.clone(),
            });
        }
        feeds
            .into_iter()
            .map(|f| Box::new(f) as Box<dyn Page>)
            .collect()
    }
}

struct FeedPage<'a> {
    cx: &'a Cx<'a>,
    path: String,
    title: String,
    description: String,
    /// The page the feed follows.
    link: String,
    stories: Vec<usize>,
}

#[derive(Serialize)]
struct View<'a> {
    site: Shared,
    page: Meta,
    feed: Channel<'a>,
    stories: Vec<Shared>,
}

/// `feed` (docs/templates.md).
#[derive(Serialize)]
struct Channel<'a> {
    title: &'a str,
    description: &'a str,
    link: String,
    self_url: String,
    language: &'a str,
    last_build_date: &'a str,
}

impl Page for FeedPage<'_> {
    fn path(&self) -> &str {
        &self.path
    }

    fn template(&self) -> &'static str {
        Feeds.template()
    }

    fn describe(&self) -> String {
        format!("the feed {}", self.path)
    }

    fn view(&self) -> Box<dyn erased_serde::Serialize + '_> {
        let cx = self.cx;
        let ids = &self.stories[..self.stories.len().min(cx.config.feed_limit)];
        Box::new(View {
            site: cx.views.site.shared,
            page: Head::new("feed", self.title.clone(), &self.path).meta(cx.config),
            feed: Channel {
                title: &self.title,
                description: &self.description,
                link: Address::new(cx.config, &self.link).permalink,
                self_url: Address::new(cx.config, &self.path).permalink,
                language: &cx.config.language,
                last_build_date: &cx.newest_rfc2822,
            },
            stories: cx.views.story_list(ids),
        })
    }
}
