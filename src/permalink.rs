//! The `permalink` pattern of `config.toml`, such as `/:section/:year/:month/:day/:slug/`.

use chrono::{Datelike, NaiveDate};

#[derive(Debug, Clone, PartialEq, Eq)]
enum Part {
    Text(String),
    Section,
    Year,
    Month,
    Day,
    Slug,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Permalink(Vec<Part>);

const TOKENS: &[(&str, Part)] = &[
    ("section", Part::Section),
    ("year", Part::Year),
    ("month", Part::Month),
    ("day", Part::Day),
    ("slug", Part::Slug),
];

impl Default for Permalink {
    fn default() -> Self {
        Permalink::parse("/:section/:year/:month/:day/:slug/").expect("default pattern is valid")
    }
}

impl Permalink {
    pub fn parse(pattern: &str) -> Result<Permalink, String> {
        if !pattern.starts_with('/') || !pattern.ends_with('/') {
            return Err("it must start and end with `/`".into());
        }
        Permalink::parse_pattern(pattern)
    }

    /// A pattern with the same placeholders for something other than a URL, such as the file
    /// name `new` gives a story.
    pub fn parse_pattern(pattern: &str) -> Result<Permalink, String> {
        let mut parts = Vec::new();
        let mut rest = pattern;
        while let Some(i) = rest.find(':') {
            if i > 0 {
                parts.push(Part::Text(rest[..i].to_string()));
            }
            rest = &rest[i + 1..];
            let end = rest
                .find(|c: char| !c.is_ascii_alphanumeric() && c != '_')
                .unwrap_or(rest.len());
            let name = &rest[..end];
            let part = TOKENS
                .iter()
                .find(|(t, _)| *t == name)
                .map(|(_, p)| p.clone())
                .ok_or_else(|| {
                    format!("unknown placeholder `:{name}` (known: :section, :year, :month, :day, :slug)")
                })?;
            parts.push(part);
            rest = &rest[end..];
        }
        if !rest.is_empty() {
            parts.push(Part::Text(rest.to_string()));
        }
        if !parts.contains(&Part::Slug) {
            return Err("it must contain `:slug`, or stories would share one URL".into());
        }
        Ok(Permalink(parts))
    }

    /// The pattern filled in: for a permalink, the site path of a story.
    pub fn path(&self, section: &str, date: NaiveDate, slug: &str) -> String {
        let mut out = String::new();
        for part in &self.0 {
            match part {
                Part::Text(t) => out.push_str(t),
                Part::Section => out.push_str(section),
                Part::Year => out.push_str(&format!("{:04}", date.year())),
                Part::Month => out.push_str(&format!("{:02}", date.month())),
                Part::Day => out.push_str(&format!("{:02}", date.day())),
                Part::Slug => out.push_str(slug),
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn expands_tokens() {
        let p = Permalink::default();
        let d = NaiveDate::from_ymd_opt(2025, 1, 5).unwrap();
        assert_eq!(p.path("world", d, "talks"), "/world/2025/01/05/talks/");
        let p = Permalink::parse("/stories/:slug/").unwrap();
        assert_eq!(p.path("world", d, "talks"), "/stories/talks/");
    }

    #[test]
    fn rejects_bad_patterns() {
        assert!(Permalink::parse("/:sectoin/:slug/").is_err());
        assert!(Permalink::parse("/:year/").is_err());
        assert!(Permalink::parse(":slug").is_err());
    }
}
