//! `story_card`: each story's card rendered once per build and set of arguments.

use tera::{Kwargs, State, Tera, TeraResult, Value};

/// `{{ story_card(story=s, variant="list", hl=2) }}` renders `partials/story_card.html` with
/// `story` and the other arguments as its only variables, once per story and set of
/// arguments in a build: a story shown on many listings is rendered once, not on each.
/// Clones share one cache: the engine holds one, and the templates another to empty it.
#[derive(Clone)]
pub struct StoryCards(std::sync::Arc<Cache>);

pub struct Cache {
    tera: Tera,
    /// Sharded so the rendering threads rarely meet on one lock.
    shards: Vec<std::sync::RwLock<std::collections::HashMap<String, Value>>>,
    /// Bytes of cards kept so far. Past `CARD_CACHE_BYTES` new cards are rendered each time
    /// they are asked for, so the cache cannot dominate memory on a very large site.
    kept: std::sync::atomic::AtomicUsize,
}

/// About 5 KB a story: all of a 50,000-story site's cards.
const CARD_CACHE_BYTES: usize = 256 << 20;

pub const CARD_TEMPLATE: &str = "partials/story_card.html";

impl StoryCards {
    pub fn new(tera: Tera) -> StoryCards {
        StoryCards(std::sync::Arc::new(Cache {
            tera,
            shards: (0..16).map(|_| Default::default()).collect(),
            kept: Default::default(),
        }))
    }

    /// Forgets every card: cards are keyed by story URL, which holds only within one build.
    pub fn clear(&self) {
        for shard in &self.0.shards {
            if let Ok(mut m) = shard.write() {
                m.clear();
            }
        }
        self.0.kept.store(0, std::sync::atomic::Ordering::Relaxed);
    }

    fn card(&self, kwargs: Kwargs) -> TeraResult<Value> {
        let cache = &self.0;
        let story: Value = kwargs.must_get("story")?;
        let url = story
            .get_from_path("url")
            .and_then(|u| u.as_str().map(str::to_string))
            .ok_or_else(|| {
                tera::Error::message("`story_card` needs `story` to be a story (it has no `url`)")
            })?;
        let mut args: Vec<(&str, &Value)> = kwargs
            .iter()
            .filter(|(k, _)| k.as_str() != Some("story"))
            .map(|(k, v)| (k.as_str().unwrap_or(""), v))
            .collect();
        args.sort_by_key(|(k, _)| *k);
        let mut key = url;
        for (k, v) in &args {
            key.push('\0');
            key.push_str(k);
            key.push('=');
            key.push_str(&v.to_string());
        }
        let shard = &cache.shards[crate::fingerprint::of_bytes(key.as_bytes()) as usize % 16];
        if let Some(html) = shard.read().ok().as_deref().and_then(|m| m.get(&key)) {
            return Ok(html.clone());
        }
        let mut context = tera::Context::new();
        context.insert_value("story", story);
        for (k, v) in args {
            context.insert_value(k.to_string(), v.clone());
        }
        let html = cache
            .tera
            .render(CARD_TEMPLATE, &context)
            .map_err(|e| tera::Error::message(format!("in {CARD_TEMPLATE}: {}", plain(&e))))?;
        let html_len = html.len();
        let html = Value::safe_string(&html);
        let size = key.len() + html_len;
        if cache
            .kept
            .fetch_add(size, std::sync::atomic::Ordering::Relaxed)
            + size
            <= CARD_CACHE_BYTES
            && let Ok(mut m) = shard.write()
        {
            m.insert(key, html.clone());
        }
        Ok(html)
    }
}

/// A Tera error's message and where it is, on one line.
fn plain(e: &tera::Error) -> String {
    match e.kind() {
        tera::ErrorKind::SyntaxError(r) | tera::ErrorKind::RenderingError(r) => {
            format!("line {}: {}", r.span().start_line, r.message())
        }
        _ => e.to_string(),
    }
}

impl tera::Function<TeraResult<Value>> for StoryCards {
    fn call(&self, kwargs: Kwargs, _: &State) -> TeraResult<Value> {
        self.card(kwargs)
    }

    fn is_safe(&self) -> bool {
        true
    }
}
