//! What `serve --watch` keeps of its last good build, and the rebuild in place it does for
//! the save it sees most: a story edited without moving it (its date, section, tags,
//! authors, address, lead image and aliases as they were). Only the pages that show the
//! story, found by the page index, are made again; any other change, and any problem, takes
//! a full build, which reports it.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use chrono::{DateTime, FixedOffset};
use rayon::prelude::*;

use super::{Built, PageIndex, index};
use crate::config::Config;
use crate::content::{self, Entry, Selection, Stamp};
use crate::markdown::{self, Rendered};
use crate::model::{Library, output_path};
use crate::pages::{self, Cx, Page, discovery};
use crate::publish::{OutputFile, Site};
use crate::render::Renderer;
use crate::render::templates::Templates;
use crate::store::{Body, Memo};
use crate::view::Views;

/// A page made again: its place, its file if its fingerprint changed, the stories it shows.
type Remade = (usize, Option<OutputFile>, Vec<u32>);

/// The last good build, in memory.
pub struct Kept {
    pub config: Config,
    pub templates: Templates,
    pub library: Library,
    pub index: PageIndex,
    pub site: Site<OutputFile>,
    pub memo: Arc<Memo>,
    pub expires: Option<DateTime<FixedOffset>>,
    /// Each story's place in the library, by file.
    by_file: crate::store::ByFile<usize>,
    /// Each story's URL, by its path under `content/`, for `@/` links.
    urls: HashMap<String, String>,
}

impl Kept {
    pub fn new(config: Config, built: Built<OutputFile>) -> Kept {
        let library = built.library;
        let by_file = (library.stories.iter().enumerate())
            .map(|(i, s)| (s.entry.file.clone(), i))
            .collect();
        let urls = (library.stories.iter())
            .map(|s| (s.entry.content_path.clone(), s.address.url.clone()))
            .collect();
        Kept {
            config,
            templates: built.templates,
            library,
            index: built.index,
            site: built.site,
            memo: built.memo,
            expires: built.expires,
            by_file,
            urls,
        }
    }

    /// Takes the saves of `files` (relative to the site) into the site in place, and returns
    /// the places in `site.files` that changed; `None` when they need a full build.
    pub fn story_saves(
        &mut self,
        root: &Path,
        files: &[PathBuf],
        selection: Selection,
    ) -> Option<Vec<usize>> {
        if files.is_empty() || self.expires.is_some_and(|t| t <= selection.now) {
            return None;
        }
        let mut saves = Vec::with_capacity(files.len());
        for file in files {
            let i = *self.by_file.get(file)?;
            let stamp = Stamp::of(&std::fs::metadata(root.join(file)).ok()?);
            let entry = content::read_entry(root, &root.join(file), &self.config).ok()?;
            let old = &self.library.stories[i].entry;
            if content::select(&entry, selection).is_some() || !same_place(old, &entry) {
                return None;
            }
            let body = self.render_body(&entry)?;
            // Its text is not needed once its Markdown is rendered.
            let entry = Entry {
                text: String::new(),
                ..entry
            };
            saves.push((i, stamp, Arc::new(entry), body));
        }
        // Swapped in, and back out if a page cannot be made: the full build reports why.
        let mut olds = Vec::with_capacity(saves.len());
        for (i, _, entry, body) in &saves {
            let story = &mut self.library.stories[*i];
            let old_entry = std::mem::replace(&mut story.entry, entry.clone());
            let old_body = std::mem::replace(&mut story.body, body.rendered.clone());
            olds.push((*i, old_entry, old_body));
        }
        let stories: Vec<usize> = saves.iter().map(|s| s.0).collect();
        let dirty = self.index.pages_showing(&stories);
        let showing = |p: usize, _: &dyn Page| dirty.binary_search(&p).is_ok();
        let Some(made) = self.render_pages(&self.templates, &showing) else {
            for (i, entry, body) in olds {
                let story = &mut self.library.stories[i];
                (story.entry, story.body) = (entry, body);
            }
            return None;
        };
        let mut changed = self.take(made);
        let news = discovery::news_sitemap(&self.config, &self.library, selection.now);
        if let Some(at) = self.site.files.iter().position(|f| f.path == news.path)
            && self.site.files[at].contents != news.contents
        {
            self.site.files[at] = news;
            changed.push(at);
        }
        let memo = Arc::make_mut(&mut self.memo);
        for (_, stamp, entry, body) in saves {
            memo.bodies.insert(entry.file.clone(), Arc::new(body));
            memo.files.insert(entry.file.clone(), (stamp, Ok(entry)));
        }
        Some(changed)
    }

