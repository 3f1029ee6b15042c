//! Links inside rendered pages: where each `href` and `src` leads, and whether anything is there.

use std::collections::{HashMap, HashSet};

use crate::config::Config;
use crate::publish::{Contents, OutputFile};

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Fault {
    /// No file at the target.
    Missing,
    /// The page exists but has no element with this id.
    Anchor(String),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BrokenLink {
    /// Output path of the page holding the link.
    pub page: String,
    /// The link as written in the page.
    pub href: String,
    /// The output path it leads to.
    pub target: String,
    pub fault: Fault,
    /// From a `src` attribute: an image, not a link.
    pub image: bool,
}

/// Values of attribute `name` in `html` (`href="..."`), with entities decoded.
pub fn attribute_values<'a>(html: &'a str, name: &'a str) -> impl Iterator<Item = String> + 'a {
    let mut rest = html;
    std::iter::from_fn(move || {
        loop {
            let i = rest.find(name)?;
            let before = rest[..i].chars().next_back();
            let after = &rest[i + name.len()..];
            rest = after;
            if !matches!(before, Some(c) if c.is_whitespace()) {
                continue;
            }
            let Some(after) = after.strip_prefix('=') else {
                continue;
            };
            let quote = match after.chars().next() {
                Some(q @ ('"' | '\'')) => q,
                _ => continue,
            };
            let value = &after[1..];
            let end = value.find(quote)?;
            rest = &value[end..];
            return Some(decode_entities(&value[..end]));
        }
    })
}

fn decode_entities(s: &str) -> String {
    if !s.contains('&') {
        return s.to_string();
    }
    s.replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&#x27;", "'")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

fn percent_decode(s: &str) -> String {
    String::from_utf8_lossy(&crate::slug::decode_percent(s)).into_owned()
}

/// The output path a link leads to, or None when it leaves the site (another host, mailto:).
pub fn resolve(config: &Config, page: &str, href: &str) -> Option<(String, String)> {
    let href = href.trim();
    let (without_fragment, fragment) = match href.split_once('#') {
        Some((p, f)) => (p, f.to_string()),
        None => (href, String::new()),
    };
    let path = without_fragment.split('?').next().unwrap_or("");
    let site_path = if let Some(rest) = path.strip_prefix(&config.base_url) {
        if !rest.is_empty() && !rest.starts_with('/') {
            return None;
        }
        format!("/{}", rest.trim_start_matches('/'))
    } else if path.starts_with("//") || path.contains(':') && !path.starts_with('/') {
        return None;
    } else if path.starts_with('/') {
        let base = config.base_path.trim_end_matches('/');
        match path.strip_prefix(base) {
            Some(rest) if rest.is_empty() || rest.starts_with('/') => {
                format!("/{}", rest.trim_start_matches('/'))
            }
            _ => return Some((format!("(outside the site) {path}"), fragment)),
        }
    } else if path.is_empty() {
        format!("/{page}")
    } else {
        let dir = page.rfind('/').map_or("", |i| &page[..=i]);
        let mut parts: Vec<&str> = dir.split('/').filter(|p| !p.is_empty()).collect();
        for segment in path.split('/') {
            match segment {
                "." | "" => {}
                ".." => {
                    parts.pop();
                }
                s => parts.push(s),
            }
        }
        let trailing = if path.ends_with('/') { "/" } else { "" };
        format!("/{}{trailing}", parts.join("/"))
    };
    let decoded = percent_decode(&site_path);
    let file = crate::model::output_path(&decoded);
    Some((file, percent_decode(&fragment)))
}

/// Every link in the site's HTML pages that leads nowhere.
pub fn check(config: &Config, files: &[OutputFile]) -> Vec<BrokenLink> {
    let pages: HashMap<&str, &str> = files
        .iter()
        .filter(|f| f.path.ends_with(".html"))
        .filter_map(|f| match &f.contents {
            Contents::Bytes(b) => std::str::from_utf8(b).ok().map(|t| (f.path.as_str(), t)),
            _ => None,
        })
        .collect();
    let exists: HashSet<&str> = files.iter().map(|f| f.path.as_str()).collect();
    let ids: HashMap<&str, HashSet<String>> = pages
        .iter()
        .map(|(p, html)| (*p, attribute_values(html, "id").collect()))
        .collect();
    let mut broken = Vec::new();
    let mut names: Vec<&&str> = pages.keys().collect();
    names.sort();
    for page in names {
        let html = pages[*page];
        let links = attribute_values(html, "href")
            .map(|h| (h, false))
            .chain(attribute_values(html, "src").map(|h| (h, true)));
        for (href, image) in links {
            let Some((mut target, fragment)) = resolve(config, page, &href) else {
                continue;
            };
            if !exists.contains(target.as_str()) {
                // `/world` is served as the folder `/world/`.
                let folder = format!("{target}/index.html");
                if !exists.contains(folder.as_str()) {
                    broken.push(BrokenLink {
                        page: page.to_string(),
                        href,
                        target,
                        fault: Fault::Missing,
                        image,
                    });
                    continue;
                }
                target = folder;
            }
            if !fragment.is_empty()
                && let Some(page_ids) = ids.get(target.as_str())
                && !page_ids.contains(&fragment)
            {
                broken.push(BrokenLink {
                    page: page.to_string(),
                    href,
                    target,
                    fault: Fault::Anchor(fragment),
                    image,
                });
            }
        }
    }
    broken
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config() -> Config {
        Config::parse("title = \"T\"\nbase_url = \"https://e.com/news\"\n", None).unwrap()
    }

    #[test]
    fn resolves_every_kind_of_link() {
        let c = config();
        let r = |href: &str| resolve(&c, "world/a/index.html", href);
        assert_eq!(
            r("/news/world/"),
            Some(("world/index.html".into(), "".into()))
        );
        assert_eq!(
            r("https://e.com/news/rss.xml"),
            Some(("rss.xml".into(), "".into()))
        );
        assert_eq!(
            r("photo.jpg"),
            Some(("world/a/photo.jpg".into(), "".into()))
        );
        assert_eq!(
            r("../b/#x"),
            Some(("world/b/index.html".into(), "x".into()))
        );
        assert_eq!(r("#top"), Some(("world/a/index.html".into(), "top".into())));
        assert_eq!(
            r("/news/caf%C3%A9/"),
            Some(("café/index.html".into(), "".into()))
        );
        assert_eq!(r("https://other.org/x"), None);
        assert_eq!(r("/news/%aé").unwrap().0, "%aé");
        assert_eq!(r("mailto:a@e.com"), None);
        assert!(
            r("/elsewhere/")
                .unwrap()
                .0
                .starts_with("(outside the site)")
        );
    }

    #[test]
    fn finds_attributes() {
        let html = r#"<a href="/a/?x=1&amp;y=2">x</a><img data-src="no" src='/b.png'><p id="top">"#;
        assert_eq!(
            attribute_values(html, "href").collect::<Vec<_>>(),
            vec!["/a/?x=1&y=2"]
        );
        assert_eq!(
            attribute_values(html, "src").collect::<Vec<_>>(),
            vec!["/b.png"]
        );
        assert_eq!(
            attribute_values(html, "id").collect::<Vec<_>>(),
            vec!["top"]
        );
    }

    #[test]
    fn reports_missing_pages_and_anchors() {
        let c = config();
        let page = |p: &str, html: &str| OutputFile::page(p.into(), html.into(), "x");
        let files = vec![
            page(
                "index.html",
                r##"<a href="/news/a/#there">a</a><a href="/news/a/#gone">b</a><a href="/news/nope/">c</a><a href="/news/a">d</a>"##,
            ),
            page("a/index.html", r#"<h2 id="there">x</h2>"#),
        ];
        let broken = check(&c, &files);
        assert_eq!(broken.len(), 2, "{broken:?}");
        assert_eq!(broken[0].fault, Fault::Anchor("gone".into()));
        assert_eq!(broken[1].target, "nope/index.html");
    }
}
