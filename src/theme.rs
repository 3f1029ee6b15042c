//! The default theme, built into the binary so a site needs no templates of its own.

mod embedded {
    include!(concat!(env!("OUT_DIR"), "/theme.rs"));
}

/// Built-in templates: name (relative to `templates/`) and text.
pub fn templates() -> &'static [(&'static str, &'static str)] {
    embedded::TEMPLATES
}

/// Built-in static files: path (relative to `static/`) and bytes.
pub fn static_files() -> &'static [(&'static str, &'static [u8])] {
    embedded::STATIC
}

#[cfg(test)]
mod tests {
    #[test]
    fn theme_has_every_page_template() {
        let names: Vec<&str> = super::templates().iter().map(|(n, _)| *n).collect();
        for t in crate::pages::templates() {
            assert!(names.contains(&t), "built-in theme lacks {t}");
        }
    }
}