    /// Takes saved templates into the site: only the pages drawn with a template whose text,
    /// or the text of one it uses, changed are made again. `None` when the templates have
    /// problems (a full build reports them).
    pub fn template_saves(&mut self, root: &Path) -> Option<Vec<usize>> {
        let templates = Templates::load(root, self.config.timezone).ok()?;
        let drawn_with_a_changed_template = |_: usize, page: &dyn Page| {
            let t = page.template();
            templates.fingerprint(t) != self.templates.fingerprint(t)
        };
        let made = self.render_pages(&templates, &drawn_with_a_changed_template)?;
        self.templates = templates;
        Some(self.take(made))
    }

    /// Puts pages made again in place; returns the places of those whose bytes changed.
    fn take(&mut self, made: Vec<Remade>) -> Vec<usize> {
        let mut changed = Vec::new();
        for (p, file, shows) in made {
            self.index.set(p, shows);
            let Some(file) = file else { continue };
            if self.site.files[p].contents == file.contents {
                self.site.files[p].fingerprint = file.fingerprint;
            } else {
                self.site.files[p] = file;
                changed.push(p);
            }
        }
        changed
    }

    /// The story's Markdown rendered, if every `@/` link in it leads to a published story.
    fn render_body(&self, e: &Entry) -> Option<Body> {
        let page_url = self.urls.get(&e.content_path)?.clone();
        let asked = std::cell::RefCell::new(Vec::new());
        let resolve = |p: &str| {
            let url = self.urls.get(p.trim_start_matches('/')).cloned();
            asked.borrow_mut().push((p.to_string(), url.clone()));
            url
        };
        let links = markdown::Links {
            page_url: &page_url,
            resolve: &resolve,
        };
        let (rendered, broken): (Rendered, _) =
            markdown::render(e.body(), e.front.summary.as_deref(), &links);
        broken.is_empty().then(|| Body {
            source_hash: e.source_hash,
            page_url,
            resolved: asked.into_inner(),
            rendered: Arc::new(rendered),
        })
    }

    /// The pages `dirty` picks (by place and page) made again with `templates`: each one's
    /// place, its file if its fingerprint changed, and the stories it shows. `None` if a page
    /// fails.
    fn render_pages(
        &self,
        templates: &Templates,
        dirty: &(dyn Fn(usize, &dyn Page) -> bool + Sync),
    ) -> Option<Vec<Remade>> {
        templates.new_build();
        let views = Views::new(&self.config, &self.library, None);
        let renderer = Renderer::new(templates, &views);
        let cx = Cx::new(&self.config, &self.library, &views);
        let pages = pages::all(&cx);
        if pages.len() != self.index.pages() {
            return None;
        }
        let dirty: Vec<usize> = (0..pages.len()).filter(|&p| dirty(p, &*pages[p])).collect();
        (dirty.into_par_iter())
            .map(|p| {
                let page = &pages[p];
                let mut refs = Vec::new();
                let view = page.view();
                let fingerprint =
                    renderer.fingerprint(page.template(), page.path(), &*view, &mut refs);
                let shows = index::stories_in(&refs);
                if self.site.files[p].fingerprint == fingerprint {
                    return Some((p, None, shows));
                }
                let what = page.describe();
                let bytes = renderer.render(page.template(), &*view, &what).ok()?;
                if views.failure().is_some() {
                    return None;
                }
                let mut file = OutputFile::page_bytes(output_path(page.path()), bytes, what);
                file.fingerprint = fingerprint;
                Some((p, Some(file), shows))
            })
            .collect()
    }
}

/// Whether a story edited from `old` to `new` stands where it stood, so that only what it
/// shows has changed.
fn same_place(old: &Entry, new: &Entry) -> bool {
    index::Place::of(old) == index::Place::of(new)
}
