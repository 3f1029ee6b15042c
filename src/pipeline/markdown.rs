//! The Markdown stage: every story's body rendered, with `@/` links between stories
//! resolved, reusing an earlier build's rendering where nothing it was made from changed.

use std::cell::RefCell;
use std::collections::HashMap;
use std::path::Path;
use std::sync::Arc;

use rayon::prelude::*;

use super::Sources;
use crate::config::Config;
use crate::content::{self, Entry, Loaded, Source, Unpublished};
use crate::diagnostic::{Diagnostic, Problems};
use crate::markdown::{self, Rendered};
use crate::model::Address;
use crate::store::{Body, Memo};

pub struct Rendering {
    /// The published stories and their bodies, in the order they were loaded.
    pub stories: Vec<(Arc<Entry>, Arc<Rendered>)>,
    /// What the next build may reuse: each story's body, by file.
    pub bodies: crate::store::ByFile<Arc<Body>>,
    pub problems: Problems,
}

/// A story ready for the model, and its body as the next build may reuse it.
type Made = (Arc<Entry>, Arc<Body>);

/// Renders every published story's Markdown. Links to stories that failed to load are left
/// alone: their own errors are reported.
pub fn render_all(
    root: &Path,
    config: &Config,
    loaded: &mut Loaded,
    memo: &Memo,
    sources: Sources,
) -> Rendering {
    // Taken, so each file's text is freed as soon as its story is rendered.
    let stories = std::mem::take(&mut loaded.stories);
    let urls: HashMap<String, String> = stories
        .iter()
        .map(|s| {
            let e = s.entry();
            (e.content_path.clone(), Address::new(config, &e.path).url)
        })
        .collect();
    let (broken, unpublished) = (&loaded.broken, &loaded.unpublished);
    let resolve = |p: &str| {
        let p = p.trim_start_matches('/');
        urls.get(p)
            .cloned()
            .or_else(|| broken.contains(p).then(String::new))
    };
    let results: Vec<Result<Made, Problems>> = stories
        .into_par_iter()
        .map(|source| {
            let e = source.entry();
            // Stories' URLs were all worked out above, for their links to each other.
            let page_url = urls.get(&e.content_path).cloned().unwrap_or_default();
            if let Some(body) = memo.body(
                config.fingerprint,
                &e.file,
                e.source_hash,
                &page_url,
                &resolve,
            ) {
                let entry = match source {
                    Source::Read(e) => Arc::new(without_text(*e, sources)),
                    Source::Kept(e) => e,
                };
                return Ok((entry, body));
            }
            // A story kept from an earlier build has no text: read it again to render it.
            let e = match source {
                Source::Read(e) => *e,
                Source::Kept(kept) => content::read_entry(root, &root.join(&kept.file), config)?,
            };
            let asked = RefCell::new(Vec::new());
            let recorded = |p: &str| {
                let url = resolve(p);
                asked.borrow_mut().push((p.to_string(), url.clone()));
                url
            };
            let links = markdown::Links {
                page_url: &page_url,
                resolve: &recorded,
            };
            let (rendered, broken) = markdown::render(e.body(), e.front.summary.as_deref(), &links);
            if !broken.is_empty() {
                return Err(Problems(
                    broken
                        .iter()
                        .map(|b| broken_link(&e, b, unpublished))
                        .collect(),
                ));
            }
            let body = Body {
                source_hash: e.source_hash,
                page_url,
                resolved: asked.into_inner(),
                rendered: Arc::new(rendered),
            };
            Ok((Arc::new(without_text(e, sources)), Arc::new(body)))
        })
        .collect();
    let mut rendering = Rendering {
        stories: Vec::with_capacity(results.len()),
        bodies: crate::store::ByFile::with_capacity_and_hasher(results.len(), Default::default()),
        problems: Problems::new(),
    };
    for r in results {
        match r {
            Ok((entry, body)) => {
                rendering
                    .stories
                    .push((entry.clone(), body.rendered.clone()));
                rendering.bodies.insert(entry.file.clone(), body);
            }
            Err(p) => rendering.problems.extend(p),
        }
    }
    rendering
}

/// The entry as the rest of the build keeps it: without the file's text, the largest thing a
/// story holds that no page needs, unless the command points into it later (`check`).
fn without_text(mut e: Entry, sources: Sources) -> Entry {
    if sources == Sources::Drop {
        e.text = String::new();
    }
    e
}

/// An `@/` link that leads to no published story, pointing at the link's target.
fn broken_link(
    e: &Entry,
    b: &markdown::BrokenLink,
    unpublished: &HashMap<String, Unpublished>,
) -> Diagnostic {
    let offset = e.body_offset + b.offset;
    let target_at = e.text[offset..]
        .find(&b.target)
        .map_or(offset, |i| offset + i);
    let file = b
        .target
        .trim_start_matches("@/")
        .split('#')
        .next()
        .unwrap_or("");
    let d = Diagnostic::error(match unpublished.get(file) {
        Some(Unpublished::Draft) => format!(
            "the linked story content/{file} is a draft (draft = true) and is not published"
        ),
        Some(Unpublished::Scheduled(when)) => {
            format!(
                "the linked story content/{file} is scheduled for {} and is not published yet",
                when.to_rfc3339()
            )
        }
        None => format!("link to a story that does not exist: {}", b.target),
    })
    .in_file(&e.file)
    .at_offset(&e.text, target_at)
    .width(b.target.chars().count());
    d.help(match unpublished.get(file) {
        Some(Unpublished::Draft) => {
            "publish it first (draft = false), or preview both with --drafts"
        }
        Some(Unpublished::Scheduled(_)) => {
            "link to it once it is published, or preview both with --future"
        }
        None => "an @/ link names a story file under content/, like [text](@/world/some-story.md)",
    })
}
