//! Where things live on the site: the paths of listings, and the URLs of a site path.

use crate::config::Config;
use crate::slug::encode_path;

/// URLs for one site path (`/world/`): host-relative and absolute, percent-encoded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Address {
    pub url: String,
    pub permalink: String,
}

impl Address {
    pub fn new(config: &Config, path: &str) -> Address {
        let encoded = encode_path(path);
        Address {
            url: config.url(&encoded),
            permalink: config.absolute(&encoded),
        }
    }
}

pub fn section_path(slug: &str) -> String {
    format!("/{slug}/")
}

pub fn tag_path(slug: &str) -> String {
    format!("/tags/{slug}/")
}

pub fn author_path(slug: &str) -> String {
    format!("/authors/{slug}/")
}

pub fn day_path(d: chrono::NaiveDate) -> String {
    d.format("/%Y/%m/%d/").to_string()
}

/// The file a site path is written to: `/world/` is `world/index.html`; `/rss.xml` stays.
pub fn output_path(site_path: &str) -> String {
    let p = site_path.trim_start_matches('/');
    if p.is_empty() || p.ends_with('/') {
        format!("{p}index.html")
    } else {
        p.to_string()
    }
}
