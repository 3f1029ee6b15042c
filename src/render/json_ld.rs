//! schema.org `NewsArticle` data for story pages.

use serde_json::json;

use super::views::{Address, author_path, rfc3339};
use crate::config::Config;
use crate::library::{Library, Story};

/// JSON safe to place inside `<script type="application/ld+json">`.
pub fn news_article(config: &Config, library: &Library, story: &Story, image: &str) -> String {
    let e = &story.entry;
    let permalink = Address::new(config, &e.path).permalink;
    let authors: Vec<_> = story
        .authors
        .iter()
        .map(|&a| {
            let a = &library.authors[a];
            json!({"@type": "Person", "name": a.name, "url": Address::new(config, &author_path(&a.slug)).permalink})
        })
        .collect();
    let mut data = json!({
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": e.front.title,
        "description": story.summary_text(),
        "datePublished": rfc3339(&e.date),
        "dateModified": rfc3339(&e.updated.unwrap_or(e.date)),
        "author": authors,
        "publisher": {
            "@type": "NewsMediaOrganization",
            "name": config.title,
            "url": format!("{}/", config.base_url),
        },
        "mainEntityOfPage": {"@type": "WebPage", "@id": permalink},
        "url": permalink,
        "articleSection": library.sections[story.section].name,
        "inLanguage": config.language,
        "wordCount": story.word_count,
    });
    if !image.is_empty() {
        data["image"] = json!([image]);
    }
    if !story.tags.is_empty() {
        data["keywords"] = json!(
            story
                .tags
                .iter()
                .map(|&t| library.tags[t].name.as_str())
                .collect::<Vec<_>>()
        );
    }
    escape_for_script(&serde_json::to_string_pretty(&data).unwrap_or_default())
}

/// `<`, `>` and `&` as JSON escapes, so no text can close the script element.
fn escape_for_script(json: &str) -> String {
    json.replace('<', "\\u003c")
        .replace('>', "\\u003e")
        .replace('&', "\\u0026")
}

#[cfg(test)]
mod tests {
    #[test]
    fn script_cannot_be_closed() {
        let s = super::escape_for_script(r#"{"headline":"a </script> & b"}"#);
        assert_eq!(s, r#"{"headline":"a \u003c/script\u003e \u0026 b"}"#);
        let v: serde_json::Value = serde_json::from_str(&s).unwrap();
        assert_eq!(v["headline"], "a </script> & b");
    }
}
