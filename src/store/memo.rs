//! The memo of one build: what each story file gave, and each story's rendered Markdown with
//! what its `@/` links resolved to. The next build reuses a file's parse while its stamp is
//! unchanged, and its Markdown while its text, its address and every link it resolved are.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::content::{Parsed, Stamp};
use crate::markdown::Rendered;

/// A story's rendered Markdown and what it was made from besides its text.
#[derive(Debug)]
pub struct Body {
    pub source_hash: u64,
    pub page_url: String,
    /// Each `@/` target the rendering asked for, and what it resolved to.
    pub resolved: Vec<(String, Option<String>)>,
    pub rendered: Arc<Rendered>,
}

/// A map by file: a build looks up every story file in several.
pub type ByFile<V> = HashMap<PathBuf, V, crate::fingerprint::FastHash>;

#[derive(Default, Clone)]
pub struct Memo {
    /// The configuration the files were read under: another one reads them differently.
    pub config: u64,
    pub files: ByFile<(Stamp, Parsed)>,
    pub bodies: ByFile<Arc<Body>>,
    /// Each lead image's pixel size, by file (relative to the site), with the file's stamp.
    pub images: ByFile<(Stamp, Option<(u32, u32)>)>,
}

impl Memo {
    /// What `file` gave when it had `stamp`, if this memo was made under `config`.
    pub fn parsed(&self, config: u64, file: &Path, stamp: Stamp) -> Option<Parsed> {
        if self.config != config {
            return None;
        }
        let (was, parsed) = self.files.get(file)?;
        (*was == stamp).then(|| parsed.clone())
    }

    /// The pixel size of the image `file` had when it had `stamp`.
    pub fn image_size(&self, file: &Path, stamp: Stamp) -> Option<Option<(u32, u32)>> {
        let (was, size) = self.images.get(file)?;
        (*was == stamp).then_some(*size)
    }

    /// The rendered Markdown of `file`, if it was made from the same text at the same address
    /// and every link it resolved still resolves the same way.
    pub fn body(
        &self,
        config: u64,
        file: &Path,
        source_hash: u64,
        page_url: &str,
        resolve: &dyn Fn(&str) -> Option<String>,
    ) -> Option<Arc<Body>> {
        if self.config != config {
            return None;
        }
        let body = self.bodies.get(file)?;
        let same = body.source_hash == source_hash
            && body.page_url == page_url
            && body.resolved.iter().all(|(t, url)| resolve(t) == *url);
        same.then(|| body.clone())
    }
}
