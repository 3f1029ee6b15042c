//! Markdown to HTML. Pure: text in, rendered body and what was found in it out.

use std::collections::HashSet;

use pulldown_cmark::{CowStr, Event, Options, Parser, Tag, TagEnd, html};

use crate::slug::{SlugMode, slugify};

const MORE: &str = "<!-- more -->";
const WORDS_PER_MINUTE: usize = 200;

/// A story's rendered Markdown. Its texts (the HTML and the summary, most of its size) may be
/// left in the build store until a page shows the story; they are filled in then.
#[derive(Debug, Clone, Default)]
pub struct Rendered {
    texts: std::sync::OnceLock<Texts>,
    pub word_count: usize,
    pub reading_time: usize,
    /// Ids given to headings, in order.
    pub heading_ids: Vec<String>,
    /// Relative link and image targets, such as `photo.jpg`: files that may sit beside the story.
    pub local_files: Vec<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Texts {
    pub html: String,
    pub summary_html: String,
    pub summary_text: String,
}

static NO_TEXTS: Texts = Texts {
    html: String::new(),
    summary_html: String::new(),
    summary_text: String::new(),
};

impl Rendered {
    /// A rendering whose texts are still in the store.
    pub fn stored(
        word_count: usize,
        reading_time: usize,
        heading_ids: Vec<String>,
        local_files: Vec<String>,
    ) -> Rendered {
        Rendered {
            texts: std::sync::OnceLock::new(),
            word_count,
            reading_time,
            heading_ids,
            local_files,
        }
    }

    pub fn html(&self) -> &str {
        &self.texts().html
    }

    pub fn summary_html(&self) -> &str {
        &self.texts().summary_html
    }

    pub fn summary_text(&self) -> &str {
        &self.texts().summary_text
    }

    /// The texts, if they are here rather than in the store.
    pub fn texts_here(&self) -> Option<&Texts> {
        self.texts.get()
    }

    /// Puts in the texts read from the store.
    pub fn fill(&self, texts: Texts) {
        let _ = self.texts.set(texts);
    }

    fn texts(&self) -> &Texts {
        match self.texts.get() {
            Some(t) => t,
            None => {
                // Views fill texts before they show them; tests run with this check on.
                debug_assert!(false, "a story's texts were shown before they were read");
                &NO_TEXTS
            }
        }
    }
}

/// An `@/` link whose target is no story; `offset` is a byte offset in the body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BrokenLink {
    pub target: String,
    pub offset: usize,
}

fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_SMART_PUNCTUATION
        | Options::ENABLE_HEADING_ATTRIBUTES
}

/// How links in a story are rewritten.
pub struct Links<'a> {
    /// The story's own URL: links to files beside the story are made relative to the site
    /// root with it, so they work on listing pages and in feeds too.
    pub page_url: &'a str,
    /// Maps an `@/` link's file path (relative to `content/`) to a URL.
    pub resolve: &'a dyn Fn(&str) -> Option<String>,
}

/// What one pass over some Markdown found besides its events.
#[derive(Default)]
struct Found {
    broken: Vec<BrokenLink>,
    local_files: Vec<String>,
}

/// Renders `body`. `summary` is the front matter's summary, if any.
pub fn render(body: &str, summary: Option<&str>, links: &Links) -> (Rendered, Vec<BrokenLink>) {
    let mut found = Found::default();
    let events = prepare(body, links, &mut found);
    let word_count = count_words(&events);
    let heading_ids = events
        .iter()
        .filter_map(|e| match e {
            Event::Start(Tag::Heading { id: Some(id), .. }) => Some(id.to_string()),
            _ => None,
        })
        .collect();
    let mut local_files = std::mem::take(&mut found.local_files);
    local_files.sort();
    local_files.dedup();
    let mut html_out = String::with_capacity(body.len() * 3 / 2);
    html::push_html(&mut html_out, events.iter().cloned());

    let summary_events: Vec<Event> = match (summary, body.find(MORE)) {
        (Some(s), _) => prepare(s, links, &mut Found::default()),
        (None, Some(i)) => prepare(&body[..i], links, &mut Found::default()),
        (None, None) => first_paragraph(&events),
    };
    let summary_events: Vec<Event> = summary_events
        .into_iter()
        .filter(|e| !matches!(e, Event::FootnoteReference(_)))
        .collect();
    let mut summary_html = String::new();
    html::push_html(&mut summary_html, summary_events.iter().cloned());
    let summary_text = plain_text(&summary_events);
    (
        Rendered {
            texts: Texts {
                html: html_out,
                summary_html: summary_html.trim().to_string(),
                summary_text,
            }
            .into(),
            word_count,
            reading_time: word_count.div_ceil(WORDS_PER_MINUTE).max(1),
            heading_ids,
            local_files,
        },
        found.broken,
    )
}

