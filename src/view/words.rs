//! Every word broadsheet itself puts before readers (titles, descriptions, month names), in
//! one table, so an edition in another language is one more table rather than a hunt through
//! the code. Patterns name their blanks: `{site}`, `{name}`, `{n}`, `{period}`.

pub struct Words {
    pub months: [&'static str; 12],
    /// A page's `<title>`: `{name}` is what the page is about.
    pub title: &'static str,
    /// After a listing's name from page 2 on.
    pub page_suffix: &'static str,
    pub tags: &'static str,
    pub authors: &'static str,
    pub archive: &'static str,
    pub not_found: &'static str,
    pub tags_description: &'static str,
    pub authors_description: &'static str,
    pub archive_description: &'static str,
    pub section_description: &'static str,
    pub tag_description: &'static str,
    pub tag_feed_description: &'static str,
    pub author_description: &'static str,
    pub period_description: &'static str,
    pub site_feed_description: &'static str,
    pub moved_title: &'static str,
    pub moved_text: &'static str,
}

pub const ENGLISH: Words = Words {
    months: [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ],
    title: "{name} | {site}",
    page_suffix: " (page {n})",
    tags: "Tags",
    authors: "Authors",
    archive: "Archive",
    not_found: "Page not found",
    tags_description: "Tags of {site}",
    authors_description: "Authors of {site}",
    archive_description: "Every story of {site} by year and month",
    section_description: "The latest {name} stories from {site}",
    tag_description: "Stories tagged {name} in {site}",
    tag_feed_description: "Stories tagged {name} from {site}",
    author_description: "Stories by {name} in {site}",
    period_description: "Stories of {period} in {site}",
    site_feed_description: "The latest from {site}",
    moved_title: "Moved",
    moved_text: "This story has moved to",
};

impl Words {
    /// `pattern` with each `{key}` replaced by its value.
    pub fn fill(pattern: &str, values: &[(&str, &str)]) -> String {
        let mut out = String::with_capacity(pattern.len() + 32);
        let mut rest = pattern;
        while let Some(open) = rest.find('{') {
            out.push_str(&rest[..open]);
            let after = &rest[open + 1..];
            match after.find('}').and_then(|close| {
                values
                    .iter()
                    .find(|(k, _)| *k == &after[..close])
                    .map(|(_, v)| (close, v))
            }) {
                Some((close, v)) => {
                    out.push_str(v);
                    rest = &after[close + 1..];
                }
                None => {
                    out.push('{');
                    rest = after;
                }
            }
        }
        out.push_str(rest);
        out
    }

    /// A page title: `name` with the site's name after it.
    pub fn page_title(&self, name: &str, site: &str) -> String {
        Words::fill(self.title, &[("name", name), ("site", site)])
    }

    /// " (page 2)" from page 2 on, else nothing.
    pub fn suffix(&self, page: usize) -> String {
        if page > 1 {
            Words::fill(self.page_suffix, &[("n", &page.to_string())])
        } else {
            String::new()
        }
    }

    pub fn month(&self, m: u32) -> &'static str {
        self.months[(m as usize).clamp(1, 12) - 1]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fills_named_blanks_and_leaves_others() {
        assert_eq!(
            Words::fill("{name} | {site}", &[("name", "World"), ("site", "Ledger")]),
            "World | Ledger"
        );
        assert_eq!(Words::fill("a {x} b {", &[]), "a {x} b {");
        assert_eq!(ENGLISH.suffix(1), "");
        assert_eq!(ENGLISH.suffix(3), " (page 3)");
        assert_eq!(ENGLISH.month(12), "December");
    }
}
