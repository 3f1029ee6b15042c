//! One published story with everything about it worked out once: its addresses, its lead
//! image, its rendered body and its place in the indexes.

use std::path::Path;
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
    /// The image `written` of the story at `site_path`, found under `root` for its size: in
    /// `static/` (`/images/a.jpg`) or beside the story file (`a.jpg`).
    pub fn resolve(
        root: &Path,
        config: &Config,
        story_file: &Path,
        story_path: &str,
        written: &str,
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
            size: image_size(root, story_file, written),
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
        &self.body.summary_text
    }
}

fn image_size(root: &Path, story_file: &Path, image: &str) -> Option<(u32, u32)> {
    let path = match image.strip_prefix('/') {
        Some(rel) if !rel.contains("..") => root.join("static").join(rel),
        Some(_) => return None,
        None => root
            .join(story_file.parent()?)
            .join(crate::markdown::local_file(image)?),
    };
    let size = imagesize::size(path).ok()?;
    Some((size.width as u32, size.height as u32))
}