/// Parses and rewrites: links resolved, headings given ids.
fn prepare<'a>(text: &'a str, links: &Links, found: &mut Found) -> Vec<Event<'a>> {
    let mut events: Vec<Event<'a>> = Vec::new();
    for (event, range) in Parser::new_ext(text, options()).into_offset_iter() {
        let event = match event {
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            }) => {
                let dest_url = rewrite_link(dest_url, links, range.start, found);
                Event::Start(Tag::Link {
                    link_type,
                    dest_url,
                    title,
                    id,
                })
            }
            Event::Start(Tag::Image {
                link_type,
                dest_url,
                title,
                id,
            }) => {
                let dest_url = rewrite_link(dest_url, links, range.start, found);
                Event::Start(Tag::Image {
                    link_type,
                    dest_url,
                    title,
                    id,
                })
            }
            e => e,
        };
        events.push(event);
    }
    give_heading_ids(&mut events);
    events
}

/// The file a relative link points to, without `#fragment` or `?query`.
pub fn local_file(dest: &str) -> Option<String> {
    let path = dest.split(['#', '?']).next().unwrap_or("");
    let scheme = path.find(':').is_some_and(|i| !path[..i].contains('/'));
    if path.is_empty()
        || path.starts_with(['/', '@'])
        || scheme
        || path.split('/').any(|p| p == "..")
    {
        return None;
    }
    Some(path.trim_start_matches("./").to_string())
}

fn rewrite_link<'a>(
    dest: CowStr<'a>,
    links: &Links,
    offset: usize,
    found: &mut Found,
) -> CowStr<'a> {
    if let Some(file) = local_file(&dest) {
        found.local_files.push(file);
        return format!("{}{}", links.page_url, dest.trim_start_matches("./")).into();
    }
    let Some(target) = dest.strip_prefix("@/") else {
        return dest;
    };
    let (file, anchor) = match target.split_once('#') {
        Some((f, a)) => (f, Some(a)),
        None => (target, None),
    };
    match (links.resolve)(file) {
        Some(url) => match anchor {
            Some(a) => format!("{url}#{a}").into(),
            None => url.into(),
        },
        None => {
            found.broken.push(BrokenLink {
                target: dest.to_string(),
                offset,
            });
            dest
        }
    }
}

fn give_heading_ids(events: &mut [Event]) {
    let mut used: HashSet<String> = events
        .iter()
        .filter_map(|e| match e {
            Event::Start(Tag::Heading { id: Some(id), .. }) => Some(id.to_string()),
            _ => None,
        })
        .collect();
    let mut i = 0;
    while i < events.len() {
        if let Event::Start(Tag::Heading { id: None, .. }) = &events[i] {
            let mut text = String::new();
            let mut j = i + 1;
            while j < events.len() && !matches!(events[j], Event::End(TagEnd::Heading(_))) {
                if let Event::Text(t) | Event::Code(t) = &events[j] {
                    text.push_str(t);
                }
                j += 1;
            }
            let base = match slugify(&text, SlugMode::Unicode) {
                s if s.is_empty() => "section".to_string(),
                s => s,
            };
            let mut id = base.clone();
            let mut n = 1;
            while used.contains(&id) {
                id = format!("{base}-{n}");
                n += 1;
            }
            used.insert(id.clone());
            if let Event::Start(Tag::Heading { id: slot, .. }) = &mut events[i] {
                *slot = Some(id.into());
            }
            i = j;
        }
        i += 1;
    }
}

fn first_paragraph<'a>(events: &[Event<'a>]) -> Vec<Event<'a>> {
    let mut depth = 0usize;
    let mut out = Vec::new();
    let mut inside = false;
    for e in events {
        match e {
            Event::Start(Tag::Paragraph) if depth == 0 => {
                inside = true;
            }
            Event::End(TagEnd::Paragraph) if inside && depth == 0 => {
                out.insert(0, Event::Start(Tag::Paragraph));
                out.push(Event::End(TagEnd::Paragraph));
                return out;
            }
            Event::Start(_) => depth += 1,
            Event::End(_) => depth = depth.saturating_sub(1),
            _ => {}
        }
        if inside && !matches!(e, Event::Start(Tag::Paragraph)) {
            out.push(e.clone());
        }
        // A paragraph that is only an image is not a summary.
    }
    Vec::new()
}

