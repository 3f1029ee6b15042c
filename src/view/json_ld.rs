//! schema.org data as typed views: `NewsArticle` for story pages, `WebSite` and the
//! publisher for the front page. Fields are in the order
//! of their names, as JSON-LD has always been printed here.

use serde::Serialize;

use super::rfc3339;
use crate::config::Config;
use crate::model::{Address, Library, Story, author_path};

#[derive(Serialize)]
pub struct NewsArticle<'a> {
    #[serde(rename = "@context")]
    context: &'static str,
    #[serde(rename = "@type")]
    kind: &'static str,
    #[serde(rename = "articleSection")]
    article_section: &'a str,
    /// The byline's people; a story with no byline is the publisher's own.
    author: Vec<Agent<'a>>,
    #[serde(rename = "dateModified")]
    date_modified: String,
    #[serde(rename = "datePublished")]
    date_published: String,
    description: &'a str,
    headline: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    image: Option<[&'a str; 1]>,
    #[serde(rename = "inLanguage")]
    in_language: &'a str,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    keywords: Vec<&'a str>,
    #[serde(rename = "mainEntityOfPage")]
    main_entity_of_page: WebPage<'a>,
    publisher: Agent<'a>,
    url: &'a str,
    #[serde(rename = "wordCount")]
    word_count: usize,
}

/// A `Person`, or the publishing organisation.
#[derive(Serialize)]
struct Agent<'a> {
    #[serde(rename = "@type")]
    kind: &'static str,
    /// Only when the site names one (`logo` in config.toml).
    #[serde(skip_serializing_if = "Option::is_none")]
    logo: Option<ImageObject>,
    name: &'a str,
    url: String,
}

#[derive(Serialize)]
struct ImageObject {
    #[serde(rename = "@type")]
    kind: &'static str,
    url: String,
}

#[derive(Serialize)]
struct WebPage<'a> {
    #[serde(rename = "@id")]
    id: &'a str,
    #[serde(rename = "@type")]
    kind: &'static str,
}

impl<'a> NewsArticle<'a> {
    pub fn new(config: &'a Config, library: &'a Library, story: &'a Story) -> Self {
        let e = &story.entry;
        let permalink = story.address.permalink.as_str();
        NewsArticle {
            context: "https://schema.org",
            kind: "NewsArticle",
            article_section: &library.sections[story.section].name,
            author: if story.authors.is_empty() {
                // The publisher stands as author; its logo is given under `publisher`.
                vec![Agent {
                    logo: None,
                    ..publisher(config)
                }]
            } else {
                (story.authors.iter())
                    .map(|&a| {
                        let a = &library.authors[a];
                        Agent {
                            kind: "Person",
                            logo: None,
                            name: &a.name,
                            url: Address::new(config, &author_path(&a.slug)).permalink,
                        }
                    })
                    .collect()
            },
            date_modified: rfc3339(&e.updated.unwrap_or(e.date)),
            date_published: rfc3339(&e.date),
            description: story.summary_text(),
            headline: &e.front.title,
            image: story
                .image
                .as_ref()
                .map(|i| [i.permalink.as_str()])
                .filter(|[p]| !p.is_empty()),
            in_language: story.language(config),
            keywords: story
                .tags
                .iter()
                .map(|&t| library.tags[t].name.as_str())
                .collect(),
            main_entity_of_page: WebPage {
                id: permalink,
                kind: "WebPage",
            },
            publisher: publisher(config),
            url: permalink,
            word_count: story.body.word_count,
        }
    }
}

/// The front page's structured data: the site, and the organisation that publishes it.
#[derive(Serialize)]
pub struct Home<'a> {
    #[serde(rename = "@context")]
    context: &'static str,
    #[serde(rename = "@graph")]
    graph: (WebSite<'a>, Agent<'a>),
}

#[derive(Serialize)]
struct WebSite<'a> {
    #[serde(rename = "@type")]
    kind: &'static str,
    #[serde(skip_serializing_if = "str::is_empty")]
    description: &'a str,
    #[serde(rename = "inLanguage")]
    in_language: &'a str,
    name: &'a str,
    publisher: Agent<'a>,
    url: String,
}

impl<'a> Home<'a> {
    pub fn new(config: &'a Config) -> Home<'a> {
        Home {
            context: "https://schema.org",
            graph: (
                WebSite {
                    kind: "WebSite",
                    description: &config.description,
                    in_language: &config.language,
                    name: &config.title,
                    publisher: publisher(config),
                    url: format!("{}/", config.base_url),
                },
                publisher(config),
            ),
        }
    }
}

/// The site as the `NewsMediaOrganization` that publishes it.
fn publisher(config: &Config) -> Agent<'_> {
    Agent {
        kind: "NewsMediaOrganization",
        logo: (!config.logo.is_empty()).then(|| ImageObject {
            kind: "ImageObject",
            url: config.absolute_or_url(&config.logo),
        }),
        name: &config.title,
        url: format!("{}/", config.base_url),
    }
}
