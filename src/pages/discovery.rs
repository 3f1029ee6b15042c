//! Files for crawlers: sitemaps (a sitemap index past 50,000 URLs), the Google News sitemap
//! and robots.txt.

use chrono::{DateTime, Duration, FixedOffset};

use super::SitemapEntry;
use crate::config::Config;
use crate::model::{Address, Library};
use crate::publish::OutputFile;
use crate::view::rfc3339;

pub const SITEMAP_LIMIT: usize = 50_000;
const NEWS_LIMIT: usize = 1_000;

pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + s.len() / 8);
    let mut plain = 0;
    // Whole runs between special bytes are copied at once: feeds escape entire story bodies.
    for (i, b) in s.bytes().enumerate() {
        let entity = match b {
            b'&' => "&amp;",
            b'<' => "&lt;",
            b'>' => "&gt;",
            b'"' => "&quot;",
            b'\'' => "&apos;",
            _ => continue,
        };
        out.push_str(&s[plain..i]);
        out.push_str(entity);
        plain = i + 1;
    }
    out.push_str(&s[plain..]);
    out
}

fn urlset(urls: &[SitemapEntry]) -> String {
    let mut out = String::with_capacity(urls.len() * 120 + 200);
    out.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n");
    for u in urls {
        out.push_str("  <url><loc>");
        out.push_str(&escape(&u.loc));
        out.push_str("</loc>");
        if let Some(m) = &u.lastmod {
            out.push_str("<lastmod>");
            out.push_str(m);
            out.push_str("</lastmod>");
        }
        out.push_str("</url>\n");
    }
    out.push_str("</urlset>\n");
    out
}

/// `sitemap.xml`, split into `sitemap-N.xml` under an index when there are too many URLs.
pub fn sitemaps(config: &Config, urls: &[SitemapEntry], newest: Option<String>) -> Vec<OutputFile> {
    if urls.len() <= SITEMAP_LIMIT {
        return vec![OutputFile::page(
            "sitemap.xml".into(),
            urlset(urls),
            "the sitemap",
        )];
    }
    let mut files = Vec::new();
    let mut index = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<sitemapindex xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    for (i, chunk) in urls.chunks(SITEMAP_LIMIT).enumerate() {
        let name = format!("sitemap-{}.xml", i + 1);
        index.push_str(&format!(
            "  <sitemap><loc>{}</loc>",
            escape(&Address::new(config, &format!("/{name}")).permalink)
        ));
        if let Some(m) = &newest {
            index.push_str(&format!("<lastmod>{m}</lastmod>"));
        }
        index.push_str("</sitemap>\n");
        files.push(OutputFile::page(
            name,
            urlset(chunk),
            "a sitemap part broadsheet makes",
        ));
    }
    index.push_str("</sitemapindex>\n");
    files.push(OutputFile::page(
        "sitemap.xml".into(),
        index,
        "the sitemap index",
    ));
    files
}

/// How long a story stays in the news sitemap, as Google News asks.
pub const NEWS_DAYS: i64 = 2;

/// Stories of the last two days, newest first, at most 1,000, as Google News asks.
pub fn news_sitemap(config: &Config, library: &Library, now: DateTime<FixedOffset>) -> OutputFile {
    let since = now - Duration::days(NEWS_DAYS);
    let mut out = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\" xmlns:news=\"http://www.google.com/schemas/sitemap-news/0.9\">\n",
    );
    let recent = library
        .stories
        .iter()
        .filter(|s| s.entry.date >= since && s.entry.date <= now)
        .take(NEWS_LIMIT);
    let mut listed = 0;
    for s in recent {
        listed += 1;
        out.push_str(&format!(
            "  <url>\n    <loc>{}</loc>\n    <news:news>\n      <news:publication>\n        <news:name>{}</news:name>\n        <news:language>{}</news:language>\n      </news:publication>\n      <news:publication_date>{}</news:publication_date>\n      <news:title>{}</news:title>\n    </news:news>\n  </url>\n",
            escape(&s.address.permalink),
            escape(&config.title),
            escape(s.language(config)),
            rfc3339(&s.entry.date),
            escape(&s.entry.front.title),
        ));
    }
    if listed == 0 {
        // The schema wants at least one address: with no story of the last two days, the
        // front page, with no news of its own, which news crawlers pass over.
        out.push_str(&format!(
            "  <url>\n    <loc>{}</loc>\n  </url>\n",
            escape(&Address::new(config, "/").permalink)
        ));
    }
    out.push_str("</urlset>\n");
    OutputFile::page(
        "news-sitemap.xml".into(),
        out,
        "the news sitemap broadsheet makes",
    )
}

pub fn robots(config: &Config) -> OutputFile {
    let text = format!(
        "User-agent: *\nAllow: /\n\nSitemap: {}\nSitemap: {}\n",
        Address::new(config, "/sitemap.xml").permalink,
        Address::new(config, "/news-sitemap.xml").permalink
    );
    OutputFile::page("robots.txt".into(), text, "the robots.txt broadsheet makes")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sitemap_index_past_the_limit() {
        let config = Config::parse("title = \"T\"\nbase_url = \"https://e.com\"\n", None).unwrap();
        let urls: Vec<SitemapEntry> = (0..SITEMAP_LIMIT + 1)
            .map(|i| SitemapEntry {
                loc: format!("https://e.com/{i}/"),
                lastmod: None,
            })
            .collect();
        let files = sitemaps(&config, &urls, None);
        let names: Vec<&str> = files.iter().map(|f| f.path.as_str()).collect();
        assert_eq!(names, ["sitemap-1.xml", "sitemap-2.xml", "sitemap.xml"]);
        let crate::publish::Contents::Bytes(index) = &files[2].contents else {
            panic!()
        };
        let index = String::from_utf8_lossy(index);
        assert!(index.contains("<sitemapindex"));
        assert!(index.contains("<loc>https://e.com/sitemap-2.xml</loc>"));
        assert_eq!(sitemaps(&config, &urls[..10], None).len(), 1);
    }
}