fn plain_text(events: &[Event]) -> String {
    let mut out = String::new();
    for e in events {
        match e {
            Event::Text(t) | Event::Code(t) => out.push_str(t),
            Event::SoftBreak | Event::HardBreak => out.push(' '),
            Event::End(TagEnd::Paragraph) => out.push(' '),
            _ => {}
        }
    }
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn count_words(events: &[Event]) -> usize {
    let mut words = 0;
    let mut in_word = false;
    for e in events {
        match e {
            Event::Text(t) | Event::Code(t) => {
                for c in t.chars() {
                    if c.is_whitespace() {
                        in_word = false;
                    } else if !in_word {
                        in_word = true;
                        words += 1;
                    }
                }
            }
            Event::Start(_) | Event::End(_) | Event::SoftBreak | Event::HardBreak => {
                in_word = false
            }
            _ => {}
        }
    }
    words
}

#[cfg(test)]
mod tests {
    use super::*;

    fn none(_: &str) -> Option<String> {
        None
    }

    fn plain(body: &str, summary: Option<&str>) -> Rendered {
        render(
            body,
            summary,
            &Links {
                page_url: "/s/",
                resolve: &none,
            },
        )
        .0
    }

    #[test]
    fn extensions_and_ids() {
        let md = "First *para*.\n\n## Talks & plans\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n~~old~~ \"quoted\"\n\n- [x] done\n\nNote[^1].\n\n[^1]: A footnote.\n\n<div class=\"raw\">kept</div>\n";
        let (r, broken) = render(
            md,
            None,
            &Links {
                page_url: "/s/",
                resolve: &none,
            },
        );
        assert!(broken.is_empty());
        assert!(
            r.html()
                .contains("<h2 id=\"talks-plans\">Talks &amp; plans</h2>"),
            "{}",
            r.html()
        );
        assert!(r.html().contains("<table>"));
        assert!(r.html().contains("<del>old</del>"));
        assert!(r.html().contains("\u{201c}quoted\u{201d}"));
        assert!(r.html().contains("type=\"checkbox\""));
        assert!(r.html().contains("footnote-definition"));
        assert!(r.html().contains("<div class=\"raw\">kept</div>"));
        assert_eq!(r.summary_html(), "<p>First <em>para</em>.</p>");
        assert_eq!(r.summary_text(), "First para.");
    }

    #[test]
    fn summary_sources() {
        let r = plain("Lead.\n\nMore.\n\n<!-- more -->\n\nRest.", None);
        assert_eq!(r.summary_text(), "Lead. More.");
        let r = plain("Lead.", Some("Given *summary*"));
        assert_eq!(r.summary_html(), "<p>Given <em>summary</em></p>");
    }

    #[test]
    fn at_links_resolve_or_report() {
        let resolve = |p: &str| (p == "world/a.md").then(|| "/world/a/".to_string());
        let (r, broken) = render(
            "[a](@/world/a.md#x) and [b](@/nope.md)",
            None,
            &Links {
                page_url: "/s/",
                resolve: &resolve,
            },
        );
        assert!(r.html().contains("href=\"/world/a/#x\""));
        assert_eq!(
            broken,
            vec![BrokenLink {
                target: "@/nope.md".into(),
                offset: 24
            }]
        );
    }

    #[test]
    fn finds_files_beside_the_story() {
        let r = plain(
            "![a](photo.jpg) [b](./doc.pdf#p2) [c](https://e.com/x.jpg) [d](/x.png) [e](../up.png) [f](#top)",
            None,
        );
        assert_eq!(r.local_files, vec!["doc.pdf", "photo.jpg"]);
        assert!(r.html().contains("src=\"/s/photo.jpg\""), "{}", r.html());
        assert!(r.html().contains("href=\"/s/doc.pdf#p2\""));
        assert!(r.html().contains("href=\"#top\""));
    }

    #[test]
    fn counts_words() {
        let r = plain("one two\n\nthree *four* five", None);
        assert_eq!(r.word_count, 5);
        assert_eq!(r.reading_time, 1);
    }
}
