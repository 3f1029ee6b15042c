//! One published story with everything about it worked out once: its addresses, its lead
//! image, its rendered body and its place in the indexes.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::address::Address;
use crate::config::Config;
use crate::content::Entry;
use crate::markdown::Rendered;

pub struct Story {
    /// Shared with what the build remembers for the next one.
    pub entry: Arc<Entry>,
    pub address: Address,
    /// What rendering the Markdown made: body, summary, word count, heading ids, local files.
    pub body: Arc<Rendered>,
    pub image: Option<LeadImage>,
    /// Index into `Library::sections`.
    pub section: usize,
    pub tags: Vec<usize>,
    pub authors: Vec<usize>,
}

/// The lead image, resolved once from what the editor wrote.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LeadImage {
    /// As written in the front matter.
    pub written: String,
    /// The site path the image is served from; none for an image on another host.
    pub site_path: Option<String>,
    /// For `src` (host-relative, or the outside URL as written).
    pub url: String,
    /// Absolute, for Open Graph, feeds and JSON-LD.
    pub permalink: String,
    /// Pixel size, when the file was found and could be read.
    pub size: Option<(u32, u32)>,
}

impl LeadImage {
    /// The image `written` of the story at `site_path`; `size_of` reads the size of a file
    /// under the site's root (see [`image_file`]).
    pub fn resolve(
        config: &Config,
        story_file: &Path,
        story_path: &str,
        written: &str,
        size_of: &dyn Fn(PathBuf) -> Option<(u32, u32)>,
    ) -> LeadImage {
        if written.contains("://") {
            return LeadImage {
                written: written.to_string(),
                site_path: None,
                url: written.to_string(),
                permalink: written.to_string(),
                size: None,
            };
        }
        // A relative image sits beside the story and is copied into its folder.
        let site_path = if written.starts_with('/') {
            written.to_string()
        } else {
            format!("{story_path}{}", written.trim_start_matches("./"))
        };
        let a = Address::new(config, &site_path);
        LeadImage {
            written: written.to_string(),
            size: image_file(story_file, written).and_then(size_of),
            site_path: Some(site_path),
            url: a.url,
            permalink: a.permalink,
        }
    }

    /// The file kept beside the story that this image names, if it is one.
    pub fn local_file(&self) -> Option<String> {
        crate::markdown::local_file(&self.written)
    }
}

impl Story {
    pub fn summary_text(&self) -> &str {
        self.body.summary_text()
    }

    /// The story's language: its own `language`, else the site's.
    pub fn language<'a>(&'a self, config: &'a crate::config::Config) -> &'a str {
        self.entry
            .front
            .language
            .as_deref()
            .unwrap_or(&config.language)
    }
}

/// The file a lead image is, relative to the site's root: in `static/` (`/images/a.jpg`) or
/// beside the story file (`a.jpg`).
pub fn image_file(story_file: &Path, image: &str) -> Option<PathBuf> {
    match image.strip_prefix('/') {
        Some(rel) if !rel.contains("..") => Some(Path::new("static").join(rel)),
        Some(_) => None,
        None => Some(
            story_file
                .parent()?
                .join(crate::markdown::local_file(image)?),
        ),
    }
}

/// The pixel size of an image file, if it can be read.
pub fn image_size(path: &Path) -> Option<(u32, u32)> {
    let size = imagesize::size(path).ok()?;
    Some((size.width as u32, size.height as u32))
}
