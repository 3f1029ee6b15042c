//! The filters broadsheet adds to Tera: dates in the site's zone, XML escaping of HTML, and
//! URL encoding.

use chrono::DateTime;
use chrono_tz::Tz;
use tera::{Kwargs, State, Tera, TeraResult};

/// Formats RFC 3339 text in the site's zone, for `{{ story.date | date(format="%H:%M") }}`.
pub fn register(tera: &mut Tera, tz: Tz) {
    tera.register_filter(
        "date",
        move |value: &str, kwargs: Kwargs, _: &State| -> TeraResult<String> {
            let format: Option<&str> = kwargs.get("format")?;
            let dt = DateTime::parse_from_rfc3339(value).map_err(|_| {
                tera::Error::message(format!("`date` filter: `{value}` is not an RFC 3339 date"))
            })?;
            Ok(dt
                .with_timezone(&tz)
                .format(format.unwrap_or("%B %d, %Y"))
                .to_string())
        },
    );
    tera.register_filter("escape_xml", XmlEscape);
    tera.register_filter("absolute_urls", AbsoluteUrls);
    // Tera 2 has no URL encoding; share links and query strings need it.
    tera.register_filter("urlencode", |value: &str, _: Kwargs, _: &State| -> String {
        crate::slug::percent_encode(value, b"/-._~")
    });
    tera.register_filter(
        "urlencode_strict",
        |value: &str, _: Kwargs, _: &State| -> String {
            crate::slug::percent_encode(value, b"-._~")
        },
    );
}

/// Escapes for XML even text already marked safe (HTML bodies in feeds), exactly once.
struct XmlEscape;

impl tera::Filter<&str, String> for XmlEscape {
    fn call(&self, value: &str, _: Kwargs, _: &State) -> String {
        crate::pages::discovery::escape(value)
    }

    fn is_safe(&self) -> bool {
        true
    }
}

/// `html | absolute_urls(page=story.permalink)`: every `href` and `src` in `html` made
/// absolute against the page's address, for feeds, whose readers resolve a relative link
/// against the feed's own address (a footnote's `#fn1` would lead nowhere).
struct AbsoluteUrls;

impl tera::Filter<&str, TeraResult<String>> for AbsoluteUrls {
    fn call(&self, value: &str, kwargs: Kwargs, _: &State) -> TeraResult<String> {
        let page: &str = kwargs.must_get("page")?;
        Ok(absolute_urls(value, page))
    }
}

/// `html` with the value of every `href="…"` and `src="…"` made absolute against `page`, an
/// absolute URL. Values already absolute (with a scheme, or `//`) are left as they are.
pub fn absolute_urls(html: &str, page: &str) -> String {
    let origin_end = page
        .find("://")
        .map(|i| i + 3)
        .and_then(|start| page[start..].find('/').map(|j| start + j))
        .unwrap_or(page.len());
    let origin = &page[..origin_end];
    let mut out = String::with_capacity(html.len() + 256);
    let mut rest = html;
    while let Some(at) = [" href=\"", " src=\""]
        .iter()
        .filter_map(|a| rest.find(a).map(|i| (i, a.len())))
        .min()
    {
        let (i, len) = at;
        out.push_str(&rest[..i + len]);
        rest = &rest[i + len..];
        let end = rest.find('"').unwrap_or(rest.len());
        let value = &rest[..end];
        let has_scheme = value
            .split_once(':')
            .is_some_and(|(s, _)| !s.is_empty() && !s.contains(['/', '?', '#']));
        if has_scheme || value.starts_with("//") {
            out.push_str(value);
        } else if value.starts_with('/') {
            out.push_str(origin);
            out.push_str(value);
        } else {
            // `#fn1`, `photo.jpg`: against the page, whose address ends with `/`.
            let base = page.split('#').next().unwrap_or(page);
            if value.starts_with('#') || base.ends_with('/') {
                out.push_str(base);
            } else {
                out.push_str(&base[..base.rfind('/').map_or(base.len(), |k| k + 1)]);
            }
            out.push_str(value);
        }
        rest = &rest[end..];
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::absolute_urls;

    #[test]
    fn links_images_and_footnotes_become_absolute() {
        let page = "https://news.example/base/world/2025/12/01/ferry/";
        let html = r##"<p><a href="/base/sport/">Sport</a> <img src="/base/world/2025/12/01/ferry/boat.jpg" alt="x"> <sup><a href="#fn1">1</a></sup> <a href="https://other.example/x">o</a> <a href="mailto:desk@news.example">m</a> <a href="//cdn.example/y">c</a> <a href="map.pdf">p</a></p>"##;
        let out = absolute_urls(html, page);
        assert_eq!(
            out,
            r##"<p><a href="https://news.example/base/sport/">Sport</a> <img src="https://news.example/base/world/2025/12/01/ferry/boat.jpg" alt="x"> <sup><a href="https://news.example/base/world/2025/12/01/ferry/#fn1">1</a></sup> <a href="https://other.example/x">o</a> <a href="mailto:desk@news.example">m</a> <a href="//cdn.example/y">c</a> <a href="https://news.example/base/world/2025/12/01/ferry/map.pdf">p</a></p>"##
        );
        assert_eq!(absolute_urls("plain text", page), "plain text");
    }
}
